/// A 1-based line and column in a TOML source. Columns count Unicode scalars.
public struct TOMLPosition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: TOMLPosition, b: TOMLPosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    /// `line:column`
    public var description: String { "\(line):\(column)" }
}

/// A TOML value and the position where it starts in the source.
///
/// A table's position is its header's `[` (or `[[`), the `{` of an inline table,
/// or the key that created it implicitly; the top-level table is at 1:1.
public struct TOMLValue: Sendable {
    public enum Kind: Sendable {
        case string(String)
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        /// An offset date-time, local date-time, local date or local time.
        case dateTime(TOMLDateTime)
        case array([TOMLValue])
        case table(TOMLTable)
    }

    public var kind: Kind
    public var position: TOMLPosition

    public init(_ kind: Kind, at position: TOMLPosition) {
        self.kind = kind
        self.position = position
    }

    public var string: String? {
        if case .string(let value) = kind { value } else { nil }
    }

    public var integer: Int64? {
        if case .integer(let value) = kind { value } else { nil }
    }

    public var float: Double? {
        if case .float(let value) = kind { value } else { nil }
    }

    public var boolean: Bool? {
        if case .boolean(let value) = kind { value } else { nil }
    }

    public var dateTime: TOMLDateTime? {
        if case .dateTime(let value) = kind { value } else { nil }
    }

    public var array: [TOMLValue]? {
        if case .array(let value) = kind { value } else { nil }
    }

    public var table: TOMLTable? {
        if case .table(let value) = kind { value } else { nil }
    }

    /// The type with an article, for messages: "a string", "an integer", …
    public var typeDescription: String {
        switch kind {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .dateTime(let value):
            switch value.kind {
            case .offsetDateTime: "an offset date-time"
            case .localDateTime: "a local date-time"
            case .localDate: "a local date"
            case .localTime: "a local time"
            }
        case .array: "an array"
        case .table: "a table"
        }
    }
}

/// A TOML table: its keys in source order, each with the key's position and its value.
public struct TOMLTable: Sendable {
    public struct Entry: Sendable {
        public let key: String
        public let keyPosition: TOMLPosition
        public let value: TOMLValue
    }

    /// The entries in the order their keys first appear in the source.
    public let entries: [Entry]
    private let indices: [String: Int]

    /// A table of `entries`, whose keys must be unique.
    init(entries: [Entry]) {
        self.entries = entries
        self.indices = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
    }

    public var keys: [String] { entries.map(\.key) }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    public subscript(key: String) -> TOMLValue? { entry(key)?.value }

    public func entry(_ key: String) -> Entry? {
        indices[key].map { entries[$0] }
    }
}

// MARK: - Rendering

extension TOMLValue: CustomStringConvertible {
    /// The value in TOML syntax on one line, tables inline: `{ a = 1, b = [true, "x"] }`.
    public var description: String {
        switch kind {
        case .string(let value): quotedTOMLString(value)
        case .integer(let value): String(value)
        case .float(let value): "\(value)"  // Swift spells inf, -inf and nan as TOML does
        case .boolean(let value): value ? "true" : "false"
        case .dateTime(let value): value.description
        case .array(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .table(let table): table.description
        }
    }
}

extension TOMLTable: CustomStringConvertible {
    /// The table as a TOML inline table: `{ name = "x", port = 80 }`.
    public var description: String {
        if entries.isEmpty { return "{}" }
        return "{ " + entries.map { "\(tomlKey($0.key)) = \($0.value)" }.joined(separator: ", ") + " }"
    }
}

/// `key` as written in TOML: bare when it can be, quoted otherwise.
func tomlKey(_ key: String) -> String {
    !key.isEmpty && key.utf8.allSatisfy(\.isBareKeyByte) ? key : quotedTOMLString(key)
}

/// `text` as a TOML basic string, with quotes and escapes.
public func quotedTOMLString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\u{08}": result += "\\b"
        case "\t": result += "\\t"
        case "\n": result += "\\n"
        case "\u{0C}": result += "\\f"
        case "\r": result += "\\r"
        case "\u{00}"..."\u{1F}", "\u{7F}": result += "\\u" + hex(scalar.value, digits: 4)
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}

/// `value` in upper-case hexadecimal, padded with zeros to `digits`.
func hex(_ value: UInt32, digits: Int) -> String {
    let text = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, digits - text.count)) + text
}

extension UInt8 {
    /// A–Z, a–z, 0–9, `_` or `-`: a byte of a bare key.
    var isBareKeyByte: Bool {
        switch self {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
