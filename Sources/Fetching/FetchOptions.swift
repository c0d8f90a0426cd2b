/// Limits and manners of the fetcher (`[fetch]` in bulletin.toml).
public struct FetchOptions: Sendable, Hashable {
    /// Transfers running at once, over all hosts.
    public var concurrency: Int = 100
    /// Connections to one host at once.
    public var perHost: Int = 2
    public var connectTimeout: Double = 10
    /// Seconds for a whole transfer, body included.
    public var timeout: Double = 30
    /// The largest body accepted, after decompression (also bounds decompression bombs).
    public var maxBodyBytes: Int = 20 * 1024 * 1024
    /// The largest body accepted on the wire, before decompression.
    public var maxDownloadBytes: Int = 10 * 1024 * 1024
    public var maxRedirects: Int = 5
    public var userAgent: String = "Bulletin"
    /// When a failing feed is tried again, and when its failures are flagged.
    public var retry = RetryPolicy()

    public init() {}
}
