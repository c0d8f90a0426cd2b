/// A problem with the database that is not one SQLite call's failure.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "store: \(path): \(reason)" }
}
