internal import CLibXML2

/// An XML document held as a tree, to edit and write: owns the `xmlDoc` and every node
/// it ever held, removed ones included (all freed in `deinit`), so an `XMLElement` stays
/// valid as long as its tree. Used for the feed catalog (OPML), whose comments and layout
/// an edit keeps.
///
/// Parsing is as safe as `XMLReader`'s: no network, no entity substitution, no DTD loading.
public final class XMLTree {
    private let document: xmlDocPtr
    /// Nodes `removeElements` unlinked: out of the document, still owned here.
    private var removed: [xmlNodePtr] = []
    /// The document's name (a file), for errors.
    public let name: String

    /// Parses `bytes`, keeping whitespace and comments as they are.
    /// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/html/parser.html#xmlReadMemory
    public init(parsing bytes: [UInt8], name: String) throws(LibXMLError) {
        _ = libxmlInit
        silenceGlobalErrors()
        self.name = name
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                xmlReadMemory($0.baseAddress, Int32(clamping: $0.count), name, nil, options)
            }
        }
        guard let parsed else {
            let error = xmlGetLastError()
            let message = error?.pointee.message.map { String(cString: $0) } ?? "not well-formed XML"
            throw LibXMLError(message: message.split(whereSeparator: \.isNewline).joined(separator: " "),
                              line: Int(error?.pointee.line ?? 0), column: Int(error?.pointee.int2 ?? 0),
                              document: name)
        }
        guard xmlDocGetRootElement(parsed) != nil else {
            xmlFreeDoc(parsed)
            throw LibXMLError(message: "the document has no root element", line: 0, column: 0, document: name)
        }
        document = parsed
    }

    /// A new document holding only an empty root element `rootName`.
    /// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/html/tree.html#xmlNewDoc
    public init(rootName: String, name: String) {
        _ = libxmlInit
        self.name = name
        document = xmlNewDoc("1.0")
        xmlDocSetRootElement(document, xmlNewDocNode(document, nil, rootName, nil))
    }

    deinit {
        // Removed nodes first: they still use the document's string dictionary.
        for node in removed { xmlFreeNode(node) }
        xmlFreeDoc(document)
    }

    /// The root element.
    public var root: XMLElement {
        XMLElement(tree: self, node: xmlDocGetRootElement(document)!)
    }

    /// Every element named `name`, in document order.
    public func elements(named name: String) -> [XMLElement] {
        var found: [XMLElement] = []
        func visit(_ first: xmlNodePtr?) {
            var node = first
            while let current = node {
                if current.pointee.type == XML_ELEMENT_NODE {
                    if String(cString: current.pointee.name) == name { found.append(XMLElement(tree: self, node: current)) }
                    visit(current.pointee.children)
                }
                node = current.pointee.next
            }
        }
        visit(xmlDocGetRootElement(document))
        return found
    }

    /// Removes each element `match` accepts, with the whitespace before it, and
    /// returns how many it removed. An element inside another removed one counts too.
    /// The nodes are unlinked, not freed: the tree keeps them until it goes.
    @discardableResult
    public func removeElements(named name: String, where match: (XMLElement) -> Bool) -> Int {
        let doomed = elements(named: name).filter(match)
        for element in doomed {
            if let previous = element.node.pointee.prev, previous.pointee.type == XML_TEXT_NODE,
               xmlIsBlankNode(previous) == 1 {
                xmlUnlinkNode(previous)
                removed.append(previous)
            }
            xmlUnlinkNode(element.node)
            removed.append(element.node)
        }
        return doomed.count
    }

    /// The document as UTF-8 with an XML declaration; `indent` lays out a tree built
    /// without whitespace (a parsed document keeps its own layout).
    /// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/html/tree.html#xmlDocDumpFormatMemoryEnc
    public func serialized(indent: Bool) -> [UInt8] {
        var buffer: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpFormatMemoryEnc(document, &buffer, &size, "UTF-8", indent ? 1 : 0)
        guard let buffer else { return [] }
        defer { cxml_free(buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
    }
}

@available(*, unavailable)
extension XMLTree: Sendable {}

/// An element of an `XMLTree`, which owns its node: the element keeps the tree alive, so
/// its node is valid as long as the element is, removed from the document or not.
public struct XMLElement {
    let tree: XMLTree
    let node: xmlNodePtr

    public var name: String { String(cString: node.pointee.name) }

    /// The value of the attribute `name`, or nil.
    public func attribute(_ name: String) -> String? {
        guard let value = xmlGetProp(node, name) else { return nil }
        defer { cxml_free(value) }
        return String(cString: value)
    }

    /// Sets (or replaces) the attribute `name`; libxml2 escapes the value when writing.
    /// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/html/tree.html#xmlSetProp
    public func setAttribute(_ name: String, _ value: String) {
        xmlSetProp(node, name, value)
    }

    /// The first child element named `name`, or nil.
    public func child(named name: String) -> XMLElement? {
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, String(cString: current.pointee.name) == name {
                return XMLElement(tree: tree, node: current)
            }
            child = current.pointee.next
        }
        return nil
    }

    /// Appends a child element `name` holding `text` (if any) and returns it. With
    /// `indent`, the child goes on its own line, indented one step deeper than this
    /// element, and the closing tag stays on its own line.
    @discardableResult
    public func appendChild(_ name: String, text: String? = nil, indent: Bool = false) -> XMLElement {
        let document = node.pointee.doc
        if indent {
            let childIndent = "\n" + String(repeating: "  ", count: depth + 1)
            if let last = node.pointee.last, last.pointee.type == XML_TEXT_NODE, xmlIsBlankNode(last) == 1 {
                xmlNodeSetContent(last, childIndent)
            } else {
                xmlAddChild(node, xmlNewDocText(document, childIndent))
            }
        }
        let child = xmlNewDocNode(document, nil, name, nil)!
        if let text { xmlNodeAddContent(child, text) }
        xmlAddChild(node, child)
        if indent {
            xmlAddChild(node, xmlNewDocText(document, "\n" + String(repeating: "  ", count: depth)))
        }
        return XMLElement(tree: tree, node: child)
    }

    private var depth: Int {
        var count = 0
        var parent = node.pointee.parent
        while let current = parent, current.pointee.type == XML_ELEMENT_NODE {
            count += 1
            parent = current.pointee.parent
        }
        return count
    }
}
