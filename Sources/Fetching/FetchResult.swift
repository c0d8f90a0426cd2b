import Models

/// What the fetcher knew of a feed before fetching it: the validators of its last response.
public struct FetchRequest: Sendable, Hashable {
    public var source: FeedSource
    /// `ETag` of the last response, sent back byte for byte as `If-None-Match`.
    public var etag: String?
    /// `Last-Modified` of the last response, sent back as `If-Modified-Since`.
    public var lastModified: String?

    public init(source: FeedSource, etag: String? = nil, lastModified: String? = nil) {
        self.source = source
        self.etag = etag
        self.lastModified = lastModified
    }
}

/// A feed document as it arrived.
public struct FetchedDocument: Sendable, Hashable {
    public var body: [UInt8]
    public var status: Int
    /// The URL after redirects.
    public var finalURL: String
    /// The `charset` parameter of `Content-Type`, if any.
    public var charset: String?
    public var etag: String?
    public var lastModified: String?

    public init(body: [UInt8], status: Int, finalURL: String, charset: String? = nil,
                etag: String? = nil, lastModified: String? = nil) {
        self.body = body
        self.status = status
        self.finalURL = finalURL
        self.charset = charset
        self.etag = etag
        self.lastModified = lastModified
    }
}

/// The outcome of fetching one feed.
public enum FetchOutcome: Sendable {
    case fetched(FetchedDocument)
    /// 304: the feed has not changed since the validators were issued.
    case notModified
    case failed(FetchError)
}

/// Why a feed could not be fetched, naming the feed's URL.
public struct FetchError: Error, CustomStringConvertible, Sendable {
    public let url: String
    public let reason: String
    /// The HTTP status, when the server answered.
    public let status: Int?

    public init(url: String, reason: String, status: Int? = nil) {
        self.url = url
        self.reason = reason
        self.status = status
    }

    public var description: String { "fetch: \(url): \(reason)" }
}
