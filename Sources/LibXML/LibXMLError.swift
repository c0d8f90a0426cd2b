/// A problem libxml2 reported: its message, where in the document, and which document.
public struct LibXMLError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let line: Int
    public let column: Int
    /// The document's name or URL.
    public let document: String

    public init(message: String, line: Int, column: Int, document: String) {
        self.message = message
        self.line = line
        self.column = column
        self.document = document
    }

    public var description: String {
        "\(document):\(line):\(column): \(message)"
    }
}
