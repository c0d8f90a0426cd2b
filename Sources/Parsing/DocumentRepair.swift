import LibXML

/// Mends the classic faults of broken feeds in the bytes, before a second reading, so the
/// entries around a fault keep their text:
/// - a bare `&` (`AT&T`, `?a=1&b=2`) becomes `&amp;`;
/// - an HTML entity XML does not know (`&nbsp;`, `&eacute;`) becomes its character
///   reference; an unknown one is kept as text (`&amp;bogus;`);
/// - control characters XML forbids are removed;
/// - in a document read as UTF-8, bytes that are not UTF-8 are read as windows-1252.
/// Comments, CDATA sections, processing instructions and the DOCTYPE are left alone (but
/// for control characters and bytes), and entities the DOCTYPE declares are kept.
struct DocumentRepair {
    private(set) var output: [UInt8] = []
    private var bareAmpersands = 0
    private var htmlEntities: [String] = []
    private var unknownEntities: [String] = []
    private var controlCharacters = 0
    private var invalidBytes = 0
    private var declaredEntities: Set<[UInt8]> = []

    /// The repaired document and what was done, or nil when there was nothing to repair.
    static func repair(_ bytes: UnsafeBufferPointer<UInt8>, utf8: Bool) -> (bytes: [UInt8], notes: [String])? {
        var repair = DocumentRepair()
        repair.output.reserveCapacity(bytes.count + bytes.count / 64)
        repair.run(bytes, utf8: utf8)
        let notes = repair.notes
        return notes.isEmpty ? nil : (repair.output, notes)
    }

    var notes: [String] {
        var notes: [String] = []
        if bareAmpersands > 0 { notes.append("repaired \(bareAmpersands) bare '&' (as '&amp;')") }
        if !htmlEntities.isEmpty {
            notes.append("read \(htmlEntities.count) HTML entities XML does not define ("
                + Set(htmlEntities).sorted().prefix(5).map { "&\($0);" }.joined(separator: " ") + ")")
        }
        if !unknownEntities.isEmpty {
            notes.append("kept \(unknownEntities.count) unknown entities as text ("
                + Set(unknownEntities).sorted().prefix(5).map { "&\($0);" }.joined(separator: " ") + ")")
        }
        if controlCharacters > 0 { notes.append("removed \(controlCharacters) control characters XML forbids") }
        if invalidBytes > 0 { notes.append("read \(invalidBytes) bytes that are not UTF-8 as windows-1252") }
        return notes
    }

    private mutating func run(_ input: UnsafeBufferPointer<UInt8>, utf8: Bool) {
        var index = 0
        let end = input.count
        while index < end {
            let byte = input[index]
            switch byte {
            case UInt8(ascii: "&"):
                index = reference(input, at: index)
            case UInt8(ascii: "<"):
                if let (close, kind) = Self.markup(input, at: index) {
                    if kind == .doctype { collectEntities(input[index..<min(close, end)]) }
                    index = copyVerbatim(input, from: index, to: close, utf8: utf8)
                } else {
                    output.append(byte)
                    index += 1
                }
            case 0x09, 0x0A, 0x0D:
                output.append(byte)
                index += 1
            case 0x00..<0x20:
                controlCharacters += 1
                index += 1
            case 0x80...:
                index = copySequence(input, at: index, utf8: utf8)
            default:
                output.append(byte)
                index += 1
            }
        }
    }

    private enum Markup { case comment, cdata, instruction, doctype }

    /// A comment, CDATA section, processing instruction or DOCTYPE starting at `start`:
    /// the index after its end, and its kind.
    private static func markup(_ input: UnsafeBufferPointer<UInt8>, at start: Int) -> (Int, Markup)? {
        func startsWith(_ text: String) -> Bool {
            let pattern = Array(text.utf8)
            return start + pattern.count <= input.count && input[start..<start + pattern.count].elementsEqual(pattern)
        }
        func after(_ terminator: String, from: Int) -> Int {
            let pattern = Array(terminator.utf8)
            var cursor = from
            while cursor + pattern.count <= input.count {
                if input[cursor] == pattern[0] && input[cursor..<cursor + pattern.count].elementsEqual(pattern) {
                    return cursor + pattern.count
                }
                cursor += 1
            }
            return input.count
        }
        if startsWith("<!--") { return (after("-->", from: start + 4), .comment) }
        if startsWith("<![CDATA[") { return (after("]]>", from: start + 9), .cdata) }
        if startsWith("<?") { return (after("?>", from: start + 2), .instruction) }
        if startsWith("<!DOCTYPE") {
            // To the '>' that closes it, past an internal subset in brackets.
            var cursor = start + 9
            var bracket = false
            while cursor < input.count {
                let byte = input[cursor]
                if byte == UInt8(ascii: "[") { bracket = true }
                if byte == UInt8(ascii: "]") { bracket = false }
                if byte == UInt8(ascii: ">") && !bracket { return (cursor + 1, .doctype) }
                cursor += 1
            }
            return (input.count, .doctype)
        }
        return nil
    }

