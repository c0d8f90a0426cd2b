import Curl

/// Feed URLs compared as the same feed, as libcurl's URL parser reads them: scheme and
/// host in lower case, the default port and the fragment dropped, an empty path as `/`.
/// Path and query are kept as written.
public enum FeedURL {
    /// The normalized form of `url`, for finding duplicates (`feeds import`, `feeds add`);
    /// a URL libcurl cannot read stays as written, less surrounding white space.
    public static func normalized(_ url: String) -> String {
        let trimmed = String(url.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        return CurlURL(trimmed)?.normalized ?? trimmed
    }

    /// True for an `http` or `https` URL with a host: the only kind Bulletin fetches.
    public static func isWeb(_ url: String) -> Bool {
        guard let parsed = CurlURL(url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host else {
            return false
        }
        return (scheme == "http" || scheme == "https") && !host.isEmpty
    }
}
