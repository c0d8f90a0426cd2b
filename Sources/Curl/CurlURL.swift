internal import CCurl

/// A URL as libcurl's URL API (`curl_url`) parses it. Owns its `CURLU` handle and frees it
/// in `deinit`.
public final class CurlURL {
    private let handle: OpaquePointer

    /// nil when libcurl does not read `text` as an absolute URL.
    public init?(_ text: String) {
        guard let handle = curl_url() else { return nil }
        self.handle = handle
        guard curl_url_set(handle, CURLUPART_URL, text, UInt32(CURLU_NON_SUPPORT_SCHEME)) == CURLUE_OK else { return nil }
    }

    deinit {
        curl_url_cleanup(handle)
    }

    public var scheme: String? { part(CURLUPART_SCHEME) }
    /// The host as written (an IPv6 address in brackets).
    public var host: String? { part(CURLUPART_HOST) }
    /// The port as written (nil when the URL gives none).
    public var port: String? { part(CURLUPART_PORT) }
    public var user: String? { part(CURLUPART_USER) }
    public var password: String? { part(CURLUPART_PASSWORD) }

    /// The URL with scheme and host in lower case, the scheme's default port and the
    /// fragment dropped, and an empty path as `/`; user, path and query as written.
    /// - SeeAlso: https://curl.se/libcurl/c/curl_url_get.html (`CURLU_NO_DEFAULT_PORT`)
    public var normalized: String? {
        guard let host else { return nil }
        guard curl_url_set(handle, CURLUPART_HOST, host.lowercased(), 0) == CURLUE_OK,
              curl_url_set(handle, CURLUPART_FRAGMENT, nil, 0) == CURLUE_OK else { return nil }
        return part(CURLUPART_URL, flags: UInt32(CURLU_NO_DEFAULT_PORT))
    }

    /// `scheme://host[:port]`, then `/…` when the URL has more (user, password, path,
    /// query or fragment, any of which can hold a credential): what logs and errors may
    /// show of a webhook URL.
    public var redacted: String? {
        guard let scheme, let host else { return nil }
        let origin = scheme + "://" + host + (port.map { ":" + $0 } ?? "")
        let hidden = [part(CURLUPART_USER), part(CURLUPART_PASSWORD), part(CURLUPART_QUERY), part(CURLUPART_FRAGMENT)]
        let more = hidden.contains { $0 != nil } || (part(CURLUPART_PATH) ?? "/") != "/"
        return origin + (more ? "/…" : "")
    }

    private func part(_ which: CURLUPart, flags: UInt32 = 0) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, which, &value, flags) == CURLUE_OK, let value else { return nil }
        defer { curl_free(value) }
        return String(cString: value)
    }
}

@available(*, unavailable)
extension CurlURL: Sendable {}
