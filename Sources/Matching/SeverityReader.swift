@_spi(_Unicode) import Swift  // String._wordIndex(after:): the word boundaries of Regex's \b
import Models

/// The severity a bulletin states: the highest CVSS base score it gives (as a number or as a
/// v3 vector) and the severity words it uses in a severity context ("Severity: High",
/// "(important)", "Critical:" at the start of a title, "rated … as medium"), or as a whole
/// category (GitHub's advisories: `<category label="severity" term="HIGH"/>`). The result is
/// the highest of these; nil when the entry says none.
///
/// Each text is read in one pass over its characters, without `Regex` (which cost more than
/// half of a cold fetch's CPU). The reading is the one these patterns describe, on the text
/// in lower case unless said otherwise, with Regex's meaning of every part: characters are
/// Swift `Character`s, `\s` and `\d` are `Character.isWhitespace` and `isNumber`, `\b` is
/// Unicode's default word boundary (UAX #29):
/// - a vector, in the text as written: `(?:CVSS:3\.[01]/)?(AV:[NALP]/AC:[LH]/PR:[NLH]/UI:[NR]/S:[UC]/C:[HLN]/I:[HLN]/A:[HLN])`
/// - a score: `\b(?:cvss(?:v?[234](?:\.[01])?)?(?:\s+v?[234]\.[01])?|base)\s*(?:base\s*)?(?:score)?\s*(?:of|is|:|=)?\s*(\d{1,2}\.\d)\b(?!\s*(?:base|score|vector|/))`, at most 10
/// - `\((WORD)\)`: "ALAS-2018-1105 (important): tomcat"
/// - `^\s*(WORD)\s*:`: "Important: kernel security update" (Red Hat's titles)
/// - `\b(WORD)[\s-]+(?:severity|priority)\b`: "high severity", "Critical-severity", "low priority"
/// - `\bseverity\b[^.\n]{0,20}?\b(WORD)\b`: "Severity: High", "severity rating of critical"
/// - `\brated\b[^.\n]{0,40}?\b(WORD)\b`: "rated by the maintainers as medium"
///
/// where WORD is `critical|high|important|moderate|medium|low`.
public enum SeverityReader {
    public static func read(title: String?, summary: String?, categories: [String] = [])
        -> (severity: Severity?, cvss: Double?) {
        var score: Double?
        var severity: Severity?
        // A category that is just a severity word is one; a longer one ("Severity: High",
        // "high school") is read as text below, where only a severity context counts.
        for category in categories {
            if let found = severityWord(category) { severity = max(severity ?? found, found) }
        }
        for text in [title, summary].compactMap({ $0 }) + categories where StatedSeverity.mayState(text) {
            var reading = StatedSeverity(text)
            reading.read()
            if let found = reading.score { score = max(score ?? 0, found) }
            if let found = reading.severity { severity = max(severity ?? found, found) }
        }
        if let fromScore = score.flatMap(Severity.init(cvss:)) { severity = max(severity ?? fromScore, fromScore) }
        return (severity, score)
    }
}

extension SeverityReader {
    /// True for the scalars that are a Character of their own between ASCII characters: no
    /// grapheme cluster rule joins them to an ASCII character before or after (none is
    /// Extend, SpacingMark, ZWJ, Prepend or a Regional Indicator). Latin-1's upper half,
    /// Latin Extended-A and B, IPA, spacing modifiers; general punctuation (dashes, quotes)
    /// and the symbols after it; the rest takes the standard library's grapheme breaking.
    /// (`SeverityTests` checks every one of them against `Character`.)
    static func isLoneScalar(_ value: UInt32) -> Bool {
        switch value {
        case 0x80...0x2FF, 0x2010...0x2027, 0x2030...0x205E, 0x2070...0x20CF, 0x2100...0x2BFF: true
        default: false
        }
    }

