/// Why a compressed stream could not be read: the format and what failed in it, e.g.
/// "gzip: CRC-32 mismatch" or "gzip: output over 20971520 bytes".
public struct CompressionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// "gzip" or "deflate".
    public var format: String
    public var reason: String

    public init(format: String, reason: String) {
        self.format = format
        self.reason = reason
    }

    public var description: String { "\(format): \(reason)" }
}
