/// Numeric character references (`&#233;`, `&#xE9;`), read from bytes.
enum CharacterReference {
    /// The value of the numeric reference whose `&` is at `start`, and the index of its `;`,
    /// looking no further than `limit`; nil when there is none. A value of more than eight
    /// digits is `UInt32.max`.
    static func numeric(_ input: UnsafeBufferPointer<UInt8>, at start: Int, limit: Int) -> (value: UInt32, semicolon: Int)? {
        var cursor = start + 1
        guard cursor < limit && input[cursor] == UInt8(ascii: "#") else { return nil }
        cursor += 1
        let hex = cursor < limit && (input[cursor] | 0x20) == UInt8(ascii: "x")
        if hex { cursor += 1 }
        var value: UInt32 = 0
        var digits = 0
        while cursor < limit, let digit = digit(input[cursor], hex: hex) {
            value = digits < 8 ? value &* (hex ? 16 : 10) &+ digit : UInt32.max
            digits += 1
            cursor += 1
        }
        guard digits > 0, cursor < limit, input[cursor] == UInt8(ascii: ";") else { return nil }
        return (value, cursor)
    }

    /// True for a character XML allows.
    static func isXMLCharacter(_ value: UInt32) -> Bool {
        value == 0x09 || value == 0x0A || value == 0x0D || (value >= 0x20 && value <= 0x10FFFF
            && !(0xD800...0xDFFF).contains(value) && value != 0xFFFE && value != 0xFFFF)
    }

    private static func digit(_ byte: UInt8, hex: Bool) -> UInt32? {
        if byte >= 0x30 && byte <= 0x39 { return UInt32(byte - 0x30) }
        let lower = byte | 0x20
        return hex && lower >= 0x61 && lower <= 0x66 ? UInt32(lower - 0x61 + 10) : nil
    }
}
