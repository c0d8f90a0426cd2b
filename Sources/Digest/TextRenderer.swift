import FoundationEssentials
import Models

/// Renders a digest as plain text for a terminal or a cron mail; ANSI colour (bold
/// headings, red and yellow badges) only when asked, which callers do on a terminal only.
public struct TextRenderer: DigestRenderer {
    public var colour: Bool

    public init(colour: Bool = false) {
        self.colour = colour
    }

    public func render(_ digest: DigestModel) -> String {
        var lines = ["Bulletin digest: " + DigestHeadline.summary(digest) + (digest.isEmpty ? "." : "")]
        if let window = DigestHeadline.window(digest) { lines.append("Window: \(window)") }
        if let note = DigestHeadline.firstRunNote(digest) { lines.append(note) }
        if !digest.isEmpty { lines.append("") }
        for section in digest.sections {
            lines += heading(section.kind.rawValue, count: section.items.count)
            for group in section.groups {
                if let service = group.service { lines.append(style("-- \(service) --", bold)) }
                for item in group.items { lines += rows(item) }
            }
            lines.append("")
        }
        if !digest.mentions.isEmpty {
            if digest.isEmpty { lines.append("") }
            lines += heading("Also mentioned", count: digest.mentionCount)
            for mention in digest.mentions {
                let date = mention.date.map(Timestamp.day) ?? "undated   "
                lines.append("\(date)  \(mention.title) · names \(mention.services.joined(separator: ", ")) · \(mention.feed)")
            }
            if let more = DigestHeadline.moreMentions(digest) { lines.append(more) }
            lines.append("")
        }
        if let health = digest.feedHealth {
            if digest.isEmpty && digest.mentions.isEmpty { lines.append("") }
            lines += heading("Feed health")
            lines.append(health.headline.prefix(1).uppercased() + health.headline.dropFirst() + (health.problems.isEmpty ? "." : ":"))
            for problem in health.problems {
                lines.append("- \(problem.feed): \(problem.explanation)")
                lines.append("     \(problem.url)")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n") + (lines.last == "" ? "" : "\n")
    }

    /// "Action needed (2)" in bold, underlined as long as its name.
    private func heading(_ name: String, count: Int? = nil) -> [String] {
        [style(name + (count.map { " (\($0))" } ?? ""), bold), String(repeating: "=", count: DisplayText.columns(name))]
    }

    private func rows(_ item: DigestModel.Item) -> [String] {
        let date = item.date.map(Timestamp.day) ?? "undated   "
        let badges = item.badges.map { style("[\($0)]", $0 == "CRITICAL" || $0 == "KEV" ? red : yellow) }
        var first = "\(date)  [\(item.services.joined(separator: ", "))]  "
        if !badges.isEmpty { first += badges.joined(separator: " ") + "  " }
        var details = ["     from \(item.feed)"]
        if !item.advisories.isEmpty { details.append(item.shownAdvisories.joined(separator: " ")) }
        if !item.alsoReportedBy.isEmpty { details.append("also: " + item.alsoReportedBy.joined(separator: ", ")) }
        var lines = [first + item.title]
        if let excerpt = item.excerpt { lines.append("     " + excerpt) }
        lines.append(style(details.joined(separator: " · "), dim))
        if let link = item.link { lines.append("     \(link)") }
        return lines
    }

    private let bold = "1", red = "1;31", yellow = "33", dim = "2"

    private func style(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
