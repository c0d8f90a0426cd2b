/// A UTF-16 document, made UTF-8 before it is read, so that every repair and bound that
/// works on bytes (`DocumentRepair`: a bare `&`, a text run past libxml2's 10 MB) applies to
/// it as to any other: found by its BOM, or by `<?` written in UTF-16 without one. Its XML
/// declaration then names no encoding (the bytes are UTF-8 now).
struct WideDocument {
    /// The document in UTF-8.
    var bytes: [UInt8]
    /// What it was in: "UTF-16" (with a BOM), "UTF-16LE" or "UTF-16BE" (without).
    var encoding: String
    /// False when some code units were not well-formed UTF-16 (an unpaired surrogate, an
    /// odd last byte): each became U+FFFD.
    var wellFormed: Bool

    /// The document as UTF-8, or nil when it is not UTF-16.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        let head = Array(bytes.prefix(4))
        let littleEndian: Bool
        var start = 0
        if head.starts(with: [0xFF, 0xFE]) && !head.starts(with: [0xFF, 0xFE, 0, 0]) {  // not UTF-32's BOM
            (littleEndian, start, encoding) = (true, 2, "UTF-16")
        } else if head.starts(with: [0xFE, 0xFF]) {
            (littleEndian, start, encoding) = (false, 2, "UTF-16")
        } else if head == [0x3C, 0, 0x3F, 0] {
            (littleEndian, encoding) = (true, "UTF-16LE")
        } else if head == [0, 0x3C, 0, 0x3F] {
            (littleEndian, encoding) = (false, "UTF-16BE")
        } else {
            return nil
        }
        var units: [UInt16] = []
        units.reserveCapacity((bytes.count - start) / 2)
        var index = start
        while index + 1 < bytes.count {
            let (first, second) = (UInt16(bytes[index]), UInt16(bytes[index + 1]))
            units.append(littleEndian ? first | second << 8 : first << 8 | second)
            index += 2
        }
        wellFormed = index == bytes.count && String(validating: units, as: UTF16.self) != nil
        self.bytes = Self.withoutEncodingDeclaration(Array(String(decoding: units, as: UTF16.self).utf8))
    }

    /// `document` with the `encoding="…"` of its XML declaration removed.
    static func withoutEncodingDeclaration(_ document: [UInt8]) -> [UInt8] {
        guard document.starts(with: Array("<?xml".utf8)),
              let close = document.prefix(512).firstRange(of: Array("?>".utf8))?.lowerBound,
              let name = document[..<close].firstRange(of: Array("encoding".utf8)) else { return document }
        var end = name.upperBound
        while end < close, document[end] != UInt8(ascii: "\"") && document[end] != UInt8(ascii: "'") { end += 1 }
        guard end < close else { return document }
        let quote = document[end]
        end += 1
        while end < close, document[end] != quote { end += 1 }
        guard end < close else { return document }
        var start = name.lowerBound
        while start > 5, PlainText.isSpace(document[start - 1]) { start -= 1 }
        return Array(document[..<start] + document[(end + 1)...])
    }
}
