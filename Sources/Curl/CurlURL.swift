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
    public var host: String? { part(CURLUPART_HOST) }
    /// The port as written (nil when the URL gives none).
    public var port: String? { part(CURLUPART_PORT) }

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

    private func part(_ which: CURLUPart) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, which, &value, 0) == CURLUE_OK, let value else { return nil }
        defer { curl_free(value) }
        return String(cString: value)
    }
}

@available(*, unavailable)
extension CurlURL: Sendable {}
