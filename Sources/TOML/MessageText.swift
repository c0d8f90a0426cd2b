/// Makes text from a configuration file safe to put in an error message: one line, no
/// control or bidirectional-override characters from the input, no key or value so long it
/// buries the message.
public enum MessageText {
    /// The longest quoted key or value ('…') a message keeps whole, in characters.
    public static let maxQuoted = 64

    /// `text` with control characters escaped (`\n`, `\r`, `\t`, `\u{1B}`), bidirectional
    /// controls escaped, and every quoted segment ('…') longer than `maxQuoted` cut in its
    /// middle with "…".
    public static func safe(_ text: String) -> String {
        cutQuoted(escaped(text))
    }

    /// `text` with control and bidirectional-override characters escaped.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where needsEscape(scalar): result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: true
        default: false
        }
    }

    private static func cutQuoted(_ text: String) -> String {
        let parts = text.split(separator: "'", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts.enumerated().contains(where: { $0.offset % 2 == 1 && $0.element.count > maxQuoted })
        else { return text }
        return parts.enumerated().map { index, part in
            // Odd parts are inside quotes (an unpaired last quote leaves its tail as it is).
            guard index % 2 == 1, index < parts.count - 1, part.count > maxQuoted else { return String(part) }
            return part.prefix(maxQuoted / 2) + "…(\(part.count) characters)…" + part.suffix(maxQuoted / 4)
        }.joined(separator: "'")
    }
}
