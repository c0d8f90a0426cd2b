import LibXML

/// Why a document could not be read as a feed (or a catalog).
public enum ParseError: Error, CustomStringConvertible, Sendable {
    /// The document is something else; `looksLike` says what ("an HTML page", "empty").
    case notAFeed(document: String, looksLike: String)
    /// libxml2 could not make sense of the document at all.
    case malformed(LibXMLError)

    public var description: String {
        switch self {
        case .notAFeed(let document, let looksLike): "parse: \(document): not a feed: looks like \(looksLike)"
        case .malformed(let error): "parse: \(error)"
        }
    }
}
