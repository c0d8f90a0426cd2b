internal import CLibXML2

/// URI references resolved by libxml2 (`xmlBuildURI`, RFC 3986 §5.2).
public enum URIReference {
    /// `reference` resolved against the absolute URI `base`; nil when libxml2 cannot read
    /// either. An absolute reference comes back as given.
    /// A relative reference with characters a URI may not hold (`[`, `^`, a space, a
    /// non-ASCII letter) is percent-encoded by libxml2 (`xmlURIEscapeStr`) first, as a
    /// browser would, then resolved.
    public static func resolve(_ reference: String, against base: String) -> String? {
        guard isAbsolute(base), let built = xmlBuildURI(reference, base) ?? buildEscaped(reference, base) else { return nil }
        defer { cxml_free(built) }
        // libxml2 2.9 leaves the dot segments of a reference that is an absolute path
        // ("/../g" → "http://a/../g"): its own path normalization removes them, as
        // §5.2.4 does.
        if let parsed = ParsedURI(built), parsed.hasDotSegments, let normalized = parsed.normalizedText() {
            return normalized
        }
        return String(cString: built)
    }
}

extension URIReference {
    /// `xmlBuildURI` of `reference` with its characters escaped, all but the delimiters
    /// and `%` (so escapes already there stay as they are).
    private static func buildEscaped(_ reference: String, _ base: String) -> UnsafeMutablePointer<xmlChar>? {
        guard let escaped = xmlURIEscapeStr(reference, ";/?:&=+$,#%") else { return nil }
        defer { cxml_free(escaped) }
        return xmlBuildURI(escaped, base)
    }

    /// True when libxml2 reads `text` as a URI with a scheme.
    public static func isAbsolute(_ text: String) -> Bool {
        text.withCString { pointer in
            ParsedURI(UnsafeRawPointer(pointer).assumingMemoryBound(to: xmlChar.self))?.hasScheme ?? false
        }
    }
}

/// A URI as libxml2 parses it (`xmlParseURI`). Owns its `xmlURI` and frees it in `deinit`.
private final class ParsedURI {
    private let uri: xmlURIPtr

    init?(_ text: UnsafePointer<xmlChar>) {
        guard let uri = xmlParseURI(UnsafeRawPointer(text).assumingMemoryBound(to: CChar.self)) else { return nil }
        self.uri = uri
    }

    deinit {
        xmlFreeURI(uri)
    }

    var hasScheme: Bool { uri.pointee.scheme != nil }

    /// True when the path has a "." or ".." segment.
    var hasDotSegments: Bool {
        guard let path = uri.pointee.path else { return false }
        // Byte by byte: a segment is "." or ".." when its bytes are (a dot with a mark after
        // it is a longer segment either way).
        var segmentStart = 0
        var index = 0
        while true {
            let byte = UInt8(bitPattern: path[index])
            if byte == UInt8(ascii: "/") || byte == 0 {
                let length = index - segmentStart
                let dots = (segmentStart..<index).allSatisfy { path[$0] == CChar(UInt8(ascii: ".")) }
                if dots && (length == 1 || length == 2) { return true }
                if byte == 0 { return false }
                segmentStart = index + 1
            }
            index += 1
        }
    }

    /// The URI again, its path normalized by `xmlNormalizeURIPath` (in place).
    func normalizedText() -> String? {
        if let path = uri.pointee.path { xmlNormalizeURIPath(path) }
        guard let saved = xmlSaveUri(uri) else { return nil }
        defer { cxml_free(saved) }
        return String(cString: saved)
    }
}
