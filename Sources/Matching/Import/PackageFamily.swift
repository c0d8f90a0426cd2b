/// The project a package name belongs to, so that an import makes one service of the
/// packages one project ships: `curl`, `libcurl` and `libcurl4-openssl-dev` are curl;
/// `libssl3` is OpenSSL (a built-in alias); `python3` is python. Only for merging an
/// import's names: matching never guesses like this.
public enum PackageFamily {
    /// Packaging words a distribution adds to a project's name.
    private static let packagingWords: Set<String> = [
        "dev", "devel", "libs", "bin", "common", "utils", "tools", "doc", "data", "minimal", "headers",
        "runtime", "core", "server", "client", "openssl", "gnutls", "nss",
    ]

    /// Built-in aliases (normalized) → the key of the one entry that lists them.
    private static let aliasOwners: [String: String] = {
        var owners: [String: [String]] = [:]
        for (key, aliases) in BuiltinAliases.table {
            for alias in aliases { owners[NormalizedText.key(alias), default: []].append(key) }
        }
        return owners.compactMapValues { $0.count == 1 ? $0[0] : nil }
    }()

    /// The family key of `name`: its normalized form less packaging words, a trailing
    /// soname number and a leading `lib`, or the built-in entry it is an alias of.
    public static func key(_ name: String) -> String {
        var key = NormalizedText.key(name)
        for _ in 0..<8 {
            if BuiltinAliases.table[key] != nil { return key }
            if let owner = aliasOwners[key] { return owner }
            guard let shorter = stripped(key, lib: true) else { return key }
            key = shorter
        }
        return key
    }

    /// `name` as its project says it, normalized: without packaging words or a soname
    /// number (`libcurl4-openssl-dev` → `libcurl`), to be an alias.
    static func base(_ name: String) -> String {
        var key = NormalizedText.key(name)
        while let shorter = stripped(key, lib: false) { key = shorter }
        return key
    }

    /// `key` one step shorter: a packaging word, a soname number or (`lib`) a leading `lib` off.
    private static func stripped(_ key: String, lib: Bool) -> String? {
        var words = key.split(separator: " ").map(String.init)
        if words.count > 1, packagingWords.contains(words[words.count - 1]) || words[words.count - 1].allSatisfy(\.isNumber) {
            words.removeLast()
        } else if let last = words.last, let trimmed = withoutSoname(last) {
            words[words.count - 1] = trimmed
        } else if lib, let first = words.first, first.hasPrefix("lib"), first.count >= 6 {
            words[0] = String(first.dropFirst(3))
        } else {
            return nil
        }
        return words.joined(separator: " ")
    }

    /// `libcurl4` → `libcurl`, `zlib1g` → `zlib`, `python3` → `python`; nil when nothing
    /// trails the letters or fewer than three letters would be left (`s3`, `ec2` stay).
    private static func withoutSoname(_ word: String) -> String? {
        var letters = Substring(word)
        if letters.last == "g", letters.dropLast().last?.isNumber == true { letters = letters.dropLast() }
        let digits = letters.reversed().prefix { $0.isNumber }.count
        guard digits > 0 else { return nil }
        letters = letters.dropLast(digits)
        guard letters.count >= 3, letters.last?.isLetter == true else { return nil }
        return String(letters)
    }
}
