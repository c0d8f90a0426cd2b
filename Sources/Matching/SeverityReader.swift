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
            let words = category.split(whereSeparator: \.isWhitespace)
            if words.count == 1, let found = Severity(word: String(words[0])) { severity = max(severity ?? found, found) }
        }
        for text in [title, summary].compactMap({ $0 }) + categories {
            var reading = StatedSeverity(text)
            reading.read()
            if let found = reading.score { score = max(score ?? 0, found) }
            if let found = reading.severity { severity = max(severity ?? found, found) }
        }
        if let fromScore = score.flatMap(Severity.init(cvss:)) { severity = max(severity ?? fromScore, fromScore) }
        return (severity, score)
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
                var high: UInt8 = 0  // every byte's bits: 0x80 is set when one is not ASCII
                for (index, byte) in utf8.enumerated() {
                    high |= byte
                    if byte == 0x0D { high |= 0x80 }
                    lowered[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte
                }
                count = utf8.count
                plain = high & 0x80 == 0
            }
            guard !plain else { return }
            // Character by Character, where it matters: an ASCII byte followed by another is
            // a Character of its own (but CR LF); around other scalars, the Characters of Swift.
            var characters: [UInt8] = []
            characters.reserveCapacity(utf8.count)
            starts.reserveCapacity(utf8.count + 1)
            var offset = 0
            while offset < utf8.count {
                let byte = utf8[offset]
                starts.append(offset)
                if byte == 0x0D, offset + 1 < utf8.count, utf8[offset + 1] == 0x0A {
                    characters.append(0x0D)
                    offset += 2
                } else if byte < 0x80, offset + 1 == utf8.count || utf8[offset + 1] < 0x80 {
                    characters.append(cells[offset])
                    offset += 1
                } else {
                    let index = text.utf8.index(text.utf8.startIndex, offsetBy: offset)  // O(1): native UTF-8
                    let end = text.index(after: index)
                    characters.append(Self.cell(text[index], lowered: cells[offset]))
                    offset = text.utf8.distance(from: text.utf8.startIndex, to: end)
                }
            }
            starts.append(utf8.count)
            cells = characters
        }
        (self.text, self.cells, self.starts) = (text, cells, starts)
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
        for position in 0..<max(0, count - 1) {
            // Each case looks at the next letter first: most letters start no word it wants.
            let next = cells[position + 1]
            switch cells[position] {
            case UInt8(ascii: "a"):
                if next == UInt8(ascii: "v"), has("av:", at: position) { vector = true }
            case UInt8(ascii: "b"):
                if next == UInt8(ascii: "a"), has("base", at: position) { readScore(at: position, after: position + 4) }
            case UInt8(ascii: "c"):
                if next == UInt8(ascii: "v"), has("cvss", at: position) {
                    readScore(at: position, afterCVSS: position + 4)
                } else if next == UInt8(ascii: "r") {
                    readWord(at: position)
                }
            case UInt8(ascii: "s"):
                if next == UInt8(ascii: "e"), has("severity", at: position) {
                    readWord(after: position, length: 8, within: 20)
                }
            case UInt8(ascii: "r"):
                if next == UInt8(ascii: "a"), has("rated", at: position) { readWord(after: position, length: 5, within: 40) }
            case UInt8(ascii: "h"), UInt8(ascii: "i"), UInt8(ascii: "m"), UInt8(ascii: "l"):
                if next == UInt8(ascii: "i") || next == UInt8(ascii: "m") || next == UInt8(ascii: "o")
                    || next == UInt8(ascii: "e") {
                    readWord(at: position)
                }
            default:
                break
            }
        }
        if vector { readVectors() }
    }

    private mutating func raise(_ found: Severity) { severity = max(severity ?? found, found) }

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

    /// `\((WORD)\)` and `\b(WORD)[\s-]+(?:severity|priority)\b`, for a word at `position`.
    private mutating func readWord(at position: Int) {
        guard let (word, end) = word(at: position) else { return }
        if position > 0, cells[position - 1] == UInt8(ascii: "("), end < cells.count, cells[end] == UInt8(ascii: ")") {
            raise(word)
        }
        var next = end
        while next < cells.count, isSpace(next) || cells[next] == UInt8(ascii: "-") { next += 1 }
        guard next > end, has("severity", at: next) || has("priority", at: next) else { return }
        if isBoundary(position), isBoundary(next + 8) { raise(word) }
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