    /// The severity a category that is one word names (spaces around it aside), if any.
    static func severityWord(_ category: String) -> Severity? {
        var category = category
        // The word's bytes when the category is ASCII (nil: it is not); "important" is the
        // longest word, and one with a space inside is two.
        let ascii: [UInt8]?? = category.withUTF8 { bytes -> [UInt8]?? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            let isSpace = { (byte: UInt8) in byte == 0x20 || byte &- 0x09 < 5 }  // ASCII's Character.isWhitespace
            guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }),
                  last - first < 9, !bytes[first...last].contains(where: isSpace) else { return .some(nil) }
            return .some(Array(bytes[first...last]))
        }
        guard let ascii else {
            let words = category.split(whereSeparator: \.isWhitespace)
            return words.count == 1 ? Severity(word: String(words[0])) : nil
        }
        return ascii.flatMap { Severity(word: String(decoding: $0, as: UTF8.self)) }
    }
}

/// What one text states: the patterns of `SeverityReader`, found in one pass over its cells.
private struct StatedSeverity {
    private(set) var score: Double?
    private(set) var severity: Severity?

    private let text: String
    /// The text's characters in lower case, one byte each: a Character that is one ASCII
    /// scalar is that byte in lower case (CR LF, one Character, is CR; the Kelvin sign, the
    /// one other scalar whose lower case is ASCII, is k); any other is `other`, `space`
    /// (whitespace) or `number`, which no pattern's letter equals. Lowering a text changes
    /// neither its Characters nor whether each is whitespace or a number.
    private let cells: [UInt8]
    /// The UTF-8 offset where each cell begins, and the text's length last; empty when the
    /// text is ASCII without a CR, where cell i is byte i and `asciiBoundary` finds the word boundaries.
    private let starts: [Int]
    /// Whether a word boundary lies before each cell (and at the end), once needed; only for
    /// text that is not plain ASCII.
    private var boundaries: [Bool]?

    private static let other: UInt8 = 0x80, space: UInt8 = 0x81, number: UInt8 = 0x82

