import Models

/// What the fetcher knew of a feed before fetching it: where it lives now and the
/// validators of its last response.
public struct FetchRequest: Sendable, Hashable {
    public var source: FeedSource
    /// The URL to fetch when a permanent redirect moved the feed away from `source.url`.
    public var movedURL: String?
    /// `ETag` of the last response, sent back byte for byte as `If-None-Match`.
    public var etag: String?
    /// `Last-Modified` of the last response, sent back as `If-Modified-Since`.
    public var lastModified: String?

    public init(source: FeedSource, movedURL: String? = nil, etag: String? = nil, lastModified: String? = nil) {
        self.source = source
        self.movedURL = movedURL
        self.etag = etag
        self.lastModified = lastModified
    }

    /// The URL the request goes to.
    public var url: String { movedURL ?? source.url }
}

/// A feed document as it arrived.
public struct FetchedDocument: Sendable, Hashable {
    /// The document, decoded.
    public var body: [UInt8]
    /// The body as it travelled, when it came gzip-encoded: `body` in gzip already, which
    /// the store keeps as it is rather than compressing `body` again.
    public var gzipBody: [UInt8]?
    public var status: Int
    /// The URL after redirects.
    public var finalURL: String
    /// The `charset` parameter of `Content-Type`, if any.
    public var charset: String?
    public var etag: String?
    public var lastModified: String?
    /// The response's headers, in order.
    public var headers: [HTTPHeader]

    public init(body: [UInt8], gzipBody: [UInt8]? = nil, status: Int, finalURL: String, charset: String? = nil,
                etag: String? = nil, lastModified: String? = nil, headers: [HTTPHeader] = []) {
        self.body = body
        self.gzipBody = gzipBody
        self.status = status
        self.finalURL = finalURL
        self.charset = charset
        self.etag = etag
        self.lastModified = lastModified
        self.headers = headers
    }
}

/// The outcome of fetching one feed.
public enum FetchOutcome: Sendable {
    case fetched(FetchedDocument)
    /// 304: the feed has not changed since the validators were issued.
    case notModified
    case failed(FetchError)
}

/// What fetching one feed came to: the outcome, where the feed moved, what it cost.
public struct FetchResult: Sendable {
    public var request: FetchRequest
    public var outcome: FetchOutcome
    /// The new URL when every redirect before it was permanent (301/308) and the
    /// fetch succeeded; nil when the feed did not move for good.
    public var movedTo: String?
    /// Bytes received: headers and body as they travelled (compressed).
    public var bytes: Int

    public init(request: FetchRequest, outcome: FetchOutcome, movedTo: String? = nil, bytes: Int = 0) {
        self.request = request
        self.outcome = outcome
        self.movedTo = movedTo
        self.bytes = bytes
    }
}

/// Why a feed could not be fetched, naming the feed's URL.
public struct FetchError: Error, CustomStringConvertible, Sendable {
    public let url: String
    public let reason: String
    /// The HTTP status, when the server answered.
    public let status: Int?
    /// The seconds the server asked us to wait (`Retry-After` on a 429 or 503).
    public let retryAfter: Double?

    public init(url: String, reason: String, status: Int? = nil, retryAfter: Double? = nil) {
        self.url = url
        self.reason = reason
        self.status = status
        self.retryAfter = retryAfter
    }

    /// 410 Gone: the server says the feed is no more.
    public var isGone: Bool { status == 410 }

    public var description: String { "fetch: \(url): \(reason)" }
}
