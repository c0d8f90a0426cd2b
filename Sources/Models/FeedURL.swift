/// Feed URLs compared as the same feed: scheme and host in lower case, the default port
/// and the fragment dropped, an empty path as `/`. Path and query are kept as written.
public enum FeedURL {
    /// The normalized form of `url`, for finding duplicates (`feeds import`, `feeds add`).
    public static func normalized(_ url: String) -> String {
        var rest = Substring(url.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        guard let schemeEnd = rest.firstRange(of: "://") else { return String(rest) }
        let scheme = rest[..<schemeEnd.lowerBound].lowercased()
        var remainder = rest[schemeEnd.upperBound...]
        let authorityEnd = remainder.firstIndex { $0 == "/" || $0 == "?" } ?? remainder.endIndex
        var authority = remainder[..<authorityEnd].lowercased()
        remainder = remainder[authorityEnd...]
        if (scheme == "http" && authority.hasSuffix(":80")) || (scheme == "https" && authority.hasSuffix(":443")) {
            authority = String(authority[..<authority.lastIndex(of: ":")!])
        }
        let path = remainder.hasPrefix("/") ? String(remainder) : "/" + remainder
        return scheme + "://" + authority + path
    }

    /// True for an `http` or `https` URL with a host: the only kind Bulletin fetches.
    public static func isWeb(_ url: String) -> Bool {
        let normalized = normalized(url)
        for scheme in ["http://", "https://"] where normalized.hasPrefix(scheme) {
            return normalized.dropFirst(scheme.count).first.map { $0 != "/" && $0 != "?" } ?? false
        }
        return false
    }
}