    init(_ text: String) {
        var contiguous = text
        contiguous.makeContiguousUTF8()
        let text = contiguous
        var plain = true
        var cells: [UInt8] = []
        var starts: [Int] = []
        _ = text.utf8.withContiguousStorageIfAvailable { utf8 in
            cells = [UInt8](unsafeUninitializedCapacity: utf8.count) { lowered, count in
                // Eight bytes at a time: their bits or-ed into `high` (0x80 is set in it once a
                // byte is not ASCII, or is a CR), the upper-case ASCII letters lowered.
                var high: UInt64 = 0
                var index = 0
                let ones: UInt64 = 0x0101_0101_0101_0101
                while index + 8 <= utf8.count {
                    let word = UnsafeRawPointer(utf8.baseAddress! + index).loadUnaligned(as: UInt64.self)
                    let carriageReturns = word ^ (ones &* 0x0D)  // a zero byte where a CR was
                    high |= word | ((carriageReturns &- ones) & ~carriageReturns & (ones &* 0x80))
                    let ascii = word & (ones &* 0x7F)
                    // 0x80 in each byte from 'A' (0x41) up, and from '[' (0x5B) up: the letters are between.
                    let upper = (ascii &+ ones &* 0x3F) & ~(ascii &+ ones &* 0x25) & ~word & (ones &* 0x80)
                    UnsafeMutableRawPointer(lowered.baseAddress! + index).storeBytes(of: word | upper >> 2, as: UInt64.self)
                    index += 8
                }
                while index < utf8.count {
                    let byte = utf8[index]
                    high |= UInt64(byte)
                    if byte == 0x0D { high |= 0x80 }
                    lowered[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte
                    index += 1
                }
                count = utf8.count
                plain = high & (ones &* 0x80) == 0
            }
            guard !plain else { return }
            // Character by Character, where it matters: an ASCII byte followed by another is
            // a Character of its own (but CR LF), and so is a scalar `isLoneScalar` calls
            // one between ASCII bytes; around other scalars, the Characters of Swift. Written
            // into buffers sized for the worst case (a cell per byte), not appended.
            var characters: [UInt8] = []
            starts = [Int](unsafeUninitializedCapacity: utf8.count + 1) { offsets, startCount in
                characters = [UInt8](unsafeUninitializedCapacity: utf8.count) { found, count in
                    var offset = 0
                    count = 0
                    while offset < utf8.count {
                        let byte = utf8[offset]
                        offsets[count] = offset
                        if byte == 0x0D, offset + 1 < utf8.count, utf8[offset + 1] == 0x0A {
                            found[count] = 0x0D
                            offset += 2
                        } else if byte < 0x80, offset + 1 == utf8.count || utf8[offset + 1] < 0x80
                                    || Self.loneScalar(utf8, at: offset + 1) != nil {
                            found[count] = cells[offset]
                            offset += 1
                        } else if let (scalar, length) = Self.loneScalar(utf8, at: offset),
                                  offset + length == utf8.count || utf8[offset + length] < 0x80
                                    || Self.loneScalar(utf8, at: offset + length) != nil {
                            found[count] = scalar == "\u{212A}" ? UInt8(ascii: "k")  // KELVIN SIGN
                                : scalar.properties.isWhitespace ? Self.space
                                : scalar.properties.numericType != nil ? Self.number : Self.other
                            offset += length
                        } else {
                            let index = text.utf8.index(text.utf8.startIndex, offsetBy: offset)  // O(1): native UTF-8
                            let end = text.index(after: index)
                            found[count] = Self.cell(text[index], lowered: cells[offset])
                            offset = text.utf8.distance(from: text.utf8.startIndex, to: end)
                        }
                        count += 1
                    }
                }
                offsets[characters.count] = utf8.count
                startCount = characters.count + 1
            }
            cells = characters
        }
        (self.text, self.cells, self.starts) = (text, cells, starts)
    }

    /// The scalar at `offset` and its length in bytes, when it is one `isLoneScalar` allows; else nil.
    private static func loneScalar(_ utf8: UnsafeBufferPointer<UInt8>, at offset: Int) -> (Unicode.Scalar, Int)? {
        guard offset + 1 < utf8.count else { return nil }
        let lead = utf8[offset], second = utf8[offset + 1]
        var value: UInt32
        let length: Int
        if lead & 0xE0 == 0xC0, second & 0xC0 == 0x80 {
            value = UInt32(lead & 0x1F) << 6 | UInt32(second & 0x3F)
            length = 2
        } else if lead & 0xF0 == 0xE0, second & 0xC0 == 0x80, offset + 2 < utf8.count, utf8[offset + 2] & 0xC0 == 0x80 {
            value = UInt32(lead & 0x0F) << 12 | UInt32(second & 0x3F) << 6 | UInt32(utf8[offset + 2] & 0x3F)
            length = 3
        } else {
            return nil
        }
        guard SeverityReader.isLoneScalar(value), let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// The cell of a Character that is not a lone ASCII byte; `lowered` is its first byte in lower case.
    private static func cell(_ character: Character, lowered: UInt8) -> UInt8 {
        let scalars = character.unicodeScalars
        if scalars.count == 1, let scalar = scalars.first {
            if scalar.isASCII { return lowered }
            if scalar == "\u{212A}" { return UInt8(ascii: "k") }  // KELVIN SIGN
        }
        return character.isWhitespace ? space : character.isNumber ? number : other
    }

    /// False when no pattern can match in `text`, told from its bytes alone without reading
    /// it: none has, in ASCII letters of any case, `av:`, `base`, `cvss`, `severity`,
    /// `priority`, `rated`, or a `(` before the first letter of a severity word; nor does it
    /// start (past ASCII spaces) with such a letter or a byte that is not ASCII. Every
    /// pattern needs one of these, and a cell is an ASCII letter only where the text has
    /// that letter (or the Kelvin sign, `k`, which no pattern has).
    static func mayState(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var start = 0
            while start < bytes.count, bytes[start] == 0x20 || bytes[start] &- 0x09 < 5 { start += 1 }
            if start < bytes.count, bytes[start] >= 0x80 || wordLetters[Int(bytes[start] | 0x20)] { return true }
            func has(_ literal: StaticString, at position: Int) -> Bool {
                let count = literal.utf8CodeUnitCount
                guard position + count <= bytes.count else { return false }
                // `| 0x20` lowers an ASCII letter (and makes a few other bytes look like one:
                // a text read for nothing, never one skipped); ':' is its own lower case.
                for offset in 1..<count where bytes[position + offset] | 0x20 != literal.utf8Start[offset] { return false }
                return true
            }
            var position = start
            while position + 1 < bytes.count {
                switch bytes[position] | 0x20 {
                case UInt8(ascii: "a"): if has("av:", at: position) { return true }
                case UInt8(ascii: "b"): if has("base", at: position) { return true }
                case UInt8(ascii: "c"): if has("cvss", at: position) { return true }
                case UInt8(ascii: "s"): if has("severity", at: position) { return true }
                case UInt8(ascii: "p"): if has("priority", at: position) { return true }
                case UInt8(ascii: "r"): if has("rated", at: position) { return true }
                case UInt8(ascii: "("): if wordLetters[Int(bytes[position + 1] | 0x20)] { return true }
                default: break
                }
                position += 1
            }
            return false
        }
    }

    /// The first letters of the severity words (critical, high, important, moderate, medium, low), by byte.
    private static let wordLetters: [Bool] = (0..<256).map { "chiml".utf8.contains(UInt8($0)) }

    /// Reads every pattern, keeping the highest score and severity word.
    mutating func read() {
        let count = cells.count
        // ^\s*(WORD)\s*:
        var start = 0
        while start < count, isSpace(start) { start += 1 }
        if let (word, end) = word(at: start) {
            var colon = end
            while colon < count, isSpace(colon) { colon += 1 }
            if colon < count, cells[colon] == UInt8(ascii: ":") { raise(word) }
        }
        var vector = false
        let cells = cells  // read through a buffer while the readings below change `self`
        cells.withUnsafeBufferPointer { cells in
            Self.pairs.withUnsafeBufferPointer { pairs in
                var position = 0
                while position + 1 < count {
                    // Most pairs of cells start nothing a pattern wants: one look in `pairs` says so.
                    let cell = cells[position], next = cells[position + 1]
                    guard next &- 0x61 < 26, pairs[Int(cell)] & 1 << (next &- 0x61) != 0 else {
                        position += 1
                        continue
                    }
                    switch cell {
                    case UInt8(ascii: "a"):
                        if has("av:", at: position) { vector = true }
                    case UInt8(ascii: "b"):
                        if has("base", at: position) { readScore(at: position, after: position + 4) }
                    case UInt8(ascii: "c"):
                        if has("cvss", at: position) { readScore(at: position, afterCVSS: position + 4) }
                    case UInt8(ascii: "s"):
                        if has("severity", at: position) {
                            readWord(after: position, length: 8, within: 20)
                            readWord(before: position)
                        }
                    case UInt8(ascii: "p"):
                        if has("priority", at: position) { readWord(before: position) }
                    case UInt8(ascii: "r"):
                        if has("rated", at: position) { readWord(after: position, length: 5, within: 40) }
                    default:  // '(' and the first letter of a severity word
                        readWord(afterParenthesis: position)
                    }
                    position += 1
                }
            }
        }
        if vector { readVectors() }
    }

    private mutating func raise(_ found: Severity) { severity = max(severity ?? found, found) }

    /// For each cell, the letters (bit 0: a … bit 25: z) after it that may start what `read`
    /// looks for: av, ba, cv, se, pr, ra, and a parenthesis before c, h, i, m or l.
    private static let pairs: [UInt32] = {
        var pairs = [UInt32](repeating: 0, count: 256)
        func allow(_ first: Character, _ nexts: String) {
            for next in nexts.utf8 { pairs[Int(first.asciiValue!)] |= 1 << (next - UInt8(ascii: "a")) }
        }
        allow("a", "v")
        allow("b", "a")
        allow("c", "v")
        allow("s", "e")
        allow("p", "r")
        allow("r", "a")
        allow("(", "chiml")
        return pairs
    }()

    // MARK: Severity words

    private static let words: [(text: [UInt8], severity: Severity)] = [
        ("critical", Severity.critical), ("high", .high), ("important", .high), ("moderate", .medium),
        ("medium", .medium), ("low", .low),
    ].map { (Array($0.0.utf8), $0.1) }

    /// The severity word that starts at `position`, and where it ends (no word is the start of another).
    private func word(at position: Int) -> (Severity, end: Int)? {
        guard position < cells.count else { return nil }
        let first = cells[position]
        for word in Self.words where word.text[0] == first && has(word.text, at: position) {
            return (word.severity, position + word.text.count)
        }
        return nil
    }

    /// `\((WORD)\)`, for the `(` at `position`.
    private mutating func readWord(afterParenthesis position: Int) {
        guard let (word, end) = word(at: position + 1), end < cells.count, cells[end] == UInt8(ascii: ")") else { return }
        raise(word)
    }

    /// `\b(WORD)[\s-]+(?:severity|priority)\b`, for the `severity` or `priority` at `position`:
    /// the spaces and hyphens before it are all the pattern's (a word ends in a letter), and
    /// no severity word ends another.
    private mutating func readWord(before position: Int) {
        var end = position
        while end > 0, isSpace(end - 1) || cells[end - 1] == UInt8(ascii: "-") { end -= 1 }
        guard end < position else { return }
        for word in Self.words where word.text.count <= end && has(word.text, at: end - word.text.count) {
            if isBoundary(end - word.text.count), isBoundary(position + 8) { raise(word.severity) }
            return
        }
    }

    /// `\bKEY\b[^.\n]{0,N}?\b(WORD)\b` for the key (`severity`, `rated`) at `position`: the
    /// nearest word within `within` characters of it, none of them a full stop or a line feed.
    private mutating func readWord(after position: Int, length: Int, within: Int) {
        let key = position + length
        guard isBoundary(position), isBoundary(key) else { return }
        var candidate = key
        while candidate <= min(key + within, cells.count) {
            if candidate > key, cells[candidate - 1] == UInt8(ascii: ".") || cells[candidate - 1] == 0x0A { return }
            if let (word, end) = word(at: candidate), isBoundary(candidate), isBoundary(end) {
                raise(word)
                return
            }
            candidate += 1
        }
    }

    // MARK: Scores

    /// The score pattern for `base` at `position`: its rest starts at `rest`.
    private mutating func readScore(at position: Int, after rest: Int) {
        guard isBoundary(position), let digits = scoreDigits(from: rest) else { return }
        keep(digits)
    }

    /// The score pattern for `cvss` at `position`, with its optional version forms after
    /// `rest` tried in the order the pattern tries them; the first that leads to a score is it.
    private mutating func readScore(at position: Int, afterCVSS rest: Int) {
        guard isBoundary(position) else { return }
        // (?:v?[234](?:\.[01])?)?
        var firsts: [Int] = []
        if has("v", at: rest), isVersion(rest + 1) {
            if has(".", at: rest + 2), isMinor(rest + 3) { firsts.append(rest + 4) }
            firsts.append(rest + 2)
        }
        if isVersion(rest) {
            if has(".", at: rest + 1), isMinor(rest + 2) { firsts.append(rest + 3) }
            firsts.append(rest + 1)
        }
        firsts.append(rest)
        for first in firsts {
            // (?:\s+v?[234]\.[01])?
            var seconds: [Int] = []
            let afterSpace = skipSpace(from: first)
            if afterSpace > first {
                if has("v", at: afterSpace), isVersion(afterSpace + 1), has(".", at: afterSpace + 2),
                   isMinor(afterSpace + 3) { seconds.append(afterSpace + 4) }
                if isVersion(afterSpace), has(".", at: afterSpace + 1), isMinor(afterSpace + 2) {
                    seconds.append(afterSpace + 3)
                }
            }
            seconds.append(first)
            for second in seconds {
                if let digits = scoreDigits(from: second) { return keep(digits) }
            }
        }
    }

    /// `\s*(?:base\s*)?(?:score)?\s*(?:of|is|:|=)?\s*(\d{1,2}\.\d)\b(?!\s*(?:base|score|vector|/))`
    /// from `position`: the cells of the number. Each optional part is taken when present:
    /// leaving one out leaves letters where the number must start.
    private mutating func scoreDigits(from position: Int) -> Range<Int>? {
        var next = skipSpace(from: position)
        if has("base", at: next) { next = skipSpace(from: next + 4) }
        if has("score", at: next) { next += 5 }
        next = skipSpace(from: next)
        if has("of", at: next) || has("is", at: next) {
            next += 2
        } else if has(":", at: next) || has("=", at: next) {
            next += 1
        }
        let start = skipSpace(from: next)
        let end: Int
        if isDigit(start), isDigit(start + 1), has(".", at: start + 2), isDigit(start + 3) {
            end = start + 4
        } else if isDigit(start), has(".", at: start + 1), isDigit(start + 2) {
            end = start + 3
        } else {
            return nil
        }
        guard isBoundary(end) else { return nil }
        let after = skipSpace(from: end)
        if has("base", at: after) || has("score", at: after) || has("vector", at: after) || has("/", at: after) {
            return nil
        }
        return start..<end
    }

    /// Keeps the number in `digits` when it is one (a digit that is not ASCII makes none) of at most 10.
    private mutating func keep(_ digits: Range<Int>) {
        guard let value = Double(String(decoding: cells[digits], as: UTF8.self)), value <= 10 else { return }
        score = max(score ?? 0, value)
    }

    // MARK: Vectors

    /// What each place of a vector's 35 bytes allows, in the text as written.
    private static let vectorShape: [[UInt8]] = {
        let shape = ["A", "V", ":", "NALP", "/", "A", "C", ":", "LH", "/", "P", "R", ":", "NLH", "/", "U", "I", ":", "NR",
                     "/", "S", ":", "UC", "/", "C", ":", "HLN", "/", "I", ":", "HLN", "/", "A", ":", "HLN"]
        return shape.map { Array($0.utf8) }
    }()

    /// Every vector in the text as written (not lowered), each its own Characters.
    private mutating func readVectors() {
        let shape = Self.vectorShape
        let plain = starts.isEmpty
        var found: [Range<Int>] = []
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            while start + shape.count <= bytes.count {
                var length = 0
                while length < shape.count, shape[length].contains(bytes[start + length]) { length += 1 }
                if length == shape.count {
                    found.append(start..<start + length)
                    start += length
                } else {
                    start += 1
                }
            }
        }
        for range in found {
            let utf8 = text.utf8
            let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            let upper = utf8.index(utf8.startIndex, offsetBy: range.upperBound)
            // A vector's first or last letter that is part of a longer Character is not that letter.
            guard plain || lower.samePosition(in: text) != nil && upper.samePosition(in: text) != nil else { continue }
            if let value = CVSSVector(text[lower..<upper]).map(\.baseScore) { score = max(score ?? 0, value) }
        }
    }

