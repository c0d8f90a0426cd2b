/// Resolves a link found in a feed against its base (`xml:base`, else the document URL),
/// following RFC 3986 §5.2 for the forms feeds use.
enum URLResolver {
    static func resolve(_ reference: String, against base: String?) -> String {
        let reference = reference.trimmingSpaces()
        guard let base, !hasScheme(reference), let colon = base.firstIndex(of: ":") else { return reference }
        let scheme = String(base[..<colon])
        if reference.hasPrefix("//") { return scheme + ":" + reference }
        // The origin is "scheme://authority"; the path runs to the query or fragment.
        let afterScheme = base[base.index(after: colon)...]
        var authorityEnd = afterScheme.startIndex
        if afterScheme.hasPrefix("//") {
            let authority = afterScheme.dropFirst(2)
            authorityEnd = authority.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? authority.endIndex
        }
        let origin = String(base[..<authorityEnd])
        let rest = base[authorityEnd...]
        let basePath = String(rest.prefix { $0 != "?" && $0 != "#" })
        if reference.isEmpty { return String(base.prefix { $0 != "#" }) }
        if reference.hasPrefix("/") { return origin + removingDotSegments(reference) }
        if reference.hasPrefix("#") || reference.hasPrefix("?") { return origin + basePath + reference }
        let directory = basePath.lastIndex(of: "/").map { String(basePath[...$0]) } ?? "/"
        return origin + removingDotSegments(directory + reference)
    }

    /// True when `text` starts with a scheme (`letter *( letter / digit / "+" / "-" / "." ) ":"`).
    private static func hasScheme(_ text: String) -> Bool {
        for (offset, byte) in text.utf8.enumerated() {
            if PlainText.isLetter(byte) { continue }
            if byte == UInt8(ascii: ":") { return offset > 0 }
            guard offset > 0, PlainText.isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".") else { return false }
        }
        return false
    }

    private static func removingDotSegments(_ path: String) -> String {
        let queryStart = path.firstIndex { $0 == "?" || $0 == "#" } ?? path.endIndex
        let segments = path[..<queryStart].split(separator: "/", omittingEmptySubsequences: false)
        var output: [Substring] = []
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            switch segment {
            case ".":
                if isLast { output.append("") }
            case "..":
                if output.count > 1 { output.removeLast() }
                if isLast { output.append("") }
            default:
                output.append(segment)
            }
        }
        return output.joined(separator: "/") + path[queryStart...]
    }
}

extension String {
    /// The string without ASCII whitespace at either end.
    func trimmingSpaces() -> String {
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { !PlainText.isSpace($0) }) else { return "" }
        let last = bytes.lastIndex(where: { !PlainText.isSpace($0) })!
        if first == bytes.startIndex && bytes.index(after: last) == bytes.endIndex { return self }
        return String(self[first...last])
    }
}
