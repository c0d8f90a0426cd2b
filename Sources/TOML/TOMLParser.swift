/// Parses TOML 1.0 documents into ``TOMLTable``s whose values remember their positions.
///
/// Dates and times are read as written (`TOMLDateTime`): offset and local date-times,
/// local dates and local times.
public enum TOMLParser {
    /// How deeply arrays and tables may nest; deeper documents are rejected.
    public static let maximumDepth = 128

    /// Parses a whole document. Errors name `file` and point at a line and column.
    public static func parse(_ text: String, file: String = "<input>") throws(TOMLError) -> TOMLTable {
        var parser = Parser(text, file: file)
        return try parser.document()
    }
}

// MARK: - Tables under construction

/// A key as written: one part of a dotted key, and where it is.
private struct KeyPart {
    let name: String
    let position: TOMLPosition
}

/// A table still being built, which later headers and dotted keys may add to.
private final class TableBuilder {
    /// How a table came to exist, which decides what may add to it later.
    enum Origin: Equatable {
        /// Named only as a parent in a header such as `[a.b]`: `[a]` may still define it.
        case implicit
        /// Defined by its own header, or the top level, or inline.
        case header
        /// Defined by dotted keys: more dotted keys may add to it, a header may not define it.
        /// Later sections cannot reach it with dotted keys: the way in passes through a header's table.
        case dotted
    }

    var origin: Origin
    var position: TOMLPosition
    let depth: Int
    private(set) var keys: [String] = []
    private(set) var slots: [String: Slot] = [:]

    init(_ origin: Origin, at position: TOMLPosition, depth: Int) {
        self.origin = origin
        self.position = position
        self.depth = depth
    }

    func add(_ key: KeyPart, _ content: Slot.Content) {
        keys.append(key.name)
        slots[key.name] = Slot(keyPosition: key.position, content: content)
    }

    func freeze() -> TOMLValue {
        let entries = keys.map { key in
            let slot = slots[key]!
            return TOMLTable.Entry(key: key, keyPosition: slot.keyPosition, value: slot.freeze())
        }
        return TOMLValue(.table(TOMLTable(entries: entries)), at: position)
    }
}

/// An array of tables (`[[name]]`), which each header of that name appends to.
private final class TableArrayBuilder {
    let position: TOMLPosition
    var tables: [TableBuilder]

    init(at position: TOMLPosition, first: TableBuilder) {
        self.position = position
        self.tables = [first]
    }
}

/// What a key holds while the document is parsed.
private struct Slot {
    enum Content {
        case value(TOMLValue)
        case table(TableBuilder)
        case tables(TableArrayBuilder)
    }

    let keyPosition: TOMLPosition
    let content: Content

    /// Where this was defined, for "already defined" messages.
    var definedAt: TOMLPosition {
        switch content {
        case .value: keyPosition
        case .table(let table): table.position
        case .tables(let array): array.position
        }
    }

    var typeDescription: String {
        switch content {
        case .value(let value): value.table != nil ? "an inline table" : value.typeDescription
        case .table: "a table"
        case .tables: "an array of tables"
        }
    }

    func freeze() -> TOMLValue {
        switch content {
        case .value(let value): value
        case .table(let table): table.freeze()
        case .tables(let array): TOMLValue(.array(array.tables.map { $0.freeze() }), at: array.position)
        }
    }
}

// MARK: - Parser

/// A recursive-descent parser over the UTF-8 bytes of a document.
private struct Parser {
    let bytes: [UInt8]
    let file: String
    var index = 0
    var line = 1
    var lineStart = 0
    /// The last column computed, so columns along one line cost little.
    var columnCache = (lineStart: 0, offset: 0, column: 1)

    init(_ text: String, file: String) {
        bytes = Array(text.utf8)
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {  // byte order mark
            index = 3
            lineStart = 3
            columnCache = (3, 3, 1)
        }
    }

    // MARK: Document

