import FoundationEssentials

/// The encodings a mail message needs: quoted-printable bodies (RFC 2045 §6.7), encoded
/// words in headers (RFC 2047), and header folding (RFC 5322 §2.2.3). Every line they
/// produce is ASCII and at most 78 octets, far under SMTP's 998.
enum MIMEEncoding {
    /// `text` as quoted-printable UTF-8 with CRLF line breaks: lines of at most 76
    /// characters (soft breaks `=`), `=`, control and non-ASCII bytes as `=XX`, spaces
    /// before a line break encoded, and a line-leading `.` or `From ` encoded too so no
    /// relay or mailbox format can alter it.
    static func quotedPrintable(_ text: String) -> String {
        var output: [UInt8] = []
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, rawLine) in lines.enumerated() {
            var line = Array(rawLine)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if index == lines.count - 1 && line.isEmpty { break }  // the text's final line break
            var column = 0
            for (position, byte) in line.enumerated() {
                let isLast = position == line.count - 1
                let literal = byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
                    ? !isLast : (33...126).contains(byte) && byte != UInt8(ascii: "=")
                var token = literal ? [byte] : escaped(byte)
                // Room for the token, plus a soft break's "=" unless this is the line's end.
                if column + token.count > (isLast ? 76 : 75) {
                    output += Array("=\r\n".utf8)
                    column = 0
                }
                if column == 0, literal, byte == UInt8(ascii: ".") || line[position...].starts(with: Array("From ".utf8)) {
                    token = escaped(byte)
                }
                output += token
                column += token.count
            }
            output += Array("\r\n".utf8)
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func escaped(_ byte: UInt8) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        return [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
    }

    /// A header's unstructured text (the subject): as is when it is printable ASCII, else
    /// as RFC 2047 encoded words (`=?UTF-8?B?…?=`), each at most 64 characters and cut
    /// only between characters. Control characters become spaces: no header injection.
    static func unstructured(_ text: String) -> String {
        let clean = String(String.UnicodeScalarView(text.unicodeScalars.map { MailAddress.isControl($0) ? " " : $0 }))
        if clean.unicodeScalars.allSatisfy({ $0.value < 127 }) && !clean.contains("=?") { return clean }
        return encodedWords(clean).joined(separator: " ")
    }

    /// A display name: as is when it is letters, digits and spaces; a quoted string when
    /// it is other ASCII; encoded words when it is not ASCII.
    static func phrase(_ text: String) -> String {
        let clean = String(String.UnicodeScalarView(text.unicodeScalars.filter { !MailAddress.isControl($0) }))
        if clean.unicodeScalars.allSatisfy({ $0.value < 127 }) && !clean.contains("=?") {
            let atext = clean.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == " " }
            if atext { return clean }
            return "\"" + clean.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
        }
        return encodedWords(clean).joined(separator: " ")
    }

    /// Base64 encoded words of at most 39 UTF-8 bytes each (64 characters encoded, so a
    /// header name and one word still fit in 78).
    private static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(character.utf8)
            if chunk.count + bytes.count > 39, !chunk.isEmpty {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk.removeAll()
            }
            chunk += bytes.prefix(39)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words
    }

    /// `Name: value` folded before spaces so no line is longer than 78 octets
    /// (an unbreakable run stays whole: encoded words and addresses are short).
    static func header(_ name: String, _ value: String) -> String {
        var lines: [String] = []
        var line = name + ":"
        for word in value.split(separator: " ", omittingEmptySubsequences: true) {
            if line.utf8.count + 1 + word.utf8.count > 78, line != name + ":" {
                lines.append(line)
                line = ""
            }
            line += " " + word
        }
        lines.append(line)
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
