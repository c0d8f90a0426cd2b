import FoundationEssentials

/// Makes feed text safe to show anywhere before any renderer sees it: no control
/// characters (terminal escapes, header injection), no bidirectional overrides or isolates
/// (text that reads differently than it is), whitespace collapsed, and a length limit
/// (a 50 kB title is cut, with "…"). Public for the commands that show feed text
/// outside the digest (search, explain, parse).
public enum DisplayText {
    static let titleLimit = 300
    static let summaryLimit = 400
    /// About two lines of a terminal or a mail.
    static let excerptLimit = 160
    static let nameLimit = 120

    public static func clean(_ text: String, limit: Int) -> String {
        var result = ""
        var count = 0
        var pendingSpace = false
        for character in text {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if character.unicodeScalars.contains(where: { isInvisible($0) || $0.properties.isWhitespace }) {
                // Scalar by scalar: invisible ones go, and white space inside the character
                // still breaks words (a prepended mark such as U+0600 and the space after it
                // are one Character).
                var piece = String.UnicodeScalarView()
                for scalar in character.unicodeScalars where !isInvisible(scalar) {
                    if scalar.properties.isWhitespace {
                        if !piece.isEmpty { append(String(piece)) }
                        piece = String.UnicodeScalarView()
                        pendingSpace = !result.isEmpty
                    } else {
                        piece.append(scalar)
                    }
                }
                if !piece.isEmpty { append(String(piece)) }
            } else {
                append(String(character))
            }
            if count > limit { break }
        }
        if count > limit {
            // Cut at the limit, back to a word boundary when one is near.
            var cut = String(result.prefix(limit))
            if let space = cut.lastIndex(of: " "), cut.distance(from: space, to: cut.endIndex) < 30 {
                cut = String(cut[..<space])
            }
            return cut + "…"
        }
        return result

        func append(_ piece: String) {
            if pendingSpace { result += " "; count += 1 }
            pendingSpace = false
            result += piece
            count += piece.count
        }
    }

    /// Nil, or the text cleaned; nil again when nothing is left.
    static func clean(_ text: String?, limit: Int) -> String? {
        guard let text else { return nil }
        let cleaned = clean(text, limit: limit)
        return cleaned.isEmpty ? nil : cleaned
    }

    /// Control characters (C0, DEL, C1) and the bidirectional formatting characters.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F..<0xA0: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        case 0xFFF9...0xFFFB, 0xFEFF: true
        default: false
        }
    }

    /// The link when it is an absolute `http`/`https` URL with a host and nothing that
    /// could break out of an attribute or a Markdown link; nil otherwise (`javascript:`,
    /// `data:`, relative or protocol-relative links).
    public static func webLink(_ link: String?) -> String? {
        guard let link, link.utf8.count <= 2048 else { return nil }
        let lowered = link.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return nil }
        let host = link.drop { $0 != "/" }.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !host.isEmpty else { return nil }
        let forbidden: Set<Unicode.Scalar> = ["\"", "'", "<", ">", "\\", "`", " ", "{", "}", "|", "^"]
        guard link.unicodeScalars.allSatisfy({ !isInvisible($0) && !forbidden.contains($0) }) else { return nil }
        return link
    }

    /// "2024-03-29": the UTC day.
    static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle().year().month().day())
    }

    /// "2024-03-29T06:30:00Z": RFC 3339 in UTC.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
