import FoundationEssentials

/// Renders a digest as a Slack incoming-webhook payload (Block Kit): a header, a section
/// per row with its badges, link, services and advisories, and the feed health as
/// context. Feed text has `&`, `<` and `>` escaped, so it cannot mention `@channel`, link
/// or format beyond plain text; Slack's limits (50 blocks, 3000 characters a text) hold.
public struct SlackRenderer: DigestRenderer {
    public init() {}

    public func render(_ digest: DigestModel) -> String {
        var blocks: [Block] = [.init(type: "header", text: .plain(String(("Bulletin digest: " + DigestHeadline.summary(digest)).prefix(150))))]
        let budget = 50 - 1 - digest.sections.count * 2 - 2 - 1
        var shown = 0
        for section in digest.sections {
            blocks.append(.init(type: "divider"))
            blocks.append(.init(type: "section", text: .markdown("*\(section.kind.rawValue) (\(section.items.count))*")))
            for item in section.items where shown < budget {
                blocks.append(.init(type: "section", text: .markdown(row(item))))
                shown += 1
            }
        }
        if shown < digest.itemCount {
            blocks.append(.init(type: "context", elements: [.markdown("…and \(digest.itemCount - shown) more: see the email or `bulletin digest`.")]))
        }
        if let health = digest.feedHealth {
            blocks.append(.init(type: "divider"))
            var lines = ["*Feed health*: " + Self.escape(health.headline)]
            lines += health.problems.prefix(10).map { "• \(Self.escape($0.feed)): \(Self.escape($0.explanation))" }
            blocks.append(.init(type: "context", elements: [.markdown(String(lines.joined(separator: "\n").prefix(2900)))]))
        }
        let payload = Payload(text: DigestHeadline.subject(digest), blocks: blocks)
        return encode(payload)
    }

    private func row(_ item: DigestModel.Item) -> String {
        var line = "• "
        if !item.badges.isEmpty { line += item.badges.map { "*\($0)*" }.joined(separator: " ") + " " }
        let title = Self.escape(item.title)
        line += item.link.map { "<\(Self.escape($0))|\(title)>" } ?? "*\(title)*"
        let details = item.details(Self.escape)
        line += "\n" + details.joined(separator: " · ")
        if !item.alsoReportedBy.isEmpty { line += "\nalso: " + item.alsoReportedBy.map(Self.escape).joined(separator: ", ") }
        return String(line.prefix(2900))
    }

    /// Slack's three control characters as entities, scalar by scalar (as `HTMLRenderer.escape`).
    static func escape(_ text: String) -> String {
        DisplayText.replacing(text, ["&": "&amp;", "<": "&lt;", ">": "&gt;"])
    }

    struct Payload: Encodable {
        let text: String
        let blocks: [Block]
    }

    struct Block: Encodable {
        let type: String
        var text: Text? = nil
        var elements: [Text]? = nil
    }

    struct Text: Encodable {
        let type: String
        let text: String
        static func plain(_ text: String) -> Text { Text(type: "plain_text", text: text) }
        static func markdown(_ text: String) -> Text { Text(type: "mrkdwn", text: text) }
    }
}

/// Compact JSON with sorted keys (webhook payloads); plain values cannot fail to encode.
func encode<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
}
