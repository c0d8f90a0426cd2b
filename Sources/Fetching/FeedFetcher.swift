import Curl
import FoundationEssentials
import Models
import Zlib

/// Fetches feeds over HTTP(S) with libcurl: all of them at once through one multi
/// handle, within the global and per-host limits, conditionally when validators are known.
public struct FeedFetcher: Sendable {
    public var options: FetchOptions

    public init(options: FetchOptions = FetchOptions()) {
        self.options = options
    }

    /// Fetches every request; calls `finished` once per feed as it completes, on the
    /// calling thread, in completion order. One feed's failure never stops the others.
    /// `stop` abandons the feeds still being fetched (see `CurlMulti.perform`).
    public func fetch(_ requests: [FetchRequest], until stop: () -> Bool = { false },
                      finished: (FetchResult) -> Void) throws(CurlError) {
        var requestFor: [ObjectIdentifier: FetchRequest] = [:]
        let multi = try CurlMulti(maxConnections: options.concurrency, maxPerHost: options.perHost)
        // Each transfer is made as it starts and freed as it ends: a catalog's feeds are not
        // all handles at once.
        try multi.perform(count: requests.count, url: { requests[$0].url }, start: { index in
            let request = requests[index]
            do throws(CurlError) {
                let easy = try makeTransfer(for: request)
                requestFor[ObjectIdentifier(easy)] = request
                return easy
            } catch {
                finished(FetchResult(request: request, outcome: .failed(FetchError(url: request.url, reason: error.message))))
                return nil
            }
        }, until: stop) { easy, error in
            guard let request = requestFor.removeValue(forKey: ObjectIdentifier(easy)) else { return }
            finished(result(of: easy, for: request, error: error))
        }
    }

    private func makeTransfer(for request: FetchRequest) throws(CurlError) -> CurlEasy {
        let easy = try CurlEasy(url: request.url)
        try easy.allowProtocols(["http", "https"])
        try easy.verifyTLS()
        try easy.followRedirects(maximum: options.maxRedirects)
        try easy.setTimeouts(connect: options.connectTimeout, total: options.timeout)
        try easy.setUserAgent(options.userAgent)
        // gzip, decoded here (`decoded(_:of:)`) rather than by libcurl: the store keeps the
        // body gzip-compressed, and so takes it as it came instead of compressing it again.
        try easy.acceptEncodings("gzip", decoding: false)
        try easy.limitDownload(to: options.maxDownloadBytes)
        easy.maxBodyBytes = options.maxBodyBytes
        var headers = ["Accept: application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"]
        if let etag = request.etag { headers.append("If-None-Match: \(etag)") }
        if let lastModified = request.lastModified { headers.append("If-Modified-Since: \(lastModified)") }
        try easy.setRequestHeaders(headers)
        return easy
    }

    /// The body of `easy`'s response, decoded as its `Content-Encoding` says (gzip, or none),
    /// at most `maxBodyBytes` of it; with the body as it came when that was gzip.
    private func decoded(_ body: [UInt8], of easy: CurlEasy) throws(FetchError) -> (decoded: [UInt8], gzip: [UInt8]?) {
        let coding = (easy.header("Content-Encoding") ?? "").filter { $0 != " " && $0 != "\t" }.lowercased()
        switch coding {
        case "", "identity":
            return (body, nil)
        case "gzip", "x-gzip":
            do {
                return (try Gzip.decompress(body, maxOutput: options.maxBodyBytes), body)
            } catch {
                throw FetchError(url: easy.url, reason: error.outputLimitReached
                    ? "body larger than \(options.maxBodyBytes) bytes" : "content encoding gzip: \(error.reason)")
            }
        default:
            throw FetchError(url: easy.url, reason: "content encoding '\(coding)' not supported (only gzip was asked for)")
        }
    }

    private func result(of easy: CurlEasy, for request: FetchRequest, error: CurlError?) -> FetchResult {
        var result = FetchResult(request: request, outcome: .notModified, bytes: easy.headerBytes + easy.downloadedBytes)
        if let error {
            result.outcome = .failed(FetchError(url: request.url, reason: error.message,
                                                status: easy.responses.last?.status))
            return result
        }
        let status = easy.responseCode
        switch status {
        case 304:
            result.outcome = .notModified
        case 200..<300:
            let body: (decoded: [UInt8], gzip: [UInt8]?)
            do {
                body = try decoded(easy.body, of: easy)
            } catch {
                result.outcome = .failed(FetchError(url: request.url, reason: error.reason, status: status))
                return result
            }
            result.outcome = .fetched(FetchedDocument(
                body: body.decoded, gzipBody: body.gzip, status: status, finalURL: easy.effectiveURL,
                charset: easy.header("Content-Type").flatMap(Self.charset(of:)),
                etag: easy.header("ETag"), lastModified: easy.header("Last-Modified"),
                headers: easy.headers.map { HTTPHeader(name: $0.name, value: $0.value) }))
        default:
            let retryAfter = status == 429 || status == 503
                ? easy.header("Retry-After").flatMap { RetryAfter.seconds($0, now: WallClock.now()) } : nil
            result.outcome = .failed(FetchError(url: request.url, reason: "HTTP \(status)", status: status,
                                                retryAfter: retryAfter))
            return result
        }
        result.movedTo = Self.permanentTarget(of: easy.responses)
        return result
    }

    /// Where the feed lives now when the responses begin with permanent redirects
    /// (301/308): the URL the last of them pointed to. A temporary redirect ends it.
    static func permanentTarget(of responses: [CurlResponse]) -> String? {
        var target: String?
        for (response, next) in zip(responses, responses.dropFirst()) {
            guard response.status == 301 || response.status == 308 else { break }
            target = next.url
        }
        return target
    }

    /// The `charset` parameter of a `Content-Type` value.
    public static func charset(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].filter({ $0 != " " }).lowercased() == "charset" else { continue }
            let value = pair[1].filter { $0 != " " && $0 != "\"" && $0 != "'" }
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