    /// Copies `input[from..<to]`, mending only control characters and bytes.
    private mutating func copyVerbatim(_ input: UnsafeBufferPointer<UInt8>, from: Int, to: Int, utf8: Bool) -> Int {
        var index = from
        while index < to {
            let byte = input[index]
            if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
                controlCharacters += 1
                index += 1
            } else if byte >= 0x80 {
                index = copySequence(input, at: index, utf8: utf8)
            } else {
                output.append(byte)
                index += 1
            }
        }
        return to
    }

    /// Copies the character starting at `index`; in UTF-8, a byte that starts no
    /// well-formed sequence is written as the windows-1252 character it would be.
    private mutating func copySequence(_ input: UnsafeBufferPointer<UInt8>, at index: Int, utf8: Bool) -> Int {
        guard utf8 else {
            output.append(input[index])
            return index + 1
        }
        if DocumentEncoding.invalidUTF8Length(input, at: index) == nil {
            let length = DocumentEncoding.sequenceLength(input[index])
            output.append(contentsOf: input[index..<index + length])
            return index + length
        }
        invalidBytes += 1
        let scalar = Self.windows1252(input[index])
        output.append(contentsOf: UTF8.encode(scalar)!)
        return index + 1
    }

    static func windows1252(_ byte: UInt8) -> Unicode.Scalar {
        let high: [UInt32] = [
            0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
            0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
        ]
        let value = byte >= 0x80 && byte <= 0x9F ? high[Int(byte - 0x80)] : UInt32(byte)
        return Unicode.Scalar(value)!
    }

    /// Mends the reference (or bare `&`) at `start`; returns the index after it.
    private mutating func reference(_ input: UnsafeBufferPointer<UInt8>, at start: Int) -> Int {
        var cursor = start + 1
        let limit = min(input.count, start + 40)
        if let (value, semicolon) = CharacterReference.numeric(input, at: start, limit: limit) {
            if CharacterReference.isXMLCharacter(value) {
                output.append(contentsOf: input[start...semicolon])
            } else {
                controlCharacters += 1
            }
            return semicolon + 1
        } else if cursor < limit && input[cursor] != UInt8(ascii: "#") {
            while cursor < limit, Self.isNameByte(input[cursor], first: cursor == start + 1) { cursor += 1 }
            if cursor > start + 1, cursor < limit, input[cursor] == UInt8(ascii: ";") {
                let name = Array(input[(start + 1)..<cursor])
                if Self.predefined.contains(name) || declaredEntities.contains(name) {
                    output.append(contentsOf: input[start...cursor])
                } else if let value = name.withUnsafeBufferPointer(HTMLDocument.entity(named:)) {
                    htmlEntities.append(String(decoding: name, as: UTF8.self))
                    output.append(contentsOf: Array("&#\(value);".utf8))
                } else {
                    unknownEntities.append(String(decoding: name, as: UTF8.self))
                    output.append(contentsOf: Array("&amp;".utf8))
                    output.append(contentsOf: input[(start + 1)...cursor])
                }
                return cursor + 1
            }
        }
        bareAmpersands += 1
        output.append(contentsOf: Array("&amp;".utf8))
        return start + 1
    }

    private static let predefined: Set<[UInt8]> = Set(["amp", "lt", "gt", "quot", "apos"].map { Array($0.utf8) })

    /// Names the DOCTYPE's internal subset declares with `<!ENTITY name`.
    private mutating func collectEntities(_ doctype: Slice<UnsafeBufferPointer<UInt8>>) {
        let marker = Array("<!ENTITY".utf8)
        var cursor = doctype.startIndex
        while cursor + marker.count < doctype.endIndex {
            guard doctype[cursor..<cursor + marker.count].elementsEqual(marker) else {
                cursor += 1
                continue
            }
            cursor += marker.count
            while cursor < doctype.endIndex, PlainText.isSpace(doctype[cursor]) { cursor += 1 }
            if cursor < doctype.endIndex, doctype[cursor] == UInt8(ascii: "%") { continue }  // parameter entity
            let nameStart = cursor
            while cursor < doctype.endIndex, Self.isNameByte(doctype[cursor], first: cursor == nameStart) { cursor += 1 }
            if cursor > nameStart { declaredEntities.insert(Array(doctype[nameStart..<cursor])) }
        }
    }

    private static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
        PlainText.isLetter(byte) || byte == UInt8(ascii: "_") || byte >= 0x80
            || (!first && (PlainText.isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")))
    }
}
