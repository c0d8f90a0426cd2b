/// Where a word of a bulletin is not a name: inside a URL, a host name, an e-mail address,
/// a file name or path, code (between backticks: the parser writes HTML `code` and `pre`
/// that way too), a command line or a configuration snippet. Read in the original text,
/// around the hit: the whitespace-delimited token it is part of, and the words beside it.
enum NameContext {
    /// Why the hit at `range` (UTF-8 offsets into `text`) is not a name, or nil when it may be one.
    static func notAName(in text: [UInt8], range: Range<Int>, code: [Range<Int>]) -> String? {
        if code.contains(where: { $0.overlaps(range) }) { return "inside code" }
        let token = self.token(in: text, around: range)
        let word = Array(text[token])
        if contains(word, "://") || starts(word, "www.") { return "inside a URL" }
        if let at = word.firstIndex(of: UInt8(ascii: "@")), at > 0, at + 1 < word.count,
           !isDigit(word[at + 1]), word[(at + 1)...].contains(UInt8(ascii: ".")) {
            return "inside an e-mail address"
        }
        if isPath(word) { return "inside a path" }
        if isHostName(word) { return "inside a host name" }
        if isFileName(word) { return "inside a file name" }
        if isCommandLine(text, token: token) { return "inside a command line" }
        if isConfiguration(text, token: token) { return "inside a configuration snippet" }
        return nil
    }

    /// Whether the hit is joined to another word by a hyphen (`nginx-deployment`,
    /// `Java-Anwendungsserver`, `ingress-nginx`): then the bulletin names something else.
    static func isCompound(in text: [UInt8], range: Range<Int>) -> Bool {
        let before = range.lowerBound >= 2 && text[range.lowerBound - 1] == UInt8(ascii: "-")
            && isLetter(text[range.lowerBound - 2])
        let after = range.upperBound + 1 < text.count && text[range.upperBound] == UInt8(ascii: "-")
            && isLetter(text[range.upperBound + 1])
        return before || after
    }

