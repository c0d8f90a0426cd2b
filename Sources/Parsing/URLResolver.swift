import LibXML

/// Resolves a link found in a feed against its base (`xml:base`, else the document URL),
/// by RFC 3986 §5.2, through libxml2 (`URIReference`).
enum URLResolver {
    /// `reference` without the spaces around it, resolved against `base` when that is an
    /// absolute URI; as it is otherwise (no base, a relative one, or one libxml2 cannot read).
    static func resolve(_ reference: String, against base: String?) -> String {
        let reference = reference.trimmingSpaces()
        guard let base else { return reference }
        return URIReference.resolve(reference, against: base) ?? reference
    }
}

extension String {
    /// The string without ASCII whitespace at either end.
    func trimmingSpaces() -> String {
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { !PlainText.isSpace($0) }) else { return "" }
        let last = bytes.lastIndex(where: { !PlainText.isSpace($0) })!
        if first == bytes.startIndex && bytes.index(after: last) == bytes.endIndex { return self }
        return String(self[first...last])
    }
}
