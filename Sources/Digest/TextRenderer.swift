import FoundationEssentials

/// Renders a digest as plain text for a terminal or a cron mail.
public struct TextRenderer: Sendable {
    public init() {}

    public func render(_ digest: DigestModel) -> String {
        guard !digest.isEmpty else { return "Bulletin digest: nothing new for your services.\n" }
        let count = digest.rowIDs.count
        var lines = ["Bulletin digest: \(count) new bulletin\(count == 1 ? "" : "s") for your services", ""]
        for section in digest.sections {
            lines.append("\(section.kind.rawValue) (\(section.items.count))")
            lines.append(String(repeating: "=", count: section.kind.rawValue.count))
            for item in section.items {
                let date = item.date.map(Self.day) ?? "undated   "
                lines.append("\(date)  [\(item.services.joined(separator: ", "))]  \(item.title)")
                var details = ["     from \(item.feed)"]
                if !item.advisories.isEmpty { details.append(item.advisories.joined(separator: " ")) }
                lines.append(details.joined(separator: " · "))
                if let link = item.link { lines.append("     \(link)") }
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// "2024-03-29": the UTC day.
    static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle().year().month().day())
    }
}
