import LibXML

/// Why a document could not be read as a feed (or a catalog).
public enum ParseError: Error, CustomStringConvertible, Sendable {
    /// The document is something else; `looksLike` says what ("an HTML page", "empty").
    case notAFeed(document: String, looksLike: String)
    /// libxml2 could not make sense of the document at all.
    case malformed(LibXMLError)
    /// The document is larger than `FeedLimits.maxDocumentBytes`.
    case tooLarge(document: String, bytes: Int)

    public var description: String {
        switch self {
        case .notAFeed(let document, let looksLike): "parse: \(document): not a feed: looks like \(looksLike)"
        case .malformed(let error): "parse: \(error)"
        case .tooLarge(let document, let bytes):
            "parse: \(document): the document is \(megabytes(bytes)), more than the \(megabytes(FeedLimits.maxDocumentBytes)) a feed may be"
        }
    }
}

private func megabytes(_ bytes: Int) -> String {
    let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024)
    return "\(tenths / 10).\(tenths % 10) MB"
}
