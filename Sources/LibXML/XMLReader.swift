internal import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// libxml2's streaming reader over an in-memory document. Owns the `xmlTextReader`
/// (freed in `deinit`); libxml2 pulls the document in small chunks through an I/O
/// callback, so it is never copied whole.
///
/// Safe for untrusted input: recover mode, no network, no entity substitution, no DTD
/// loading, libxml2's built-in size limits on. Errors are collected, never printed.
public final class XMLReader {
    private var reader: OpaquePointer?
    private let source: Source
    /// How many bytes of the document libxml2 has been given.
    private var offset = 0

    /// Where the document's bytes are.
    private enum Source {
        /// An array the reader holds.
        case array([UInt8])
        /// Memory its creator keeps valid and unchanged for the reader's whole life.
        case memory(UnsafeBufferPointer<UInt8>)
    }
    /// The document's name or URL, for errors.
    public let document: String
    /// Errors libxml2 reported while reading, in order (bounded; see `errorCount`).
    public private(set) var errors: [LibXMLError] = []
    /// How many errors were reported in all.
    public private(set) var errorCount = 0
    /// True once libxml2 gave up on the document (a fatal error it could not recover from).
    public private(set) var stopped = false

    /// - Parameters:
    ///   - bytes: the document.
    ///   - document: its name or URL, for errors (and as the base URL libxml2 reports).
    ///   - encoding: an encoding to read the document in, whatever it declares, or nil to
    ///     let libxml2 follow its BOM and declaration.
    /// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/html/xmlreader.html#xmlReaderForIO
    public convenience init(bytes: [UInt8], document: String, encoding: String? = nil) throws(LibXMLError) {
        try self.init(source: .array(bytes), document: document, encoding: encoding)
    }

    /// A reader of `bytes` where they are (a mapped file, say), with no copy. The caller
    /// keeps them valid and unchanged for the reader's whole life: it must not outlive the
    /// scope that lent them.
    public convenience init(unsafeBorrowing bytes: UnsafeBufferPointer<UInt8>, document: String,
                            encoding: String? = nil) throws(LibXMLError) {
        try self.init(source: .memory(bytes), document: document, encoding: encoding)
    }

