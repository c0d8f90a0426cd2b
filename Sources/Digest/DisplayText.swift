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

    /// `text` with each scalar `entities` names replaced by its entity, scalar by scalar:
    /// `<` followed by a combining mark is one `Character`, but still a `<` to a browser.
    static func replacing<S: StringProtocol>(_ text: S, _ entities: [Unicode.Scalar: String]) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let entity = entities[scalar] { result.append(contentsOf: entity.unicodeScalars) } else { result.append(scalar) }
        }
        return String(result)
    }

    /// The columns `text` takes on a terminal: two for a wide character (CJK, Hangul,
    /// fullwidth forms, emoji shown as emoji), none for one that is only marks or format
    /// characters, one otherwise. For underlines and table columns.
    public static func columns(_ text: some StringProtocol) -> Int {
        text.reduce(0) { sum, character in
            guard let first = character.unicodeScalars.first else { return sum }
            if character.unicodeScalars.allSatisfy({ isInvisible($0) || $0.properties.generalCategory == .nonspacingMark
                || $0.properties.generalCategory == .enclosingMark }) { return sum }
            let wide = isWide(first.value) || (first.properties.isEmojiPresentation && first.value > 0xFF)
                || character.unicodeScalars.contains { $0.value == 0xFE0F }
            return sum + (wide ? 2 : 1)
        }
    }

    /// East Asian Wide and Fullwidth code points (Unicode's EastAsianWidth.txt, W and F).
    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
             0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            true
        default:
            false
        }
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
}
