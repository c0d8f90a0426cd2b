internal import CLibXML2

/// libxml2's streaming reader over an in-memory document. Owns the `xmlTextReader`
/// (freed in `deinit`) and a copy of the bytes it reads, so no pointer escapes.
///
/// Safe for untrusted input: recover mode, no network, no entity substitution, no DTD
/// loading, libxml2's built-in size limits on. Errors are collected, never printed.
public final class XMLReader {
    private let reader: OpaquePointer
    private let buffer: UnsafeMutableBufferPointer<CChar>
    /// The document's name or URL, for errors.
    public let document: String
    /// Errors libxml2 reported while reading, in order (bounded; see `errorCount`).
    public private(set) var errors: [LibXMLError] = []
    /// How many errors were reported in all.
    public private(set) var errorCount = 0

    /// - Parameters:
    ///   - bytes: the document.
    ///   - document: its name or URL, for errors (and as the base URL libxml2 reports).
    ///   - encoding: an encoding to use instead of the one the document declares (e.g. the
    ///     HTTP charset), or nil to let libxml2 detect it.
    /// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/html/xmlreader.html#xmlReaderForMemory
    public init(bytes: [UInt8], document: String, encoding: String? = nil) throws(LibXMLError) {
        _ = libxmlInit
        silenceGlobalErrors()
        self.document = document
        let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(bytes.count, 1))
        _ = bytes.withUnsafeBytes { buffer.initialize(from: $0.bindMemory(to: CChar.self)) }
        self.buffer = buffer
        let options = Int32(XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
        guard let reader = xmlReaderForMemory(buffer.baseAddress, Int32(clamping: bytes.count), document,
                                              encoding, options) else {
            buffer.deallocate()
            throw LibXMLError(message: "xmlReaderForMemory failed (out of memory or unknown encoding '\(encoding ?? "")')",
                              line: 0, column: 0, document: document)
        }
        self.reader = reader
        // Errors go to this reader, never to stderr. Invariant: self outlives the reader.
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error else { return }
            Unmanaged<XMLReader>.fromOpaque(context).takeUnretainedValue().record(error)
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        xmlFreeTextReader(reader)
        buffer.deallocate()
    }

    /// Moves to the next node. False at the end of the document, or when libxml2 could
    /// not recover from an error (then `errors` says why).
    /// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/html/xmlreader.html#xmlTextReaderRead
    public func read() -> Bool {
        xmlTextReaderRead(reader) == 1
    }

    /// Skips the current element's subtree and moves to the node after it.
    public func skipSubtree() -> Bool {
        xmlTextReaderNext(reader) == 1
    }

    public var kind: XMLNodeKind { XMLNodeKind(readerType: xmlTextReaderNodeType(reader)) }

    /// The local name of the current node, without its prefix.
    public var localName: String { string(xmlTextReaderConstLocalName(reader)) ?? "" }

    /// The namespace URI of the current node, or nil.
    public var namespaceURI: String? { string(xmlTextReaderConstNamespaceUri(reader)) }

    /// The text of a text or CDATA node.
    public var value: String? { string(xmlTextReaderConstValue(reader)) }

    /// Nesting depth of the current node (the root element is 0).
    public var depth: Int { Int(xmlTextReaderDepth(reader)) }

    /// True for an element written `<x/>`.
    public var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// The base URL in scope at the current node (`xml:base`, else the document name).
    public var baseURL: String? { string(xmlTextReaderConstBaseUri(reader)) }

    /// The value of the current element's attribute `name` (a qualified name), or nil.
    public func attribute(_ name: String) -> String? {
        guard let value = xmlTextReaderGetAttribute(reader, name) else { return nil }
        defer { cxml_free(value) }
        return String(cString: value)
    }

    /// The value of the current element's attribute `localName` in namespace `namespace`.
    public func attribute(_ localName: String, namespace: String) -> String? {
        guard let value = xmlTextReaderGetAttributeNs(reader, localName, namespace) else { return nil }
        defer { cxml_free(value) }
        return String(cString: value)
    }

    /// The text content of the current element and its descendants.
    public func readString() -> String? {
        guard let value = xmlTextReaderReadString(reader) else { return nil }
        defer { cxml_free(value) }
        return String(cString: value)
    }

    /// The markup inside the current element, children included, as a string.
    public func readInnerXML() -> String? {
        guard let value = xmlTextReaderReadInnerXml(reader) else { return nil }
        defer { cxml_free(value) }
        return String(cString: value)
    }

    private func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static let keptErrors = 20

    private func record(_ error: xmlErrorPtr) {
        errorCount += 1
        guard errors.count < Self.keptErrors else { return }
        let message = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
        errors.append(LibXMLError(
            message: message.split(whereSeparator: \.isNewline).joined(separator: " "), line: Int(error.pointee.line),
            column: Int(error.pointee.int2), document: document))
    }
}

@available(*, unavailable)
extension XMLReader: Sendable {}
