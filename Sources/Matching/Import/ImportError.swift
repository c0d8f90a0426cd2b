/// Why an inventory import failed: the file, where in it when known, and what is wrong.
public struct ImportError: Error, CustomStringConvertible, Sendable, Equatable {
    public let file: String
    public let line: Int?
    public let column: Int?
    public let reason: String

    public init(file: String, line: Int? = nil, column: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `import: file:line:column: reason`, with only the parts that are known.
    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if line != nil, let column { place += ":\(column)" }
        return "import: \(place): \(reason)"
    }
}
