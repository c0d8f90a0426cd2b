/// Feed text made safe for the outputs outside the digest (search, explain, parse), as the
/// digest makes it (`DisplayText`): a title could otherwise carry terminal escapes, or
/// bidirectional overrides and isolates (U+202E, U+2066, U+200F …) that make it read
/// differently than it is, and a link could be `javascript:` or `data:`.
public enum ShownText {
    /// `text` for one line: a control character (line feed and tab included) becomes a
    /// space; the bidirectional formatting characters are dropped.
    public static func line(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: DisplayText.isInvisible) else { return text }
        var kept = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if !DisplayText.isInvisible(scalar) {
                kept.append(scalar)
            } else if scalar.properties.generalCategory == .control {
                kept.append(" ")
            }
        }
        return String(kept)
    }

    /// Each line of `text` (ours, with feed text in it) made safe by `line`, the line feeds
    /// between them kept.
    public static func lines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line(String($0)) }.joined(separator: "\n")
    }

    /// A link to show as text: itself when it is an `http`/`https` link the digest would show,
    /// else a note with its scheme (the rest of it is not shown).
    public static func link(_ link: String) -> String {
        if let web = DisplayText.webLink(link) { return web }
        let scheme = link.prefix { $0 != ":" && $0 != "/" }
        let named = scheme.count < link.count && !scheme.isEmpty && scheme.count <= 20
            && scheme.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || "+-.".unicodeScalars.contains($0)) }
        return named ? "(a \(scheme.lowercased()): link, not shown)" : "(not an http or https link, not shown)"
    }
}
