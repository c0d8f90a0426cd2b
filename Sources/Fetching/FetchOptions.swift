/// Limits and manners of the fetcher (`[fetch]` in bulletin.toml).
public struct FetchOptions: Sendable, Hashable {
    /// Transfers running at once, over all hosts.
    public var concurrency: Int = 16
    /// Connections to one host at once.
    public var perHost: Int = 2
    public var connectTimeout: Double = 10
    /// Seconds for a whole transfer, body included.
    public var timeout: Double = 30
    /// The largest body accepted, after decompression.
    public var maxBodyBytes: Int = 20 * 1024 * 1024
    public var maxRedirects: Int = 5
    public var userAgent: String = "Bulletin"

    public init() {}
}