    /// The ranges between backticks: `` `code` `` and ``` fenced blocks ```.
    static func codeSpans(in text: [UInt8]) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var index = 0
        var open: (start: Int, length: Int)?
        while index < text.count {
            guard text[index] == UInt8(ascii: "`") else {
                index += 1
                continue
            }
            var end = index
            while end < text.count && text[end] == UInt8(ascii: "`") { end += 1 }
            let length = end - index
            if let opened = open {
                if opened.length == length {
                    spans.append(opened.start..<end)
                    open = nil
                }
            } else {
                open = (index, length)
            }
            index = end
        }
        return spans
    }

    // MARK: Tokens

    private static func token(in text: [UInt8], around range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        while start > 0 && !isSpace(text[start - 1]) { start -= 1 }
        var end = range.upperBound
        while end < text.count && !isSpace(text[end]) { end += 1 }
        // Punctuation around a token is prose's, not the token's.
        let wrapping = Array("()[]{}<>\"'“”‘’,;!?*".utf8)
        while start < range.lowerBound && wrapping.contains(text[start]) { start += 1 }
        while end > range.upperBound && (wrapping.contains(text[end - 1]) || text[end - 1] == UInt8(ascii: ".")
                                         || text[end - 1] == UInt8(ascii: ":")) { end -= 1 }
        return start..<end
    }

    private static func isPath(_ word: [UInt8]) -> Bool {
        guard let slash = word.firstIndex(of: UInt8(ascii: "/")) else { return false }
        if slash == 0 || starts(word, "~/") || starts(word, "./") || starts(word, "../") { return true }
        if word[..<slash].contains(UInt8(ascii: ".")) { return true }  // github.com/…, docker.io/…
        return word.filter { $0 == UInt8(ascii: "/") }.count >= 2
    }

    private static let topLevelDomains: Set<String> = [
        "com", "org", "net", "io", "dev", "gov", "edu", "mil", "int", "co", "uk", "de", "fr", "jp", "cn",
        "ru", "eu", "us", "ca", "au", "in", "info", "biz", "app", "cloud", "sh", "ai", "me", "tv", "ly", "gg",
        "xyz", "site", "tech", "page", "nl", "se", "ch", "at", "be", "it", "es", "pl", "br", "kr", "local",
        "localhost", "internal",
    ]

    private static func isHostName(_ word: [UInt8]) -> Bool {
        let labels = word.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") } })
        else { return false }
        return topLevelDomains.contains(String(decoding: labels.last!, as: UTF8.self).lowercased())
    }

    private static let fileExtensions: Set<String> = [
        "go", "py", "rb", "java", "c", "h", "cc", "cpp", "hpp", "rs", "sh", "bash", "ps1", "yaml", "yml", "json",
        "toml", "xml", "conf", "cfg", "ini", "txt", "md", "lock", "mod", "sum", "php", "swift", "kt", "kts",
        "gradle", "properties", "html", "htm", "css", "scss", "sql", "tf", "tfvars", "jar", "war", "zip", "gz",
        "tgz", "tar", "xz", "deb", "rpm", "exe", "dll", "so", "dylib", "log", "pem", "crt", "key", "csv", "ts",
        "tsx", "jsx", "mjs", "cjs", "vue", "lua", "pl", "pm", "erl", "ex", "exs", "dart", "cs", "vb", "service",
        "socket", "timer", "env", "dockerfile", "patch", "diff", "sign",
    ]

    private static func isFileName(_ word: [UInt8]) -> Bool {
        guard let dot = word.lastIndex(of: UInt8(ascii: ".")), dot > 0, dot + 1 < word.count else { return false }
        let extensionBytes = word[(dot + 1)...]
        guard extensionBytes.allSatisfy({ isLetter($0) || isDigit($0) }) else { return false }
        return fileExtensions.contains(String(decoding: extensionBytes, as: UTF8.self).lowercased())
    }

    /// Subcommands that make a lower-case tool name a command: `docker run`, `git clone`, `go get`.
    /// Only words that are rarely prose after a tool's name ("runc container escape" is prose).
    private static let subcommands: Set<String> = [
        "run", "build", "pull", "push", "exec", "clone", "checkout", "commit", "get", "install", "apply",
        "login", "inspect", "ps", "rm", "cp", "buildx", "rollout", "describe", "vet", "mod", "fetch",
        "submodule", "rebase", "cherry-pick",
    ]

    /// `curl -X POST`, `curl https://…`, `docker run …`, `$ git clone`, `pip install requests`.
    private static func isCommandLine(_ text: [UInt8], token: Range<Int>) -> Bool {
        let next = word(in: text, after: token.upperBound)
        if let next, contains(next, "://") { return true }
        if let next, next.count >= 2, next[0] == UInt8(ascii: "-"), isLetter(next[1]) || next[1] == UInt8(ascii: "-") {
            return true
        }
        let isLowercase = text[token].allSatisfy { !(0x41...0x5A).contains($0) }
        if isLowercase, let next, subcommands.contains(String(decoding: next, as: UTF8.self)) { return true }
        if let previous = word(in: text, before: token.lowerBound) {
            let string = String(decoding: previous, as: UTF8.self)
            if ["$", "#", "sudo", "install", "npx"].contains(string) { return true }
        }
        return false
    }

    /// `name: nginx-deployment`, `image: redis:7`, `runtime=python3`.
    private static func isConfiguration(_ text: [UInt8], token: Range<Int>) -> Bool {
        let value = Array(text[token])
        if value.contains(UInt8(ascii: "=")) { return true }
        let isIdentifier = value.allSatisfy { !(0x41...0x5A).contains($0) }
            && value.contains { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") }
        guard isIdentifier, let previous = word(in: text, before: token.lowerBound), previous.count > 1,
              previous.last == UInt8(ascii: ":"), isLowerLetter(previous[0]) else { return false }
        return previous.dropLast().allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    private static func word(in text: [UInt8], after end: Int) -> [UInt8]? {
        var start = end
        while start < text.count && text[start] == 0x20 { start += 1 }
        guard start > end, start < text.count else { return nil }
        var stop = start
        while stop < text.count && !isSpace(text[stop]) { stop += 1 }
        return Array(text[start..<stop])
    }

    private static func word(in text: [UInt8], before start: Int) -> [UInt8]? {
        var end = start
        while end > 0 && text[end - 1] == 0x20 { end -= 1 }
        guard end < start, end > 0 else { return nil }
        var begin = end
        while begin > 0 && !isSpace(text[begin - 1]) { begin -= 1 }
        return Array(text[begin..<end])
    }

    // MARK: Bytes

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isLowerLetter(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    /// ASCII letters, and every byte of a non-ASCII character (letters, in names).
    private static func isLetter(_ byte: UInt8) -> Bool { isLowerLetter(byte | 0x20) || byte >= 0x80 }

    private static func starts(_ word: [UInt8], _ prefix: StaticString) -> Bool {
        let bytes = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        return word.count >= bytes.count && word.prefix(bytes.count).elementsEqual(bytes)
    }

    private static func contains(_ word: [UInt8], _ infix: StaticString) -> Bool {
        let bytes = Array(UnsafeBufferPointer(start: infix.utf8Start, count: infix.utf8CodeUnitCount))
        guard word.count >= bytes.count else { return false }
        return (0...(word.count - bytes.count)).contains { word[$0..<$0 + bytes.count].elementsEqual(bytes) }
    }
}
