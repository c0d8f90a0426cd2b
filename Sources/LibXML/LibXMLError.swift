internal import CLibXML2

/// A problem libxml2 reported: its message, where in the document, and which document.
public struct LibXMLError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let line: Int
    public let column: Int
    /// The document's name or URL.
    public let document: String
    /// libxml2's error number (`xmlParserErrors`), 0 when the error is not libxml2's own.
    public let code: Int

    public init(message: String, line: Int, column: Int, document: String, code: Int = 0) {
        self.message = message
        self.line = line
        self.column = column
        self.document = document
        self.code = code
    }

    public var description: String {
        "\(document):\(line):\(column): \(message)"
    }

    /// What kind of fault an error code stands for, as far as a feed reader cares.
    public var fault: XMLFault { XMLFault(code: code, message: message) }
}

/// The faults of broken feeds that a repair of the bytes can mend, and the rest.
public enum XMLFault: Sendable, Equatable {
    /// `&` that starts no reference, or an entity the document never declares (`&nbsp;`).
    case entity
    /// A character XML forbids (control characters), or bytes that are not in the encoding.
    case character
    /// The document is nested deeper than libxml2 allows.
    case depth
    case other

    init(code: Int, message: String) {
        switch UInt32(clamping: code) {
        case XML_ERR_ENTITYREF_SEMICOL_MISSING.rawValue, XML_ERR_UNDECLARED_ENTITY.rawValue,
             XML_WAR_UNDECLARED_ENTITY.rawValue, XML_ERR_NAME_REQUIRED.rawValue:
            self = .entity
        case XML_ERR_INVALID_CHARREF.rawValue, XML_ERR_INVALID_CHAR.rawValue, XML_ERR_INVALID_ENCODING.rawValue:
            self = .character
        case XML_ERR_INTERNAL_ERROR.rawValue where message.contains("Excessive depth"):
            self = .depth
        default:
            self = .other
        }
    }
}
