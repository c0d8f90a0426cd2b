internal import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// An HTML fragment parsed by libxml2's forgiving HTML parser. Owns the `htmlDocPtr`
/// (freed in `deinit`). Used to turn feed markup into plain text.
public final class HTMLDocument {
    private let document: htmlDocPtr?

    /// Parses `html` as UTF-8, recovering from broken markup, with no network access.
    public init(html: String) {
        document = Array(html.utf8).withUnsafeBufferPointer(Self.parse)
    }

    /// Parses the UTF-8 bytes of an HTML fragment (libxml2 copies what it keeps).
    public init(utf8: UnsafeBufferPointer<UInt8>) {
        document = Self.parse(utf8)
    }

    /// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/html/HTMLparser.html#htmlReadMemory
    private static func parse(_ utf8: UnsafeBufferPointer<UInt8>) -> htmlDocPtr? {
        _ = libxmlInit
        silenceGlobalErrors()
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        return utf8.withMemoryRebound(to: CChar.self) {
            guard let base = $0.baseAddress else { return nil }
            return htmlReadMemory(base, Int32(clamping: $0.count), nil, "UTF-8", options)
        }
    }

    deinit {
        xmlFreeDoc(document)
    }

    /// The text a reader sees: entities decoded, `script` and `style` left out, block
    /// elements and line breaks turned into spaces, whitespace collapsed.
    public var plainText: String {
        var result: [UInt8] = []
        var pendingSpace = false
        for byte in text where byte != 0 {
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

    /// The document's text as UTF-8, whitespace as the document has it, with a space on
    /// each side of every element that is not inline; `script`, `style` and `head` left out;
    /// code (`code`, `pre`, `kbd`, `samp`, `tt`, the outermost of nested ones) between
    /// backticks, as Markdown writes it, so that readers of the text know it is code.
    public var text: [UInt8] {
        var text: [UInt8] = []
        guard let document, let root = xmlDocGetRootElement(document) else { return text }
        var codeDepth = 0
        Self.appendText(of: root, to: &text, codeDepth: &codeDepth)
        return text
    }

    /// Elements whose content is not text for a reader.
    public static let skippedElements: Set<String> = ["script", "style", "head", "noscript", "template"]
    /// Elements that sit inside a line of text; every other element separates words.
    public static let inlineElements: Set<String> = [
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark",
        "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var",
    ]
    /// Elements whose text is code, written between backticks.
    public static let codeElements: Set<String> = ["code", "pre", "kbd", "samp", "tt"]

    private static func appendText(of node: xmlNodePtr, to text: inout [UInt8], codeDepth: inout Int) {
        var child: xmlNodePtr? = node
        while let current = child {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content {
                    text.append(contentsOf: UnsafeBufferPointer(start: content, count: strlen(
                        UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))))
                }
            case XML_ELEMENT_NODE:
                let name = current.pointee.name.map { String(cString: $0) } ?? ""
                guard !skippedElements.contains(name) else { break }
                let separates = !inlineElements.contains(name)
                let isCode = codeElements.contains(name)
                if separates { text.append(0x20) }
                if isCode {
                    if codeDepth == 0 { text.append(UInt8(ascii: "`")) }
                    codeDepth += 1
                }
                if let children = current.pointee.children { appendText(of: children, to: &text, codeDepth: &codeDepth) }
                if isCode {
                    codeDepth -= 1
                    if codeDepth == 0 { text.append(UInt8(ascii: "`")) }
                }
                if separates { text.append(0x20) }
            default:
                break
            }
            child = current.pointee.next
        }
    }

    /// The code point of the HTML 4 entity `name` (without `&` and `;`), as libxml2's HTML
    /// parser knows it, or nil.
    /// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/html/HTMLparser.html#htmlEntityLookup
    public static func entity(named name: UnsafeBufferPointer<UInt8>) -> UInt32? {
        guard name.count < 16 else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
            _ = buffer.initialize(from: name)
            buffer[name.count] = 0
            return htmlEntityLookup(buffer.baseAddress).map { $0.pointee.value }
        }
    }
}

@available(*, unavailable)
extension HTMLDocument: Sendable {}
