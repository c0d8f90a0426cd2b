/// Bytes from the network made safe to show on a terminal: a feed's body or a server's
/// header can carry escape sequences that retitle the window, move the cursor or hide
/// lines. Control characters become visible the way `cat -v` shows them (`^[` for ESC,
/// `^?` for DEL) and the C1 controls U+0080–U+009F (which some terminals obey too)
/// become `<U+009B>`. Tabs, line feeds and the CR of a CRLF stay as they are; every
/// other byte, valid UTF-8 or not, is left alone.
enum TerminalSafeText {
    /// `bytes` with every control character made visible, and whether any was.
    static func visible(_ bytes: [UInt8]) -> (bytes: [UInt8], escaped: Bool) {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var escaped = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let next = index + 1 < bytes.count ? bytes[index + 1] : nil
            if byte == 0x09 || byte == 0x0A || (byte == 0x0D && next == 0x0A) {
                output.append(byte)
            } else if byte < 0x20 || byte == 0x7F {
                output += [UInt8(ascii: "^"), byte == 0x7F ? UInt8(ascii: "?") : byte + 0x40]
                escaped = true
            } else if byte == 0xC2, let next, (0x80...0x9F).contains(next) {
                output += Array("<U+00\(hex(next))>".utf8)
                escaped = true
                index += 1
            } else {
                output.append(byte)
            }
            index += 1
        }
        return (output, escaped)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
    }
}