    private init(source: Source, document: String, encoding: String?) throws(LibXMLError) {
        _ = libxmlInit
        silenceGlobalErrors()
        self.document = document
        self.source = source
        // An encoding given by the caller wins over the document's declaration.
        let options = Int32(XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
            | (encoding == nil ? 0 : XML_PARSE_IGNORE_ENC.rawValue))
        // Invariant for both callbacks: self outlives the reader (deinit frees it first).
        let context = Unmanaged.passUnretained(self).toOpaque()
        reader = xmlReaderForIO({ context, buffer, length in
            guard let context, let buffer, length > 0 else { return 0 }
            return Unmanaged<XMLReader>.fromOpaque(context).takeUnretainedValue().copyNextChunk(to: buffer, length)
        }, nil, context, document, encoding, options)
        guard let reader else {
            throw LibXMLError(message: "xmlReaderForIO failed (out of memory or unknown encoding '\(encoding ?? "")')",
                              line: 0, column: 0, document: document)
        }
        // Errors go to this reader, never to stderr.
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error else { return }
            Unmanaged<XMLReader>.fromOpaque(context).takeUnretainedValue().record(error)
        }, context)
    }

    deinit {
        xmlFreeTextReader(reader)
    }

    private func copyNextChunk(to buffer: UnsafeMutablePointer<CChar>, _ length: Int32) -> Int32 {
        switch source {
        case .array(let bytes): bytes.withUnsafeBufferPointer { copyNextChunk(of: $0, to: buffer, length) }
        case .memory(let bytes): copyNextChunk(of: bytes, to: buffer, length)
        }
    }

    private func copyNextChunk(of bytes: UnsafeBufferPointer<UInt8>, to buffer: UnsafeMutablePointer<CChar>,
                               _ length: Int32) -> Int32 {
        let count = min(Int(length), bytes.count - offset)
        guard count > 0, let base = bytes.baseAddress else { return 0 }
        UnsafeMutableRawPointer(buffer).copyMemory(from: base + offset, byteCount: count)
        offset += count
        return Int32(count)
    }

    /// Moves to the next node. False at the end of the document, or when libxml2 could
    /// not recover from an error (then `errors` says why).
    /// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/html/xmlreader.html#xmlTextReaderRead
    public func read() -> Bool {
        let result = xmlTextReaderRead(reader)
        if result < 0 { stopped = true }
        return result == 1
    }

    /// Skips the current element's subtree and moves to the node after it.
    public func skipSubtree() -> Bool {
        let result = xmlTextReaderNext(reader)
        if result < 0 { stopped = true }
        return result == 1
    }

    /// True when libxml2 can convert from the encoding `name` (libxml2's own or iconv's).
    /// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/html/encoding.html#xmlFindCharEncodingHandler
    public static func supportsEncoding(_ name: String) -> Bool {
        _ = libxmlInit
        guard let handler = xmlFindCharEncodingHandler(name) else { return false }
        xmlCharEncCloseFunc(handler)
        return true
    }

    public var kind: XMLNodeKind { XMLNodeKind(readerType: xmlTextReaderNodeType(reader)) }

    /// The local name of the current node, without its prefix.
    public var localName: String { string(xmlTextReaderConstLocalName(reader)) ?? "" }

    /// The local name of the current node as an interned token: equal to `intern(name)`
    /// exactly when the names are equal. Compares without making a string.
    public var localNameToken: XMLName { XMLName(pointer: xmlTextReaderConstLocalName(reader)) }

    /// The namespace URI of the current node as an interned token (`.none` when it has none).
    public var namespaceToken: XMLName { XMLName(pointer: xmlTextReaderConstNamespaceUri(reader)) }

    /// The token for `name` in this reader's dictionary, for comparing with
    /// `localNameToken` and `namespaceToken`.
    /// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/html/xmlreader.html#xmlTextReaderConstString
    public func intern(_ name: String) -> XMLName {
        XMLName(pointer: xmlTextReaderConstString(reader, name))
    }

    /// The namespace URI of the current node, or nil.
    public var namespaceURI: String? { string(xmlTextReaderConstNamespaceUri(reader)) }

    /// The text of a text or CDATA node.
    public var value: String? { string(xmlTextReaderConstValue(reader)) }

    /// Lends the UTF-8 bytes of the current text node's value to `body` (empty when it has none).
    public func withValue<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        guard let value = xmlTextReaderConstValue(reader) else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return body(UnsafeBufferPointer(start: value, count: strlen(UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self))))
    }

    /// Nesting depth of the current node (the root element is 0).
    public var depth: Int { Int(xmlTextReaderDepth(reader)) }

    /// True for an element written `<x/>`.
    public var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// True when the current element has attributes.
    public var hasAttributes: Bool { xmlTextReaderHasAttributes(reader) == 1 }

    /// The base URL in scope at the current node (`xml:base`, nested ones resolved, else
    /// the document name).
    public var baseURL: String? { string(xmlTextReaderConstBaseUri(reader)) }

    /// The line of the current node in the document.
    public var line: Int { Int(xmlTextReaderGetParserLineNumber(reader)) }

    /// The value of the current element's attribute `name` (a qualified name), or nil.
    public func attribute(_ name: String) -> String? {
        guard let value = withXMLString(name, { xmlTextReaderGetAttribute(reader, $0) }) else { return nil }
        defer { cxml_free(value) }
        return String(cString: value)
    }

    /// The value of the current element's attribute `localName` in namespace `namespace`.
    public func attribute(_ localName: String, namespace: String) -> String? {
        guard let value = withXMLString(localName, { name in
            withXMLString(namespace) { xmlTextReaderGetAttributeNs(reader, name, $0) }
        }) else { return nil }
        defer { cxml_free(value) }
        return String(cString: value)
    }

    /// The text content of the current element and its descendants.
    public func readString() -> String? {
        guard let value = xmlTextReaderReadString(reader) else { return nil }
        defer { cxml_free(value) }
        return String(cString: value)
    }

    /// Lends `text` to libxml2 as a NUL-terminated string, without copying it to the heap
    /// (passing a `String` where C wants `xmlChar *` makes a copy of it each time).
    private func withXMLString<Result>(_ text: String, _ body: (UnsafePointer<xmlChar>) -> Result) -> Result {
        text.withCString { body(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
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
            column: Int(error.pointee.int2), document: document, code: Int(error.pointee.code)))
    }
}

@available(*, unavailable)
extension XMLReader: Sendable {}

/// A name interned in one reader's dictionary: equal tokens are equal names. Meaningful
/// only with the reader that made it.
public struct XMLName: Hashable, Sendable {
    fileprivate let bits: UInt

    fileprivate init(pointer: UnsafePointer<xmlChar>?) {
        bits = UInt(bitPattern: pointer)
    }

    /// No name (a node without a namespace, say).
    public static let none = XMLName(pointer: nil)
}
