/// When a failing feed is tried again: exponential backoff with jitter, capped, never
/// given up; and after how many failures in a row it is flagged to the user.
public struct RetryPolicy: Sendable, Hashable {
    /// The wait after the first failure, in seconds; it doubles with each further one.
    public var baseDelay: Double = 15 * 60
    /// The longest wait, in seconds, Retry-After included.
    public var maxDelay: Double = 24 * 60 * 60
    /// Failures in a row after which a feed is flagged: in every run's report, in `feeds
    /// check` and under the digest's *Feed health*.
    public var flagAfter: Int = 3

    public init() {}

    /// The wait before the next attempt after `failures` failures in a row (≥ 1): the
    /// capped exponential delay scaled by `jitter` (in 0.75...1, so the cap is never
    /// passed), or the server's Retry-After when that is longer (still capped).
    public func delay(afterFailures failures: Int, retryAfter: Double? = nil, jitter: Double) -> Double {
        let doublings = min(max(failures, 1) - 1, 40)
        let backoff = min(maxDelay, baseDelay * Double(1 << doublings)) * min(max(jitter, 0.75), 1)
        return min(maxDelay, max(backoff, retryAfter ?? 0))
    }

    /// A random jitter factor for `delay(afterFailures:retryAfter:jitter:)`.
    public static func randomJitter() -> Double { Double.random(in: 0.75...1) }

    /// True when a feed with `failures` failures in a row, the last of them a 410 Gone when
    /// `gone`, is shown to the user until it works again: the one rule every report of a
    /// feed's health follows.
    public func isFlagged(failures: Int, gone: Bool = false) -> Bool {
        failures > 0 && (gone || failures >= flagAfter)
    }
}
