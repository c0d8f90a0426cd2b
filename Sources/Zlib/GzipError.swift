/// Why gzip data could not be read or written, e.g. "gzip: corrupt data (incorrect data
/// check)" or "gzip: output over 20971520 bytes".
public struct GzipError: Error, CustomStringConvertible, Equatable, Sendable {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "gzip: \(reason)" }
}
