import Curl
import Models

/// Fetches feeds over HTTP(S) with libcurl: all of them at once through one multi
/// handle, within the global and per-host limits, conditionally when validators are known.
public struct FeedFetcher: Sendable {
    public var options: FetchOptions

    public init(options: FetchOptions = FetchOptions()) {
        self.options = options
    }

    /// Fetches every request; calls `finished` once per feed as it completes, on the
    /// calling thread, in completion order. One feed's failure never stops the others.
    public func fetch(_ requests: [FetchRequest],
                      finished: (FetchRequest, FetchOutcome) -> Void) throws(CurlError) {
        var transfers: [CurlEasy] = []
        var requestFor: [ObjectIdentifier: FetchRequest] = [:]
        for request in requests {
            do {
                let easy = try makeTransfer(for: request)
                transfers.append(easy)
                requestFor[ObjectIdentifier(easy)] = request
            } catch {
                finished(request, .failed(FetchError(url: request.source.url, reason: error.message)))
            }
        }
        let multi = try CurlMulti(maxConnections: options.concurrency, maxPerHost: options.perHost)
        try multi.perform(transfers) { easy, error in
            guard let request = requestFor[ObjectIdentifier(easy)] else { return }
            finished(request, Self.outcome(of: easy, error: error))
        }
    }

    private func makeTransfer(for request: FetchRequest) throws(CurlError) -> CurlEasy {
        let easy = try CurlEasy(url: request.source.url)
        try easy.allowProtocols(["http", "https"])
        try easy.followRedirects(maximum: options.maxRedirects)
        try easy.setTimeouts(connect: options.connectTimeout, total: options.timeout)
        try easy.setUserAgent(options.userAgent)
        try easy.acceptAllEncodings()
        var headers: [String] = ["Accept: application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"]
        if let etag = request.etag { headers.append("If-None-Match: \(etag)") }
        if let lastModified = request.lastModified { headers.append("If-Modified-Since: \(lastModified)") }
        try easy.setRequestHeaders(headers)
        easy.maxBodyBytes = options.maxBodyBytes
        return easy
    }

    private static func outcome(of easy: CurlEasy, error: CurlError?) -> FetchOutcome {
        if let error {
            return .failed(FetchError(url: easy.url, reason: error.message))
        }
        let status = easy.responseCode
        switch status {
        case 304:
            return .notModified
        case 200..<300:
            return .fetched(FetchedDocument(
                body: easy.body, status: status, finalURL: easy.effectiveURL,
                charset: easy.header("Content-Type").flatMap(charset(of:)),
                etag: easy.header("ETag"), lastModified: easy.header("Last-Modified")))
        default:
            return .failed(FetchError(url: easy.url, reason: "HTTP \(status)", status: status))
        }
    }

    /// The `charset` parameter of a `Content-Type` value.
    static func charset(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].filter({ $0 != " " }).lowercased() == "charset" else { continue }
            let value = pair[1].filter { $0 != " " && $0 != "\"" && $0 != "'" }
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
