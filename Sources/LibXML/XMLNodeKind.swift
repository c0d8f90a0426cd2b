internal import CLibXML2

/// The kinds of node the streaming reader stops at that a feed parser cares about.
public enum XMLNodeKind: Sendable, Equatable {
    case element
    case endElement
    case text
    case cdata
    case whitespace
    case other

    init(readerType: Int32) {
        switch readerType {
        case Int32(XML_READER_TYPE_ELEMENT.rawValue): self = .element
        case Int32(XML_READER_TYPE_END_ELEMENT.rawValue): self = .endElement
        case Int32(XML_READER_TYPE_TEXT.rawValue): self = .text
        case Int32(XML_READER_TYPE_CDATA.rawValue): self = .cdata
        case Int32(XML_READER_TYPE_WHITESPACE.rawValue),
             Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue): self = .whitespace
        default: self = .other
        }
    }
}