    // MARK: Cells

    private func has(_ literal: StaticString, at position: Int) -> Bool {
        literal.withUTF8Buffer { has($0, at: position) }
    }

    private func has<Literal: Collection<UInt8>>(_ literal: Literal, at position: Int) -> Bool {
        guard position >= 0, position + literal.count <= cells.count else { return false }
        var index = position
        for byte in literal {
            guard cells[index] == byte else { return false }
            index += 1
        }
        return true
    }

    private func isSpace(_ position: Int) -> Bool {
        guard position < cells.count else { return false }
        let cell = cells[position]
        return cell == 0x20 || cell &- 0x09 < 5 || cell == Self.space
    }

    private func isDigit(_ position: Int) -> Bool {
        guard position < cells.count else { return false }
        return cells[position] &- 0x30 < 10 || cells[position] == Self.number
    }

    private func isVersion(_ position: Int) -> Bool {
        position < cells.count && cells[position] &- 0x32 < 3  // 2, 3 or 4
    }

    private func isMinor(_ position: Int) -> Bool {
        position < cells.count && cells[position] &- 0x30 < 2  // 0 or 1
    }

    private func skipSpace(from position: Int) -> Int {
        var position = position
        while isSpace(position) { position += 1 }
        return position
    }

    // MARK: Word boundaries (UAX #29)

