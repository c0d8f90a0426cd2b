/// A JSON value written in the order it was built, for output whose shape is a stable
/// contract (`--format json`): keys in a fixed order, `null` written out.
enum JSON {
    case null
    case bool(Bool)
    case int(Int)
    /// A number with up to three decimals, e.g. seconds; `null` when it is not finite (JSON
    /// has no NaN or infinity).
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    static func string(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }
    static func strings(_ values: [String]) -> JSON { .array(values.map(JSON.string)) }

    /// Two-space indented, one member per line; arrays of scalars stay on one line.
    func rendered(indent: String = "") -> String {
        var output: [UInt8] = []
        write(into: &output, indent: Array(indent.utf8))
        return String(decoding: output, as: UTF8.self)
    }

    /// On one line, without spaces between tokens (a JSON Lines record).
    func line() -> String {
        var output: [UInt8] = []
        writeCompact(into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private func writeCompact(into output: inout [UInt8]) {
        switch self {
        case .array(let values):
            output.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                value.writeCompact(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeQuoted(member.0, into: &output)
                output.append(UInt8(ascii: ":"))
                member.1.writeCompact(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        default:
            write(into: &output, indent: [])
        }
    }

    /// Appends `rendered(indent:)` as UTF-8 to `output` (for output too large to build as one string).
    func write(into output: inout [UInt8], indent: [UInt8]) {
        switch self {
        case .null: output.append(literal: "null")
        case .bool(let value): output.append(literal: value ? "true" : "false")
        case .int(let value): output.append(contentsOf: String(value).utf8)
        case .string(let value): Self.writeQuoted(value, into: &output)
        case .number(let value):
            let rounded = (value * 1000).rounded() / 1000
            output.append(contentsOf: rounded.isFinite ? String(rounded).utf8 : "null".utf8)
        case .array(let values):
            if values.isEmpty {
                output.append(literal: "[]")
            } else if values.allSatisfy(\.isScalar) {
                output.append(UInt8(ascii: "["))
                for (index, value) in values.enumerated() {
                    if index > 0 { output.append(literal: ", ") }
                    value.write(into: &output, indent: indent)
                }
                output.append(UInt8(ascii: "]"))
            } else {
                let inner = indent + [0x20, 0x20]
                output.append(literal: "[\n")
                for (index, value) in values.enumerated() {
                    if index > 0 { output.append(literal: ",\n") }
                    output.append(contentsOf: inner)
                    value.write(into: &output, indent: inner)
                }
                output.append(UInt8(ascii: "\n"))
                output.append(contentsOf: indent)
                output.append(UInt8(ascii: "]"))
            }
        case .object(let members):
            if members.isEmpty {
                output.append(literal: "{}")
                return
            }
            let inner = indent + [0x20, 0x20]
            output.append(literal: "{\n")
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(literal: ",\n") }
                output.append(contentsOf: inner)
                Self.writeQuoted(member.0, into: &output)
                output.append(literal: ": ")
                member.1.write(into: &output, indent: inner)
            }
            output.append(UInt8(ascii: "\n"))
            output.append(contentsOf: indent)
            output.append(UInt8(ascii: "}"))
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    static func quoted(_ text: String) -> String {
        var output: [UInt8] = []
        writeQuoted(text, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends `text` as a JSON string: quotes, backslashes and control characters escaped,
    /// and U+2028/U+2029 (which break JavaScript) too.
    static func writeQuoted<Output: ByteOutput>(_ text: String, into output: inout Output) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            while index < bytes.count {
                // Eight bytes at a time while none of them needs a look.
                if index + 8 <= bytes.count
                    && isPlain(UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)) {
                    index += 8
                    continue
                }
                let byte = bytes[index]
                if byte >= 0x20 && byte != 0x22 && byte != 0x5C && byte != 0xE2 {
                    index += 1
                    continue
                }
                let escape: String?
                switch byte {
                case 0x22: escape = "\\\""
                case 0x5C: escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x00..<0x20:
                    let hex = String(byte, radix: 16)
                    escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    escape = bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                default: escape = nil
                }
                guard let escape else {
                    index += 1
                    continue
                }
                output.append(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart..<index])))
                var escaped = escape
                escaped.withUTF8 { output.append(bytes: UnsafeRawBufferPointer($0)) }
                index += byte == 0xE2 ? 3 : 1
                runStart = index
            }
            output.append(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart...])))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// True when no byte of `word` is a control character, a quote, a backslash or 0xE2 (which
    /// starts U+2028 and U+2029). Each test is nonzero exactly when some byte is one (the
    /// "haszero" and "hasless" tricks of Bit Twiddling Hacks).
    private static func isPlain(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highBits: UInt64 = 0x8080_8080_8080_8080
        func hasByte(_ value: UInt8) -> UInt64 {
            let x = word ^ (ones &* UInt64(value))
            return (x &- ones) & ~x & highBits
        }
        let control = (word &- ones &* 0x20) & ~word & highBits
        return control | hasByte(0x22) | hasByte(0x5C) | hasByte(0xE2) == 0
    }
}
