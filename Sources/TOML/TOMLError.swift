/// Every error from parsing or decoding TOML: where it is and what is wrong.
///
/// Its description reads `file:line:column: message`, the form editors and compilers use.
public struct TOMLError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file name as it was passed in.
    public let file: String
    /// The 1-based line.
    public let line: Int
    /// The 1-based column, counted in Unicode scalars.
    public let column: Int
    /// What is wrong, without the position.
    public let message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    init(file: String, position: TOMLPosition, message: String) {
        self.init(file: file, line: position.line, column: position.column, message: message)
    }

    /// `file:line:column: message`
    public var description: String { "\(file):\(line):\(column): \(message)" }
}