    /// Whether a word boundary lies before the cell at `position` (or at the end).
    private mutating func isBoundary(_ position: Int) -> Bool {
        // The rules look at two characters each side at most: where those are ASCII, so is the answer.
        if starts.isEmpty || cells[max(0, position - 2)..<min(cells.count, position + 2)].allSatisfy({ $0 < 0x80 }) {
            return Self.asciiBoundary(cells, position)
        }
        if let boundaries { return boundaries[position] }
        if let near = nearbyBoundary(position) { return near }
        boundaries = wordBoundaries()
        return boundaries![position]
    }

    /// Whether a word boundary lies before `position`, found by walking the word breaking
    /// from a boundary close before it (an ASCII space followed by another ASCII character
    /// is always one); nil when none lies within 64 characters.
    private func nearbyBoundary(_ position: Int) -> Bool? {
        var start = position
        while start > 0, !(start < cells.count && cells[start - 1] == 0x20 && cells[start] &- 0x21 < 0x5F) {
            start -= 1
            if position - start > 64 { return nil }
        }
        let origin = text.utf8.startIndex
        let target = starts[position]
        var index = text.utf8.index(origin, offsetBy: starts[start])
        var offset = starts[start]
        while offset < target {
            index = text._wordIndex(after: index)
            offset = text.utf8.distance(from: origin, to: index)
        }
        return offset == target
    }

