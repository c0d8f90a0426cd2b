import LibXML

/// How to read a document's bytes as characters: the BOM first, then the XML declaration,
/// then the HTTP charset, and a fallback (as newsboat and browsers do) when they lie.
struct EncodingPlan: Equatable {
    /// The encoding imposed on libxml2, or nil to let it follow the BOM and declaration.
    var imposed: String?
    /// The encoding the document is read in, as reported.
    var name: String
    /// True when the bytes are read as UTF-8 (so bytes that are not UTF-8 can be repaired).
    var utf8: Bool
    /// Why the encoding differs from what the document says, for `ParsedFeed.notes`.
    var note: String?
}

enum DocumentEncoding {
    static func plan(for bytes: UnsafeBufferPointer<UInt8>, given charset: String?) -> EncodingPlan {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return EncodingPlan(imposed: nil, name: "UTF-8", utf8: true) }
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
            return EncodingPlan(imposed: nil, name: "UTF-16", utf8: false)
        }
        if let declared = declaredEncoding(bytes) {
            return plan(for: bytes, label: declared, source: "declares")
        }
        if let charset = charset?.trimmingSpaces(), !charset.isEmpty {
            var plan = plan(for: bytes, label: charset, source: "is served as")
            if plan.imposed == nil { plan.imposed = plan.name }  // nothing in the document names it
            return plan
        }
        if isValidUTF8(bytes) { return EncodingPlan(imposed: nil, name: "UTF-8", utf8: true) }
        let guess = legacyGuess(bytes)
        return EncodingPlan(imposed: guess, name: guess, utf8: false,
                            note: "declares no encoding and is not UTF-8: read as \(guess)")
    }

    /// The plan for a document whose declaration or HTTP header names `label`.
    private static func plan(for bytes: UnsafeBufferPointer<UInt8>, label: String, source: String) -> EncodingPlan {
        let lower = label.lowercased()
        if lower == "utf-8" || lower == "utf8" { return EncodingPlan(imposed: nil, name: "UTF-8", utf8: true) }
        if isWideOrEBCDIC(lower), isASCIICompatible(bytes) {
            // The declaration itself is in ASCII: the bytes say it is wrong.
            let utf8 = isValidUTF8(bytes)
            let fallback = utf8 ? "UTF-8" : legacyGuess(bytes)
            return EncodingPlan(imposed: fallback, name: fallback, utf8: utf8,
                                note: "\(source) \(label), but its bytes are ASCII-compatible: read as \(fallback)")
        }
        guard XMLReader.supportsEncoding(label) else {
            let utf8 = isValidUTF8(bytes)
            let fallback = utf8 ? "UTF-8" : legacyGuess(bytes)
            return EncodingPlan(imposed: fallback, name: fallback, utf8: utf8,
                                note: "\(source) the unknown encoding '\(label)': read as \(fallback)")
        }
        let western = ["iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii",
                       "iso-8859-15", "windows-1252", "cp1252", "x-cp1252"].contains(lower)
        if western, bytes.contains(where: { $0 >= 0x80 }), isValidUTF8(bytes) {
            return EncodingPlan(imposed: "UTF-8", name: "UTF-8", utf8: true,
                                note: "\(source) \(label), but its bytes are UTF-8: read as UTF-8")
        }
        let latin1 = ["iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"].contains(lower)
        if latin1, bytes.contains(where: { $0 >= 0x80 && $0 <= 0x9F }) {
            // Browsers read these labels as windows-1252: its quotes and dashes live there.
            return EncodingPlan(imposed: "windows-1252", name: "windows-1252", utf8: false,
                                note: "\(source) \(label): read as windows-1252, as browsers do")
        }
        return EncodingPlan(imposed: nil, name: label, utf8: false)
    }

    /// True for an encoding in which `<?xml` is not its ASCII bytes: UTF-16, UTF-32, UCS-2,
    /// UCS-4 and the EBCDIC code pages.
    static func isWideOrEBCDIC(_ lowercasedLabel: String) -> Bool {
        let label = lowercasedLabel.filter { $0 != "-" && $0 != "_" && $0 != " " }
        return label.hasPrefix("utf16") || label.hasPrefix("utf32") || label.hasPrefix("ucs")
            || label.hasPrefix("iso10646") || label.contains("ebcdic")
            || ["cp037", "ibm037", "cp500", "ibm500", "cp1047", "ibm1047", "cp273", "ibm273", "cp1140", "ibm1140"]
                .contains(label)
    }

    /// True when the document starts as an ASCII-compatible encoding would write it: no
    /// BOM of UTF-16 or UTF-32, no NUL among its first bytes, not EBCDIC's `<?xm`.
    static func isASCIICompatible(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let head = bytes.prefix(4)
        if head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE]) { return false }
        if head.contains(0) { return false }
        return !head.elementsEqual([0x4C, 0x6F, 0xA7, 0x94])
    }

    /// The encoding an XML declaration at the start names, or nil.
    static func declaredEncoding(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.starts(with: Array("<?xml".utf8)) else { return nil }
        let declaration = bytes.prefix(256).prefix { $0 != UInt8(ascii: ">") }
        guard let range = declaration.firstRange(of: Array("encoding".utf8)) else { return nil }
        var rest = declaration[range.upperBound...].drop { $0 == 0x20 || $0 == UInt8(ascii: "=") || $0 == 0x09 }
        guard let quote = rest.first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
        rest = rest.dropFirst()
        let name = rest.prefix { $0 != quote }
        guard name.count < rest.count, !name.isEmpty else { return nil }
        return String(decoding: name, as: UTF8.self)
    }

    /// The encoding to read bytes in that are not UTF-8 and say nothing of their own:
    /// windows-1252 (what browsers do), or ISO-8859-1 when windows-1252 leaves a byte
    /// undefined, so no byte is lost.
    static func legacyGuess(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let undefinedIn1252: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]
        return bytes.contains(where: undefinedIn1252.contains) ? "ISO-8859-1" : "windows-1252"
    }

    /// True when `bytes` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        firstInvalidUTF8(bytes) == nil
    }

    /// The index of the first byte that does not start a well-formed UTF-8 sequence, or nil.
    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let end = bytes.count
        while index < end {
            // Eight ASCII bytes at a time.
            if index + 8 <= end {
                let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                    continue
                }
            }
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            if invalidUTF8Length(bytes, at: index) != nil { return index }
            index += sequenceLength(bytes[index])
        }
        return nil
    }

    /// nil when a well-formed sequence starts at `index`; else 1, the one byte to repair.
    static func invalidUTF8Length(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        guard index < bytes.count else { return nil }
        let lead = bytes[index]
        if lead < 0x80 { return nil }
        let length = sequenceLength(lead)
        guard length > 1, index + length <= bytes.count else { return 1 }
        let second = bytes[index + 1]
        switch lead {
        case 0xE0: guard second >= 0xA0 && second <= 0xBF else { return 1 }
        case 0xED: guard second >= 0x80 && second <= 0x9F else { return 1 }
        case 0xF0: guard second >= 0x90 && second <= 0xBF else { return 1 }
        case 0xF4: guard second >= 0x80 && second <= 0x8F else { return 1 }
        default: guard second & 0xC0 == 0x80 else { return 1 }
        }
        for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 { return 1 }
        return nil
    }

    /// The length a lead byte announces (0 for a byte that cannot lead).
    static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0x00..<0x80: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }
}