    mutating func document() throws(TOMLError) -> TOMLTable {
        let root = TableBuilder(.header, at: TOMLPosition(line: 1, column: 1), depth: 0)
        var table = root
        while true {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case .hash:
                try skipComment()
            case .newline, .carriageReturn:
                try skipNewline()
            case .leftBracket:
                table = try header(root: root)
                try endOfLine(after: "the table header")
            default:
                try keyValue(into: table)
                try endOfLine(after: "the value")
            }
        }
        return root.freeze().table!
    }

    /// Allows only whitespace and a comment before the end of the line.
    mutating func endOfLine(after what: String) throws(TOMLError) {
        skipWhitespace()
        switch peek() {
        case nil, UInt8.newline?, UInt8.carriageReturn?: return
        case UInt8.hash?: try skipComment()
        default: throw error("expected a newline after \(what), found \(found())")
        }
    }

    /// Parses `[a.b]` or `[[a.b]]` and returns the table that the following keys go into.
    mutating func header(root: TableBuilder) throws(TOMLError) -> TableBuilder {
        let position = here()
        index += 1
        let isArray = peek() == .leftBracket
        if isArray { index += 1 }
        skipWhitespace()
        let key = try key()
        for _ in 0..<(isArray ? 2 : 1) {
            guard peek() == .rightBracket else {
                let closing = isArray ? "']]' to close the array of tables header" : "']' to close the table header"
                throw error("expected \(closing), found \(found())")
            }
            index += 1
        }

        var table = root
        for i in key.indices.dropLast() {
            guard let slot = table.slots[key[i].name] else {
                let child = try newTable(.implicit, at: key[i].position, depth: table.depth + 1, key: key[i])
                table.add(key[i], .table(child))
                table = child
                continue
            }
            switch slot.content {
            case .table(let child): table = child
            case .tables(let array): table = array.tables[array.tables.count - 1]
            case .value: throw alreadyDefined(key[...i], slot, sayingAs: true)
            }
        }

        let last = key[key.count - 1]
        let existing = table.slots[last.name]
        if isArray {
            let element = try newTable(.header, at: position, depth: table.depth + 2, key: last)
            switch existing?.content {
            case nil: table.add(last, .tables(TableArrayBuilder(at: position, first: element)))
            case .tables(let array)?: array.tables.append(element)
            default: throw alreadyDefined(key[...], existing!, sayingAs: true)
            }
            return element
        }
        switch existing?.content {
        case nil:
            let child = try newTable(.header, at: position, depth: table.depth + 1, key: last)
            table.add(last, .table(child))
            return child
        case .table(let child)? where child.origin == .implicit:
            child.origin = .header
            child.position = position
            return child
        case .table?:
            throw alreadyDefined(key[...], existing!, sayingAs: false)
        default:
            throw alreadyDefined(key[...], existing!, sayingAs: true)
        }
    }

    /// Parses `key = value` and adds it to `table`, creating the tables a dotted key names.
    mutating func keyValue(into table: TableBuilder) throws(TOMLError) {
        let key = try key()
        guard peek() == .equals else { throw error("expected '=' after the key, found \(found())") }
        index += 1
        skipWhitespace()

        var parent = table
        for i in key.indices.dropLast() {
            guard let slot = parent.slots[key[i].name] else {
                let child = try newTable(.dotted, at: key[i].position, depth: parent.depth + 1, key: key[i])
                parent.add(key[i], .table(child))
                parent = child
                continue
            }
            guard case .table(let child) = slot.content else {
                throw alreadyDefined(key[...i], slot, sayingAs: true)
            }
            switch child.origin {
            case .implicit:
                child.origin = .dotted
                child.position = key[i].position
            case .dotted:
                break
            case .header:
                throw alreadyDefined(key[...i], slot, sayingAs: false)
            }
            parent = child
        }

        let last = key[key.count - 1]
        if let slot = parent.slots[last.name] { throw alreadyDefined(key[...], slot, sayingAs: false) }
        parent.add(last, .value(try value(depth: parent.depth + 1)))
    }

    func newTable(_ origin: TableBuilder.Origin, at position: TOMLPosition, depth: Int, key: KeyPart) throws(TOMLError) -> TableBuilder {
        try checkDepth(depth, at: key.position)
        return TableBuilder(origin, at: position, depth: depth)
    }

    func checkDepth(_ depth: Int, at position: TOMLPosition) throws(TOMLError) {
        guard depth <= TOMLParser.maximumDepth else {
            throw error("nesting is too deep (the limit is \(TOMLParser.maximumDepth) levels)", at: position)
        }
    }

    func alreadyDefined(_ key: ArraySlice<KeyPart>, _ slot: Slot, sayingAs: Bool) -> TOMLError {
        let name = key.map { tomlKey($0.name) }.joined(separator: ".")
        let kind = sayingAs ? " as \(slot.typeDescription)" : ""
        return error("'\(name)' is already defined at \(slot.definedAt)\(kind)", at: key.last!.position)
    }

    // MARK: Keys

    /// Parses a possibly dotted key and the whitespace after it.
    mutating func key() throws(TOMLError) -> [KeyPart] {
        var parts: [KeyPart] = []
        while true {
            parts.append(try simpleKey())
            skipWhitespace()
            guard peek() == .dot else { return parts }
            index += 1
            skipWhitespace()
        }
    }

    mutating func simpleKey() throws(TOMLError) -> KeyPart {
        let position = here()
        switch peek() {
        case let quote? where quote == .quote || quote == .apostrophe:
            if peek(1) == quote && peek(2) == quote { throw error("a multi-line string cannot be a key") }
            return KeyPart(name: try string(), position: position)
        case let byte? where byte.isBareKeyByte:
            let start = index
            while let byte = peek(), byte.isBareKeyByte { index += 1 }
            return KeyPart(name: String(decoding: bytes[start..<index], as: UTF8.self), position: position)
        default:
            throw error("expected a key, found \(found())")
        }
    }

    // MARK: Values

    mutating func value(depth: Int) throws(TOMLError) -> TOMLValue {
        let position = here()
        switch peek() {
        case UInt8.quote?, UInt8.apostrophe?:
            return TOMLValue(.string(try string()), at: position)
        case UInt8.leftBracket?:
            return try array(depth: depth)
        case UInt8.leftBrace?:
            return try inlineTable(depth: depth)
        case let byte? where byte.isTokenByte:
            return TOMLValue(try scalar(at: position), at: position)
        default:
            throw error("expected a value, found \(found())")
        }
    }

    mutating func array(depth: Int) throws(TOMLError) -> TOMLValue {
        let position = here()
        try checkDepth(depth, at: position)
        index += 1
        var elements: [TOMLValue] = []
        while true {
            try skipBlankLines()
            guard let byte = peek() else { throw error("unterminated array", at: position) }
            if byte == .rightBracket { break }
            elements.append(try value(depth: depth + 1))
            try skipBlankLines()
            let next = peek()
            if next == .comma {
                index += 1
            } else if next == .rightBracket {
                break
            } else if next == nil {
                throw error("unterminated array", at: position)
            } else {
                throw error("expected ',' or ']' in the array, found \(found())")
            }
        }
        index += 1
        return TOMLValue(.array(elements), at: position)
    }

    mutating func inlineTable(depth: Int) throws(TOMLError) -> TOMLValue {
        let position = here()
        try checkDepth(depth, at: position)
        index += 1
        let table = TableBuilder(.header, at: position, depth: depth)
        skipWhitespace()
        if peek() == .rightBrace {
            index += 1
            return table.freeze()
        }
        while true {
            skipWhitespace()
            try stayInInlineTable(openedAt: position)
            if peek() == .rightBrace { throw error("a trailing comma is not allowed in an inline table") }
            try keyValue(into: table)
            skipWhitespace()
            try stayInInlineTable(openedAt: position)
            switch peek() {
            case UInt8.comma?:
                index += 1
            case UInt8.rightBrace?:
                index += 1
                return table.freeze()
            default:
                throw error("expected ',' or '}' in the inline table, found \(found())")
            }
        }
    }

    /// Rejects the end of the document and newlines, which cannot occur between an inline table's braces.
    mutating func stayInInlineTable(openedAt position: TOMLPosition) throws(TOMLError) {
        if atEnd { throw error("unterminated inline table", at: position) }
        if atNewline { throw error("a newline is not allowed in an inline table") }
    }

    /// Parses a boolean, a number, or a date or time.
    mutating func scalar(at position: TOMLPosition) throws(TOMLError) -> TOMLValue.Kind {
        let start = index
        while let byte = peek(), byte.isTokenByte { index += 1 }
        // A date and a time may be separated by one space: `1979-05-27 07:32:00`.
        if index - start == 10, bytes[start..<index].looksLikeDateOrTime, peek() == .space,
           index + 3 < bytes.count, bytes[index + 1].isDigit, bytes[index + 2].isDigit, bytes[index + 3] == UInt8(ascii: ":") {
            index += 1
            while let byte = peek(), byte.isTokenByte { index += 1 }
        }
        let token = bytes[start..<index]
        let text = String(decoding: token, as: UTF8.self)
        switch text {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan": return .float(.nan)
        case "-nan": return .float(-.nan)
        default: break
        }
        if token.looksLikeDateOrTime {
            do {
                return .dateTime(try TOMLDateTime.parse(token))
            } catch {
                throw self.error("invalid date or time '\(snippet(text))': \(error.reason)", at: position)
            }
        }
        guard let first = token.first, first.isDigit || first == .plus || first == .minus || first == .dot else {
            throw error("expected a value, found '\(snippet(text))'", at: position)
        }
        return try number(token, text, at: position)
    }

    /// Parses a decimal, hexadecimal, octal or binary integer, or a float.
    func number(_ token: ArraySlice<UInt8>, _ text: String, at position: TOMLPosition) throws(TOMLError) -> TOMLValue.Kind {
        func invalid(_ reason: String? = nil) -> TOMLError {
            error("invalid number '\(snippet(text))'" + (reason.map { ": " + $0 } ?? ""), at: position)
        }
        func outOfRange() -> TOMLError {
            error("integer '\(snippet(text))' does not fit in 64 bits", at: position)
        }
        func digits(_ i: inout Int, radix: Int = 10) throws(TOMLError) {
            guard let count = token.readDigits(&i, radix: radix) else { throw invalid("'_' must be between digits") }
            guard count > 0 else { throw invalid() }
        }
        let signed = token.first == .plus || token.first == .minus
        let unsigned = signed ? token.dropFirst() : token
        var i = unsigned.startIndex

        if unsigned.count > 2, unsigned.first == .zero, let radix = unsigned[i + 1].radixPrefix {
            guard !signed else { throw invalid("a sign is not allowed before '0\(Character(Unicode.Scalar(unsigned[i + 1])))'") }
            i += 2
            try digits(&i, radix: radix)
            guard i == unsigned.endIndex else { throw invalid() }
            let plain = String(decoding: unsigned.dropFirst(2).filter { $0 != .underscore }, as: UTF8.self)
            guard let value = Int64(plain, radix: radix) else { throw outOfRange() }
            return .integer(value)
        }

        try digits(&i)
        if unsigned.first == .zero && i > unsigned.startIndex + 1 { throw invalid("leading zeros are not allowed") }
        var isFloat = false
        if i < unsigned.endIndex, unsigned[i] == .dot {
            isFloat = true
            i += 1
            try digits(&i)
        }
        if i < unsigned.endIndex, unsigned[i] | 0x20 == UInt8(ascii: "e") {
            isFloat = true
            i += 1
            if i < unsigned.endIndex, unsigned[i] == .plus || unsigned[i] == .minus { i += 1 }
            try digits(&i)
        }
        guard i == unsigned.endIndex else { throw invalid() }

        let plain = String(decoding: token.filter { $0 != .underscore }, as: UTF8.self)
        if isFloat {
            guard let value = Double(plain) else { throw invalid() }
            guard value.isFinite else { throw error("float '\(snippet(text))' is out of range for a 64-bit float", at: position) }
            return .float(value)
        }
        guard let value = Int64(plain) else { throw outOfRange() }
        return .integer(value)
    }

    // MARK: Strings

    /// Parses any of the four kinds of string, starting at its opening quote.
    mutating func string() throws(TOMLError) -> String {
        let start = here()
        let quote = bytes[index]
        let isLiteral = quote == .apostrophe
        let multiline = peek(1) == quote && peek(2) == quote
        index += multiline ? 3 : 1
        if multiline && atNewline { try skipNewline() }

        var text: [UInt8] = []
        var run = index  // the start of the bytes not yet copied into `text`
        while true {
            guard let byte = peek() else { throw unterminated(multiline, at: start) }
            if byte >= 0x20 && byte != quote && byte != .backslash && byte != 0x7F {
                index += 1  // the common case, kept short for long strings
                continue
            }
            switch byte {
            case quote:
                let count = multiline ? quoteRun(quote) : 1
                if count >= 3 || !multiline {
                    // Up to two quotes before the closing three belong to the string.
                    let end = index + (multiline ? min(count - 3, 2) : 0)
                    text += bytes[run..<end]
                    index = end + (multiline ? 3 : 1)
                    return String(decoding: text, as: UTF8.self)
                }
                index += count
            case .backslash where !isLiteral:
                text += bytes[run..<index]
                try escape(into: &text, multiline: multiline, stringStart: start)
                run = index
            case _ where atNewline:
                guard multiline else { throw unterminated(false, at: start) }
                try skipNewline()
            case _ where byte.isControl:
                throw error("\(controlName(byte)) is not allowed in a string")
            default:
                index += 1  // a tab, or a backslash in a literal string
            }
        }
    }

    func unterminated(_ multiline: Bool, at start: TOMLPosition) -> TOMLError {
        error(multiline ? "unterminated multi-line string" : "unterminated string", at: start)
    }

    /// How many `quote` bytes there are in a row from here.
    func quoteRun(_ quote: UInt8) -> Int {
        var end = index
        while end < bytes.count && bytes[end] == quote { end += 1 }
        return end - index
    }

    /// Parses an escape sequence at a backslash and appends what it stands for.
    mutating func escape(into text: inout [UInt8], multiline: Bool, stringStart: TOMLPosition) throws(TOMLError) {
        let start = here()
        index += 1
        guard let byte = peek() else { throw unterminated(multiline, at: stringStart) }
        index += 1
        switch Unicode.Scalar(byte) {
        case "b": text.append(0x08)
        case "t": text.append(0x09)
        case "n": text.append(0x0A)
        case "f": text.append(0x0C)
        case "r": text.append(0x0D)
        case "\"", "\\": text.append(byte)
        case "u": try unicodeEscape(digits: 4, into: &text, at: start)
        case "U": try unicodeEscape(digits: 8, into: &text, at: start)
        case " ", "\t", "\n", "\r":
            guard multiline && lineEndsAfterWhitespace(from: index - 1) else { throw invalidEscape(byte, at: start) }
            index -= 1
            while let next = peek(), next == .space || next == .tab || atNewline {
                if next == .space || next == .tab { index += 1 } else { try skipNewline() }
            }
        default:
            throw invalidEscape(byte, at: start)
        }
    }

    func invalidEscape(_ byte: UInt8, at position: TOMLPosition) -> TOMLError {
        let message = (0x20..<0x7F).contains(byte)
            ? "invalid escape sequence '\\\(Character(Unicode.Scalar(byte)))'"
            : "invalid escape sequence: '\\' followed by \(describe(at: index - 1))"
        return error(message, at: position)
    }

    /// Whether only spaces and tabs stand between `start` and the end of its line.
    func lineEndsAfterWhitespace(from start: Int) -> Bool {
        var i = start
        while i < bytes.count && (bytes[i] == .space || bytes[i] == .tab) { i += 1 }
        return i < bytes.count && (bytes[i] == .newline || bytes[i] == .carriageReturn && i + 1 < bytes.count && bytes[i + 1] == .newline)
    }

    mutating func unicodeEscape(digits: Int, into text: inout [UInt8], at start: TOMLPosition) throws(TOMLError) {
        let letter = digits == 4 ? "u" : "U"
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let digit = peek()?.hexValue else {
                throw error("'\\\(letter)' must be followed by \(digits) hexadecimal digits", at: start)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        guard let scalar = Unicode.Scalar(value) else {
            let written = String(decoding: bytes[(index - digits)..<index], as: UTF8.self)
            throw error("'\\\(letter)\(written)' is not a Unicode scalar value", at: start)
        }
        UTF8.encode(scalar) { text.append($0) }
    }

    // MARK: Whitespace, newlines and comments

    mutating func skipWhitespace() {
        while let byte = peek(), byte == .space || byte == .tab { index += 1 }
    }

    /// Skips whitespace, newlines and comments, as arrays allow between their elements.
    mutating func skipBlankLines() throws(TOMLError) {
        while let byte = peek() {
            switch byte {
            case .space, .tab: index += 1
            case .newline, .carriageReturn: try skipNewline()
            case .hash: try skipComment()
            default: return
            }
        }
    }

    /// Steps over a line feed, or a carriage return that must come before one.
    mutating func skipNewline() throws(TOMLError) {
        if peek() == .carriageReturn {
            guard peek(1) == .newline else { throw error("a carriage return must be followed by a newline") }
            index += 1
        }
        index += 1
        line += 1
        lineStart = index
    }

    /// Skips a comment up to the end of its line, rejecting control characters in it.
    mutating func skipComment() throws(TOMLError) {
        index += 1
        while let byte = peek(), !atNewline {
            if byte.isControl { throw error("\(controlName(byte)) is not allowed in a comment") }
            index += 1
        }
    }

    // MARK: Bytes and positions

    var atEnd: Bool { index >= bytes.count }

    var atNewline: Bool {
        peek() == .newline || peek() == .carriageReturn && peek(1) == .newline
    }

    func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    /// The position of the current byte.
    mutating func here() -> TOMLPosition {
        if columnCache.lineStart != lineStart || columnCache.offset > index {
            columnCache = (lineStart, lineStart, 1)
        }
        var column = columnCache.column
        for offset in columnCache.offset..<index where bytes[offset] & 0xC0 != 0x80 {
            column += 1
        }
        columnCache = (lineStart, index, column)
        return TOMLPosition(line: line, column: column)
    }

    mutating func error(_ message: String) -> TOMLError {
        error(message, at: here())
    }

    func error(_ message: String, at position: TOMLPosition) -> TOMLError {
        TOMLError(file: file, position: position, message: message)
    }

    /// The current byte, described for an error message.
    func found() -> String { describe(at: index) }

    func describe(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of file" }
        let byte = bytes[offset]
        switch byte {
        case .newline: return "a newline"
        case .carriageReturn where offset + 1 < bytes.count && bytes[offset + 1] == .newline: return "a newline"
        case .tab: return "a tab"
        case 0x20..<0x7F: return "'\(Character(Unicode.Scalar(byte)))'"
        case ..<0x80: return controlName(byte)
        default:
            let scalar = String(decoding: bytes[offset..<min(offset + 4, bytes.count)], as: UTF8.self).unicodeScalars.first!
            return "'\(scalar)'"
        }
    }

    func controlName(_ byte: UInt8) -> String {
        "control character U+\(hex(UInt32(byte), digits: 4))"
    }

    /// `text`, shortened if it is too long to quote in full in a message.
    func snippet(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }
}