    /// Where the standard library's word breaking (the one Regex's `\b` uses) puts boundaries,
    /// by cell; one walk over the text (lowering it would move none).
    private func wordBoundaries() -> [Bool] {
        var boundaries = [Bool](repeating: false, count: starts.count)
        boundaries[0] = true
        var cell = 0
        var index = text.startIndex
        while index < text.endIndex {
            index = text._wordIndex(after: index)
            let offset = text.utf8.distance(from: text.utf8.startIndex, to: index)
            while starts[cell] < offset { cell += 1 }
            if starts[cell] == offset { boundaries[cell] = true }
        }
        boundaries[boundaries.count - 1] = true
        return boundaries
    }

    /// The word classes of UAX #29 that ASCII has.
    private enum WordClass { case letter, numeric, extendNumLet, midLetter, midNumLetQ, midNum, newline, space, other }

    private static func wordClass(_ byte: UInt8) -> WordClass {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): .letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): .numeric
        case UInt8(ascii: "_"): .extendNumLet
        case UInt8(ascii: ":"): .midLetter
        case UInt8(ascii: "."), UInt8(ascii: "'"): .midNumLetQ
        case UInt8(ascii: ","), UInt8(ascii: ";"): .midNum
        case 0x0A...0x0D: .newline
        case 0x20: .space
        default: .other
        }
    }

    /// UAX #29's rules (WB1–WB13b) between `cells[position - 1]` and `cells[position]`, for
    /// ASCII text without a CR (where no character is Extend, Format or ZWJ).
    private static func asciiBoundary(_ cells: [UInt8], _ position: Int) -> Bool {
        guard position > 0, position < cells.count else { return true }
        func at(_ index: Int) -> WordClass? { index >= 0 && index < cells.count ? wordClass(cells[index]) : nil }
        let before = wordClass(cells[position - 1]), after = wordClass(cells[position])
        switch (before, after) {
        case (.newline, _), (_, .newline): return true
        case (.space, .space), (.letter, .letter), (.numeric, .numeric), (.letter, .numeric), (.numeric, .letter),
             (.letter, .extendNumLet), (.numeric, .extendNumLet), (.extendNumLet, .extendNumLet),
             (.extendNumLet, .letter), (.extendNumLet, .numeric):
            return false
        case (.letter, .midLetter), (.letter, .midNumLetQ):
            return at(position + 1) != .letter
        case (.midLetter, .letter), (.midNumLetQ, .letter):
            return at(position - 2) != .letter
        case (.numeric, .midNum), (.numeric, .midNumLetQ):
            return at(position + 1) != .numeric
        case (.midNum, .numeric), (.midNumLetQ, .numeric):
            return at(position - 2) != .numeric
        default:
            return true
        }
    }
}
