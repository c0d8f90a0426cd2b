import LibXML

/// Mends the classic faults of broken feeds in the bytes, before a second reading, so the
/// entries around a fault keep their text:
/// - a bare `&` (`AT&T`, `?a=1&b=2`) becomes `&amp;`;
/// - an HTML entity XML does not know (`&nbsp;`, `&eacute;`) becomes its character
///   reference; an unknown one is kept as text (`&amp;bogus;`);
/// - control characters XML forbids are removed;
/// - in a document read as UTF-8, bytes that are not UTF-8 are read as windows-1252.
/// - a reference to an entity the DOCTYPE's internal subset declares is replaced by its
///   value (libxml2, kept from substituting entities, would drop it silently); nested
///   ones too, within `maxEntityExpansion` bytes in all; an external one is kept as text;
/// - a run of text (or a CDATA section) longer than `maxTextRun` is cut there, and a
///   longer comment or processing instruction dropped: libxml2 gives up on a text node of
///   more than 10 MB, and everything after it with it, where the reader keeps only
///   `FeedLimits.maxFieldBytes` of a field anyway.
/// Comments, CDATA sections, processing instructions and the DOCTYPE are left alone (but
/// for control characters, bytes and length).
///
/// Linear in the document: each byte is looked at a bounded number of times.
struct DocumentRepair {
    private(set) var output: [UInt8] = []
    private var bareAmpersands = 0
    private var htmlEntities: [String] = []
    private var unknownEntities: [String] = []
    private var controlCharacters = 0
    private var invalidBytes = 0
    private var textRunsCut = 0
    /// Internal entities the DOCTYPE declares, by name: their values as written.
    private var internalEntities: [[UInt8]: [UInt8]] = [:]
    /// External entities the DOCTYPE declares (never fetched).
    private var externalEntities: Set<[UInt8]> = []
    private var expandedEntities: [String] = []
    private var keptEntities: [String] = []
    /// References left to libxml2: their expansion would pass the bounds.
    private var leftEntities: [String] = []
    private var expansionBytes = 0
    /// Where the current run of text started in `output`.
    private var runStart = 0

