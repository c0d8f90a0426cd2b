import LibXML

/// Feed text as a person reads it: HTML decoded and stripped, whitespace collapsed.
enum PlainText {
    /// Plain text of `raw`, or nil when nothing readable is left.
    static func from(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let needsHTML = raw.utf8.contains { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }
        let text = needsHTML ? HTMLDocument(html: raw).plainText : collapsingWhitespace(raw)
        return text.isEmpty ? nil : text
    }

    static func collapsingWhitespace(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
