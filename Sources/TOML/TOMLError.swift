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
    /// What is wrong, without the position: one line, whatever the input held (keys and
    /// values quoted in it are escaped and cut, see `MessageText`).
    public let message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = MessageText.safe(message)
    }

    init(file: String, position: TOMLPosition, message: String) {
        self.init(file: file, line: position.line, column: position.column, message: message)
    }

    /// `file:line:column: message`
    public var description: String { "\(file):\(line):\(column): \(message)" }
}
