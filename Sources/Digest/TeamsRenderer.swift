/// Renders a digest as a Microsoft Teams webhook message carrying an Adaptive Card (1.4):
/// a heading, a block per row, the feed health. Feed text is Markdown-escaped (Adaptive
/// Cards render a Markdown subset and no HTML); at most 30 rows, to stay under Teams'
/// message size limit.
public struct TeamsRenderer: DigestRenderer {
    public init() {}

    static let maximumRows = 30

    public func render(_ digest: DigestModel) -> String {
        var body: [Element] = [
            .text("Bulletin digest", size: "Large", weight: "Bolder"),
            .text(MarkdownRenderer.escape(DigestHeadline.summary(digest).prefix(1).uppercased()
                + DigestHeadline.summary(digest).dropFirst()), subtle: true),
        ]
        var shown = 0
        for section in digest.sections {
            body.append(.text("\(section.kind.rawValue) (\(section.items.count))", size: "Medium", weight: "Bolder",
                              separator: true))
            for item in section.items where shown < Self.maximumRows {
                body.append(.text(row(item)))
                shown += 1
            }
        }
        if shown < digest.itemCount {
            body.append(.text("…and \(digest.itemCount - shown) more: see the email or `bulletin digest`.", subtle: true))
        }
        if let health = digest.feedHealth {
            body.append(.text("Feed health", size: "Medium", weight: "Bolder", separator: true))
            var lines = [MarkdownRenderer.escape(health.headline)]
            lines += health.problems.prefix(10).map { "- \(MarkdownRenderer.escape($0.feed)): \(MarkdownRenderer.escape($0.explanation))" }
            body.append(.text(lines.joined(separator: "\n"), subtle: true))
        }
        let card = Card(body: body)
        return encode(Message(summary: DigestHeadline.subject(digest),
                              attachments: [.init(content: card)]))
    }

    private func row(_ item: DigestModel.Item) -> String {
        var line = ""
        if !item.badges.isEmpty { line += item.badges.map { "**\($0)**" }.joined(separator: " ") + " " }
        let title = MarkdownRenderer.escape(item.title)
        line += item.link.map { "[\(title)](\(MarkdownRenderer.destination($0).replacing("(", with: "%28").replacing(")", with: "%29")))" }
            ?? "**\(title)**"
        let details = item.details(MarkdownRenderer.escape)
        line += "\n\n" + details.joined(separator: " · ")
        if !item.alsoReportedBy.isEmpty {
            line += "\n\nalso: " + item.alsoReportedBy.map(MarkdownRenderer.escape).joined(separator: ", ")
        }
        return line
    }

    struct Message: Encodable {
        var type = "message"
        let summary: String
        let attachments: [Attachment]
    }

    struct Attachment: Encodable {
        var contentType = "application/vnd.microsoft.card.adaptive"
        let content: Card
    }

    struct Card: Encodable {
        var schema = "http://adaptivecards.io/schemas/adaptive-card.json"
        var type = "AdaptiveCard"
        var version = "1.4"
        let body: [Element]
        enum CodingKeys: String, CodingKey { case schema = "$schema", type, version, body }
    }

    struct Element: Encodable {
        var type = "TextBlock"
        let text: String
        var wrap = true
        var size: String?
        var weight: String?
        var isSubtle: Bool?
        var separator: Bool?

        static func text(_ text: String, size: String? = nil, weight: String? = nil, subtle: Bool = false,
                         separator: Bool = false) -> Element {
            Element(text: text, size: size, weight: weight, isSubtle: subtle ? true : nil, separator: separator ? true : nil)
        }
    }
}
