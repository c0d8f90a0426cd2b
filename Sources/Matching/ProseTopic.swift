/// What prose (blog posts, news, announcements, advisories without a declared package) is
/// about. A service named in the title is the topic; in an announcement only where the title
/// carries news of it (a release, a version, a vulnerability, a change, an end of life), not
/// in "Meet the team" or "Bug day this Saturday". A service named only in the summary is the
/// topic where the summary's first sentence names it and the title names no other product.
enum ProseTopic {
    /// Words (normalized) that make an announcement's title news: a release, a security
    /// fix, a change of the service.
    private static let newsWords: Set<String> = [
        "release", "released", "releases", "releasing", "version", "versions", "beta", "alpha", "rc",
        "candidate", "available", "availability", "launch", "launches", "launched", "launching", "introduces",
        "introducing", "now", "supports", "deprecate", "deprecated", "deprecates", "deprecation",
        "eol", "retire", "retired", "retirement", "sunset", "vulnerability", "vulnerabilities", "vulnerable",
        "security", "cve", "exploit", "exploited", "advisory", "patch", "patched", "patches", "fix", "fixes",
        "fixed", "update", "updates", "updated", "upgrade", "outage", "incident", "disruption", "degraded",
        "breaking", "changes", "changed", "audit", "preview", "ga", "lts", "end",
    ]

    /// Whether `new` (or `the new`) comes right before the hit at `range` of `normalized`:
    /// "The New Amazon S3 Requester Pays Model" is news of S3; "New Contributor Experience in
    /// Python" is not news of Python.
    static func isNewBefore(_ normalized: [UInt8], range: Range<Int>) -> Bool {
        let before = "new ".utf8
        return range.lowerBound >= before.count
            && normalized[(range.lowerBound - before.count)..<range.lowerBound].elementsEqual(before)
            && (range.lowerBound == before.count || normalized[range.lowerBound - before.count - 1] == 0x20)
    }

    /// Whether the hit starts at most 12 words after the word "patches".
    private static func isInPatchesSection(_ normalized: [UInt8], range: Range<Int>) -> Bool {
        var words = 0
        var index = range.lowerBound - 1
        while index > 0 && words < 12 {
            if normalized[index] == 0x20 {
                words += 1
                let end = index
                var start = index
                while start > 0 && normalized[start - 1] != 0x20 { start -= 1 }
                if normalized[start..<end].elementsEqual("patches".utf8) { return true }
            }
            index -= 1
        }
        return false
    }

    /// Words (normalized) after which a service named with a version is the one an advisory
    /// fixes: "fixed in containerd 1.6.18", "upgrade to runc 1.1.12".
    private static let fixPhrases = ["fixed in", "patched in", "fix in", "upgrade to", "update to", "versions of",
                                     "upgrading to", "updating to"]

    /// Whether the hit at `range` of `normalized` is named as the software an advisory fixes:
    /// right after a fix phrase and before a version, or in the first words of the advisory's
    /// "Patches" section (GitHub's advisory template: "Patches: … included in Moby releases …").
    static func isFixedRelease(_ normalized: [UInt8], range: Range<Int>) -> Bool {
        if isInPatchesSection(normalized, range: range) { return true }
        let after = range.upperBound + 1
        guard after < normalized.count, (0x30...0x39).contains(normalized[after])
                || (normalized[after] == UInt8(ascii: "v") && after + 1 < normalized.count
                    && (0x30...0x39).contains(normalized[after + 1])) else { return false }
        return fixPhrases.contains { phrase in
            let count = phrase.utf8.count + 1  // and the space after it
            return range.lowerBound >= count
                && normalized[(range.lowerBound - count)..<(range.lowerBound - 1)].elementsEqual(phrase.utf8)
        }
    }

    /// Whether an announcement's title carries news: one of `newsWords` (in `normalized`),
    /// or a version number (`3.2.1`, `10.0`) in `original`.
    static func isNews(original: [UInt8], normalized: [UInt8]) -> Bool {
        for word in normalized.split(separator: 0x20) where newsWords.contains(String(decoding: word, as: UTF8.self)) {
            return true
        }
        return hasVersionNumber(original)
    }