    /// The longest run of text (or CDATA section, comment or processing instruction) kept,
    /// in document bytes. In an ASCII-compatible encoding a byte makes at most 3 bytes of
    /// UTF-8, so what is kept stays below libxml2's 10,000,000-byte text node, and above
    /// `FeedLimits.maxFieldBytes` for a field in UTF-8.
    static let maxTextRun = 3 * 1024 * 1024
    /// The most bytes references to declared entities may add to a document in all.
    static let maxEntityExpansion = 1024 * 1024
    /// How deep declared entities may refer to one another.
    static let maxEntityDepth = 8

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
        if !expandedEntities.isEmpty {
            notes.append("expanded \(expandedEntities.count) references to entities the document declares ("
                + Set(expandedEntities).sorted().prefix(5).map { "&\($0);" }.joined(separator: " ") + ")")
        }
        if !keptEntities.isEmpty {
            notes.append("kept \(keptEntities.count) references to external entities as text, never fetched ("
                + Set(keptEntities).sorted().prefix(5).map { "&\($0);" }.joined(separator: " ") + ")")
        }
        if !leftEntities.isEmpty {
            notes.append("did not expand \(leftEntities.count) references to entities past \(Self.maxEntityExpansion / 1024) KB "
                + "or \(Self.maxEntityDepth) levels (" + Set(leftEntities).sorted().prefix(5).map { "&\($0);" }
                .joined(separator: " ") + "): libxml2 drops them")
        }
        if textRunsCut > 0 {
            notes.append("cut \(textRunsCut) runs of text longer than \(Self.maxTextRun / (1024 * 1024)) MB before reading "
                + "(libxml2 gives up on a text node of 10 MB)")
        }
        return notes
    }

    /// True when reading `bytes` as they are would cost more than reading them repaired, or
    /// lose text without a fault libxml2 reports: a `&` that is not a predefined or numeric
    /// reference (libxml2's reader slows down with the square of the text after a bare
    /// one, and drops references to declared entities silently), or a run of text (or a
    /// CDATA section or comment) longer than `maxTextRun`. A `&` in a CDATA section or a
    /// comment is text there, which the repair leaves alone: HTML summaries in CDATA with
    /// `&nbsp;` in them, most of some feeds, are read as they are. One pass, no copy.
    static func isWorthRepairingFirst(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        var lastMarkup = 0
        var index = 0
        let end = input.count
        while index < end {
            // Eight bytes at a time past text with neither '<' nor '&' (most of a document).
            if index + 8 <= end {
                let word = UnsafeRawPointer(input.baseAddress! + index).loadUnaligned(as: UInt64.self)
                if !Self.contains(word, UInt8(ascii: "<")) && !Self.contains(word, UInt8(ascii: "&")) {
                    index += 8
                    continue
                }
            }
            let byte = input[index]
            if byte == UInt8(ascii: "<") {
                if index - lastMarkup > maxTextRun { return true }
                if index + 1 < end, input[index + 1] == UInt8(ascii: "!"),
                   let (close, kind) = markup(input, at: index), kind == .cdata || kind == .comment {
                    if close - index > maxTextRun { return true }
                    index = close
                    lastMarkup = close
                    continue
                }
                lastMarkup = index
            } else if byte == UInt8(ascii: "&") && !isPredefinedReference(input, at: index) {
                return true
            }
            index += 1
        }
        return end - lastMarkup > maxTextRun
    }

    /// True when one of the eight bytes of `word` is `byte`.
    @inline(__always)
    private static func contains(_ word: UInt64, _ byte: UInt8) -> Bool {
        let spread = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))  // a zero byte where `byte` was
        return (spread &- 0x0101_0101_0101_0101) & ~spread & 0x8080_8080_8080_8080 != 0
    }

    /// True when a predefined entity reference (`&amp;` …) or a numeric reference to a
    /// character XML allows starts at `start`.
    private static func isPredefinedReference(_ input: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        keptReferenceEnd(input, at: start) != nil
    }

    private mutating func run(_ input: UnsafeBufferPointer<UInt8>, utf8: Bool) {
        var index = 0
        let end = input.count
        // `input[copied..<index]` is kept as it is and not written yet: it is appended in one
        // piece when something needs mending (or at the end), not byte by byte; most of a
        // document is such bytes.
        var copied = 0
        // The last index where text may go on before its run is longer than `maxTextRun`
        // (where the run's length, `output.count + (index - copied) - runStart`, passes it).
        var runEnd = Self.maxTextRun
        while index < end {
            // Eight bytes at a time past printable ASCII other than '<' and '&' (most of a document).
            if index + 8 <= end && index + 7 <= runEnd {
                let word = ByteWord.load(input, at: index)
                let special = ByteWord.bytes(word, equalTo: UInt8(ascii: "<")) | ByteWord.bytes(word, equalTo: UInt8(ascii: "&"))
                    | ByteWord.controlBytes(word) | word & 0x8080_8080_8080_8080
                if special == 0 {
                    index += 8
                    continue
                }
            }
            let byte = input[index]
            if byte != UInt8(ascii: "<") && index > runEnd {
                // The rest of this run of text is more than any field keeps.
                output.append(contentsOf: UnsafeBufferPointer(rebasing: input[copied..<index]))
                textRunsCut += 1
                while index < end && input[index] != UInt8(ascii: "<") { index += 1 }
                copied = index
                runEnd = runStart + Self.maxTextRun - output.count + copied
                continue
            }
            switch byte {
            case 0x20..<0x80 where byte != UInt8(ascii: "&") && byte != UInt8(ascii: "<"), 0x09, 0x0A, 0x0D:
                index += 1
                continue
            case UInt8(ascii: "<"):
                let next = index + 1 < end ? input[index + 1] : 0
                guard next == UInt8(ascii: "!") || next == UInt8(ascii: "?") else {
                    // An element's tag, kept: a run of text starts here.
                    runStart = output.count + (index - copied)
                    runEnd = index + Self.maxTextRun
                    index += 1
                    continue
                }
            case UInt8(ascii: "&"):
                if let after = Self.keptReferenceEnd(input, at: index) {
                    index = after
                    continue
                }
            case 0x80...:
                if !utf8 {
                    index += 1
                    continue
                }
                if DocumentEncoding.invalidUTF8Length(input, at: index) == nil {
                    index += DocumentEncoding.sequenceLength(byte)
                    continue
                }
            default:
                break
            }
            // Something to mend, or markup to look at: what is kept so far is written first.
            output.append(contentsOf: UnsafeBufferPointer(rebasing: input[copied..<index]))
            switch byte {
            case UInt8(ascii: "&"):
                index = reference(input, at: index)
            case UInt8(ascii: "<"):
                runStart = output.count
                if let (close, kind) = Self.markup(input, at: index) {
                    if kind == .doctype { collectEntities(input[index..<min(close, end)]) }
                    index = copyMarkup(input, from: index, to: close, kind: kind, utf8: utf8)
                    runStart = output.count
                } else {
                    output.append(byte)
                    index += 1
                }
            case 0x80...:
                index = copySequence(input, at: index, utf8: utf8)
            default:  // a control character XML forbids
                controlCharacters += 1
                index += 1
            }
            copied = index
            runEnd = runStart + Self.maxTextRun - output.count + copied
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: input[copied..<end]))
    }

    /// The index after the reference at `start` when `reference(_:at:)` would keep it as it
    /// is (a predefined entity, or a numeric reference to a character XML allows); else nil.
    private static func keptReferenceEnd(_ input: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        let limit = min(input.count, start + 40)
        if let (value, semicolon) = CharacterReference.numeric(input, at: start, limit: limit) {
            return CharacterReference.isXMLCharacter(value) ? semicolon + 1 : nil
        }
        func named(_ name: StaticString) -> Int? {
            let count = name.utf8CodeUnitCount
            guard start + 1 + count < limit, input[start + 1 + count] == UInt8(ascii: ";") else { return nil }
            for offset in 0..<count where input[start + 1 + offset] != name.utf8Start[offset] { return nil }
            return start + 2 + count
        }
        guard start + 1 < limit else { return nil }
        switch input[start + 1] {
        case UInt8(ascii: "a"): return named("amp") ?? named("apos")
        case UInt8(ascii: "l"): return named("lt")
        case UInt8(ascii: "g"): return named("gt")
        case UInt8(ascii: "q"): return named("quot")
        default: return nil
        }
    }

    private enum Markup { case comment, cdata, instruction, doctype }

    /// A comment, CDATA section, processing instruction or DOCTYPE starting at `start`:
    /// the index after its end, and its kind.
    private static func markup(_ input: UnsafeBufferPointer<UInt8>, at start: Int) -> (Int, Markup)? {
        func startsWith(_ text: StaticString) -> Bool {
            let pattern = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
            return start + pattern.count <= input.count && input[start..<start + pattern.count].elementsEqual(pattern)
        }
        func after(_ terminator: StaticString, from: Int) -> Int {
            let pattern = UnsafeBufferPointer(start: terminator.utf8Start, count: terminator.utf8CodeUnitCount)
            var cursor = from
            while let found = input.firstIndex(of: pattern[0], from: cursor), found + pattern.count <= input.count {
                if input[found..<found + pattern.count].elementsEqual(pattern) { return found + pattern.count }
                cursor = found + 1
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

    /// Copies a comment, CDATA section, processing instruction or DOCTYPE; one longer than
    /// `maxTextRun` is cut (a CDATA section, closed again) or dropped.
    private mutating func copyMarkup(_ input: UnsafeBufferPointer<UInt8>, from: Int, to: Int, kind: Markup,
                                     utf8: Bool) -> Int {
        guard to - from > Self.maxTextRun, kind != .doctype else {
            return copyVerbatim(input, from: from, to: to, utf8: utf8)
        }
        textRunsCut += 1
        if kind == .cdata {
            var cut = from + Self.maxTextRun
            while cut > from && input[cut] & 0xC0 == 0x80 { cut -= 1 }  // at a character's start
            _ = copyVerbatim(input, from: from, to: cut, utf8: utf8)
            output.append(contentsOf: Array("]]>".utf8))
        }
        return to
    }

    /// Copies `input[from..<to]`, mending only control characters and bytes.
    private mutating func copyVerbatim(_ input: UnsafeBufferPointer<UInt8>, from: Int, to: Int, utf8: Bool) -> Int {
        var index = from
        var copied = from  // `input[copied..<index]` is kept as it is, written in one piece
        while index < to {
            let byte = input[index]
            if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: input[copied..<index]))
                controlCharacters += 1
                index += 1
                copied = index
            } else if byte >= 0x80 && utf8 {
                if DocumentEncoding.invalidUTF8Length(input, at: index) == nil {
                    index += DocumentEncoding.sequenceLength(byte)
                } else {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: input[copied..<index]))
                    index = copySequence(input, at: index, utf8: utf8)
                    copied = index
                }
            } else {
                index += 1
            }
        }
        // (A sequence that began before `to` is written whole.)
        output.append(contentsOf: UnsafeBufferPointer(rebasing: input[copied..<max(index, to)]))
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
                if Self.predefined.contains(name) {
                    output.append(contentsOf: input[start...cursor])
                } else if internalEntities[name] != nil || externalEntities.contains(name) {
                    expand(name, depth: 0)
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

    /// Writes the value of the declared entity `name`, as text: its markup escaped, the
    /// entities it refers to expanded in turn. An external entity is kept as text (never
    /// fetched); one whose expansion would pass `maxEntityExpansion` (in all) or nest deeper
    /// than `maxEntityDepth` is left as a reference for libxml2, which refuses a bomb.
    private mutating func expand(_ name: [UInt8], depth: Int) {
        let label = String(decoding: name, as: UTF8.self)
        if depth == 0 {
            guard internalEntities[name] != nil else {
                keptEntities.append(label)
                output.append(contentsOf: Array("&amp;".utf8))
                output.append(contentsOf: name)
                output.append(UInt8(ascii: ";"))
                return
            }
            var sizes: [[UInt8]: Int] = [:]
            let size = expandedSize(name, depth: 0, sizes: &sizes)
            guard expansionBytes + size <= Self.maxEntityExpansion else {
                leftEntities.append(label)
                output.append(UInt8(ascii: "&"))
                output.append(contentsOf: name)
                output.append(UInt8(ascii: ";"))
                return
            }
            expansionBytes += size
            expandedEntities.append(label)
        }
        guard let value = internalEntities[name] else {  // an external one inside an internal one
            output.append(contentsOf: Array("&amp;".utf8))
            output.append(contentsOf: name)
            output.append(UInt8(ascii: ";"))
            return
        }
        Self.scan(value) { part in
            switch part {
            case .byte(let byte):
                switch byte {
                case UInt8(ascii: "&"): output.append(contentsOf: Array("&amp;".utf8))
                case UInt8(ascii: "<"): output.append(contentsOf: Array("&lt;".utf8))
                case UInt8(ascii: "\""): output.append(contentsOf: Array("&quot;".utf8))
                case UInt8(ascii: "'"): output.append(contentsOf: Array("&apos;".utf8))
                default: output.append(byte)
                }
            case .reference(let text): output.append(contentsOf: text)
            case .entity(let inner): expand(inner, depth: depth + 1)
            }
        }
    }

    /// The bytes `name` expands to, at most `maxEntityExpansion + 1` (more: too much, or
    /// nested too deep, or a loop).
    private func expandedSize(_ name: [UInt8], depth: Int, sizes: inout [[UInt8]: Int]) -> Int {
        let tooMuch = Self.maxEntityExpansion + 1
        if let known = sizes[name] { return known }
        guard depth < Self.maxEntityDepth else { return tooMuch }
        guard let value = internalEntities[name] else { return name.count + 6 }  // kept as '&amp;name;'
        sizes[name] = tooMuch  // a loop through this one is too much
        var size = 0
        Self.scan(value) { part in
            switch part {
            case .byte: size += 6  // at most '&quot;'
            case .reference(let text): size += text.count
            case .entity(let inner): size += expandedSize(inner, depth: depth + 1, sizes: &sizes)
            }
            size = min(size, tooMuch)
        }
        sizes[name] = size
        return size
    }

    private enum ValuePart {
        case byte(UInt8)
        /// A predefined or numeric reference, kept as it is.
        case reference(ArraySlice<UInt8>)
        /// A reference to another entity.
        case entity([UInt8])
    }

    /// The parts of an entity's value, in order.
    private static func scan(_ value: [UInt8], _ body: (ValuePart) -> Void) {
        value.withUnsafeBufferPointer { buffer in
            var index = 0
            while index < buffer.count {
                if buffer[index] == UInt8(ascii: "&") {
                    let limit = min(buffer.count, index + 40)
                    if let (_, semicolon) = CharacterReference.numeric(buffer, at: index, limit: limit) {
                        body(.reference(value[index...semicolon]))
                        index = semicolon + 1
                        continue
                    }
                    var cursor = index + 1
                    while cursor < limit, isNameByte(buffer[cursor], first: cursor == index + 1) { cursor += 1 }
                    if cursor > index + 1, cursor < limit, buffer[cursor] == UInt8(ascii: ";") {
                        let inner = Array(value[(index + 1)..<cursor])
                        body(predefined.contains(inner) ? .reference(value[index...cursor]) : .entity(inner))
                        index = cursor + 1
                        continue
                    }
                }
                body(.byte(buffer[index]))
                index += 1
            }
        }
    }

    /// The general entities the DOCTYPE's internal subset declares with `<!ENTITY name`:
    /// the value of an internal one, the name of an external one.
    private mutating func collectEntities(_ doctype: Slice<UnsafeBufferPointer<UInt8>>) {
        let marker = Array("<!ENTITY".utf8)
        var cursor = doctype.startIndex
        let end = doctype.endIndex
        while cursor + marker.count < end {
            guard doctype[cursor..<cursor + marker.count].elementsEqual(marker) else {
                cursor += 1
                continue
            }
            cursor += marker.count
            while cursor < end, PlainText.isSpace(doctype[cursor]) { cursor += 1 }
            if cursor < end, doctype[cursor] == UInt8(ascii: "%") { continue }  // parameter entity
            let nameStart = cursor
            while cursor < end, Self.isNameByte(doctype[cursor], first: cursor == nameStart) { cursor += 1 }
            guard cursor > nameStart else { continue }
            let name = Array(doctype[nameStart..<cursor])
            while cursor < end, PlainText.isSpace(doctype[cursor]) { cursor += 1 }
            guard cursor < end else { break }
            let quote = doctype[cursor]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                let valueStart = cursor + 1
                cursor = valueStart
                while cursor < end, doctype[cursor] != quote { cursor += 1 }
                if internalEntities[name] == nil && !externalEntities.contains(name) {  // the first declaration binds
                    internalEntities[name] = Array(doctype[valueStart..<cursor])
                }
            } else if internalEntities[name] == nil {
                externalEntities.insert(name)  // SYSTEM or PUBLIC: never fetched
            }
        }
    }

    private static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
        PlainText.isLetter(byte) || byte == UInt8(ascii: "_") || byte >= 0x80
            || (!first && (PlainText.isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")))
    }
}