// MARK: - Byte classes

fileprivate extension UInt8 {
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let quote = UInt8(ascii: "\"")
    static let hash = UInt8(ascii: "#")
    static let apostrophe = UInt8(ascii: "'")
    static let plus = UInt8(ascii: "+")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let equals = UInt8(ascii: "=")
    static let leftBracket = UInt8(ascii: "[")
    static let backslash = UInt8(ascii: "\\")
    static let rightBracket = UInt8(ascii: "]")
    static let underscore = UInt8(ascii: "_")
    static let leftBrace = UInt8(ascii: "{")
    static let rightBrace = UInt8(ascii: "}")

    var isDigit: Bool { self >= .zero && self <= UInt8(ascii: "9") }

    /// A control character other than tab, which TOML forbids in strings and comments.
    var isControl: Bool { (self < 0x20 && self != .tab) || self == 0x7F }

    /// A byte of a bare value: a boolean, number, date, or a misspelling of one.
    var isTokenByte: Bool { isBareKeyByte || self == .plus || self == .dot || self == UInt8(ascii: ":") }

    var hexValue: UInt8? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): self - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The radix named by the letter after `0` in `0x`, `0o` or `0b`.
    var radixPrefix: Int? {
        switch self {
        case UInt8(ascii: "x"): 16
        case UInt8(ascii: "o"): 8
        case UInt8(ascii: "b"): 2
        default: nil
        }
    }
}

fileprivate extension ArraySlice<UInt8> {
    /// Reads `digit (_? digit)*` from `i`: returns how many digits, or nil if an `_` is not between digits.
    func readDigits(_ i: inout Int, radix: Int) -> Int? {
        var count = 0
        while i < endIndex {
            if let digit = self[i].hexValue, digit < radix {
                count += 1
            } else if self[i] == .underscore {
                guard count > 0, i + 1 < endIndex, let next = self[i + 1].hexValue, next < radix else { return nil }
            } else {
                break
            }
            i += 1
        }
        return count
    }

    /// `1979-05-27…` or `07:32…`: the start of a date or a time.
    var looksLikeDateOrTime: Bool {
        let digits = prefix(while: \.isDigit).count
        let next = dropFirst(digits).first
        return (digits == 4 && next == .minus) || (digits == 2 && next == UInt8(ascii: ":"))
    }
}
