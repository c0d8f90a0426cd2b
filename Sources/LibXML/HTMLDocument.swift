internal import CLibXML2

/// An HTML fragment parsed by libxml2's forgiving HTML parser. Owns the `htmlDocPtr`
/// (freed in `deinit`). Used to turn feed markup into plain text.
public final class HTMLDocument {
    private let document: htmlDocPtr?

    /// Parses `html` as UTF-8, recovering from broken markup, with no network access.
    /// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/html/HTMLparser.html#htmlReadMemory
    public init(html: String) {
        _ = libxmlInit
        silenceGlobalErrors()
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        var utf8 = Array(html.utf8)
        document = utf8.withUnsafeMutableBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                htmlReadMemory($0.baseAddress, Int32(clamping: $0.count), nil, "UTF-8", options)
            }
        }
    }

    deinit {
        xmlFreeDoc(document)
    }

    /// The text a reader sees: entities decoded, `script` and `style` left out, block
    /// elements and line breaks turned into spaces, whitespace collapsed.
    public var plainText: String {
        guard let document, let root = xmlDocGetRootElement(document) else { return "" }
        var text: [UInt8] = []
        Self.appendText(of: root, to: &text)
        return Self.collapsingWhitespace(text)
    }

    private static let skipped: Set<String> = ["script", "style", "head", "noscript", "template"]
    /// Elements that sit inside a line of text; every other element separates words.
    private static let inline: Set<String> = [
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark",
        "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var",
    ]

    private static func appendText(of node: xmlNodePtr, to text: inout [UInt8]) {
        var child: xmlNodePtr? = node
        while let current = child {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                var byte = current.pointee.content
                while let pointer = byte, pointer.pointee != 0 {
                    text.append(pointer.pointee)
                    byte = pointer + 1
                }
            case XML_ELEMENT_NODE:
                let name = current.pointee.name.map { String(cString: $0) } ?? ""
                guard !skipped.contains(name) else { break }
                let separates = !inline.contains(name)
                if separates { text.append(0x20) }
                if let children = current.pointee.children { appendText(of: children, to: &text) }
                if separates { text.append(0x20) }
            default:
                break
            }
            child = current.pointee.next
        }
    }

    private static func collapsingWhitespace(_ bytes: [UInt8]) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var pendingSpace = false
        for byte in bytes {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(0x20) }
                pendingSpace = false
                result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}

@available(*, unavailable)
extension HTMLDocument: Sendable {}