    /// The words, besides version numbers, of a title that announces a release and names
    /// nothing: "3.2.1 Release Candidate 2 Released", "Version 4.1 is now available".
    private static let bareReleaseWords: Set<String> = [
        "release", "released", "releases", "candidate", "rc", "beta", "alpha", "final", "preview", "version",
        "available", "now", "is", "has", "been", "the", "a", "of", "and", "lts", "security", "bugfix",
        "maintenance", "hotfix", "announcing", "new",
    ]
    /// Of those, the ones that make it a release.
    private static let releaseWords: Set<String> = [
        "release", "released", "releases", "candidate", "rc", "beta", "alpha", "preview", "available",
    ]

    /// Whether an announcement's title is a release and names nothing else: a version
    /// number (`3.2.1` in `original`), a release word, and otherwise only `bareReleaseWords`
    /// and numbers (in `normalized`). "Loki 2.9 released" names a product; "3.2.1 Release
    /// Candidate 2 Released" does not, and is about the product its feed is named for.
    static func isBareRelease(original: [UInt8], normalized: [UInt8]) -> Bool {
        guard hasVersionNumber(original) else { return false }  // most titles, read without a string made
        var announcesRelease = false
        for word in normalized.split(separator: 0x20) {
            let text = String(decoding: word, as: UTF8.self)
            if releaseWords.contains(text) { announcesRelease = true }
            let isNumber = word.contains { $0 >= 0x30 && $0 <= 0x39 }
                && (word.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } || ["v", "rc", "b", "a"].contains { text.hasPrefix($0) })
            guard isNumber || bareReleaseWords.contains(text) else { return false }
        }
        return announcesRelease
    }

    /// Whether `original` holds a version number: a digit, a dot, a digit (`3.2.1`, `10.0`).
    private static func hasVersionNumber(_ original: [UInt8]) -> Bool {
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        return original.indices.dropFirst().dropLast().contains { index in
            original[index] == UInt8(ascii: ".") && isDigit(original[index - 1]) && isDigit(original[index + 1])
        }
    }

    /// The end of the summary's first sentence, in UTF-8 offsets of `text` (at most 300 bytes in).
    static func firstSentenceEnd(_ text: [UInt8]) -> Int {
        let limit = min(text.count, 300)
        var index = 0
        while index < limit {
            let byte = text[index]
            if byte == 0x0A { return index }
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?"),
               index + 1 < text.count, text[index + 1] == 0x20, index > 0, !(0x30...0x39).contains(text[index - 1]) {
                return index + 1
            }
            index += 1
        }
        return limit
    }

    /// Whether the title names a product that is none of the inventory's (the words at
    /// `hits`, UTF-8 ranges of `title`, are): "Code Injection in CRI-O", "CoreDNS vulnerable to …",
    /// "Podman has …", "CRI-O's pods …". Such an advisory is about that product; services
    /// its summary names are mentions.
    static func namesOtherProduct(_ title: String, hits: [Range<Int>]) -> Bool {
        let words = title.split(separator: " ")
        guard !words.isEmpty else { return false }
        func isProductName(_ word: Substring) -> Bool {
            let name = word.trimmingCharacters(in: ":,()")
            return name.count > 1 && name.first?.isUppercase == true
        }
        func isHit(_ index: Int) -> Bool {
            // The UTF-8 offset of word `index` in `title`.
            var offset = 0
            for word in words[..<index] { offset += word.utf8.count + 1 }
            let length = words[index].utf8.count
            return hits.contains { $0.overlaps(offset..<offset + length) }
        }
        let verbs: Set<String> = ["vulnerable", "has", "allows", "is", "before", "through", "versions", "version"]
        // "<Product> vulnerable to …", "<Product>: …", "<Product>'s …"
        let first = words[0]
        if isProductName(first), !isHit(0) {
            if first.hasSuffix(":") || first.hasSuffix("'s") || first.hasSuffix("’s") { return true }
            if words.count > 1, verbs.contains(words[1].lowercased()) { return true }
        }
        // "… in <Product>" at the end of the title
        if words.count >= 2, words[words.count - 2] == "in", isProductName(words[words.count - 1]),
           !isHit(words.count - 1) {
            return true
        }
        return false
    }
}
