/// Why gzip data could not be read or written, e.g. "gzip: corrupt data (incorrect data
/// check)" or "gzip: output over 20971520 bytes".
public struct GzipError: Error, CustomStringConvertible, Equatable, Sendable {
    public var reason: String
    /// The data was read as far as the caller's limit on the output, and held more.
    public var outputLimitReached = false

    public init(_ reason: String) {
        self.reason = reason
    }

    /// The output passed `maxOutput` bytes.
    static func outputOver(_ maxOutput: Int) -> GzipError {
        var error = GzipError("output over \(maxOutput) bytes")
        error.outputLimitReached = true
        return error
    }

    public var description: String { "gzip: \(reason)" }
}
