import Models

/// Renders a digest as an Atom 1.0 feed (RFC 4287) a feed reader can subscribe to: one
/// entry per row, with the row's services as categories, and one entry for the feed
/// health when some feed needs a look. Text is escaped XML text (`type="text"`), links
/// are `http(s)` only.
public struct AtomRenderer: DigestRenderer {
    /// The feed's `id`: stable across runs so readers keep their place.
    public var feedID: String
    /// The URL the feed is published at, for `<link rel="self">`, if any.
    public var selfLink: String?

    public init(feedID: String = "urn:bulletin:digest", selfLink: String? = nil) {
        self.feedID = feedID
        self.selfLink = selfLink
    }

    public func render(_ digest: DigestModel) -> String {
        let updated = Timestamp.rfc3339(digest.generated)
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <id>\(Self.escape(feedID))</id>
              <title type="text">Bulletin digest</title>
              <subtitle type="text">\(Self.escape(DigestHeadline.summary(digest)))</subtitle>
              <updated>\(updated)</updated>
              <author><name>Bulletin</name></author>
              <generator>Bulletin</generator>

            """
        if let selfLink = DisplayText.webLink(selfLink) {
            xml += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(Self.escape(selfLink))\"/>\n"
        }
        for section in digest.sections {
            for item in section.items {
                xml += entry(item, section: section.kind, fallbackDate: updated)
            }
        }
        if let health = digest.feedHealth, !health.problems.isEmpty {
            let day = Timestamp.day(digest.generated)
            let lines = health.problems.map { "\($0.feed): \($0.explanation) (\($0.url))" }
            xml += """
                  <entry>
                    <id>urn:bulletin:feed-health:\(day)</id>
                    <title type="text">Feed health: \(Self.escape(health.headline))</title>
                    <updated>\(updated)</updated>
                    <category term="feed-health" label="Feed health"/>
                    <content type="text">\(Self.escape(lines.joined(separator: "\n")))</content>
                  </entry>

                """
        }
        return xml + "</feed>\n"
    }

    private func entry(_ item: DigestModel.Item, section: DigestModel.Section.Kind, fallbackDate: String) -> String {
        let badges = item.badges.isEmpty ? "" : "[" + item.badges.joined(separator: "] [") + "] "
        var xml = "  <entry>\n"
        xml += "    <id>\(Self.escape(Self.entryID(item)))</id>\n"
        xml += "    <title type=\"text\">\(Self.escape(badges + item.title))</title>\n"
        xml += "    <updated>\(item.date.map(Timestamp.rfc3339) ?? fallbackDate)</updated>\n"
        if let link = item.link {
            xml += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(Self.escape(link))\"/>\n"
        }
        xml += "    <category term=\"\(section.key)\" label=\"\(section.rawValue)\"/>\n"
        for service in item.services {
            xml += "    <category term=\"\(Self.escape(service))\"/>\n"
        }
        var lines = ["Services: " + item.services.joined(separator: ", "), "From: " + item.feed]
        if !item.advisories.isEmpty { lines.append("Advisories: " + item.advisories.joined(separator: " ")) }
        if !item.alsoReportedBy.isEmpty { lines.append("Also: " + item.alsoReportedBy.joined(separator: ", ")) }
        if let summary = item.summary { lines.append(summary) }
        xml += "    <summary type=\"text\">\(Self.escape(lines.joined(separator: "\n")))</summary>\n"
        return xml + "  </entry>\n"
    }

    /// The source's own id when it is an absolute IRI (`https://…`, `urn:…`, `tag:…`),
    /// else one made from the digest row.
    static func entryID(_ item: DigestModel.Item) -> String {
        let id = item.sourceID
        if let colon = id.firstIndex(of: ":"), colon != id.startIndex,
           id[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }),
           id[..<colon].first!.isLetter, !id.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" }),
           !id.lowercased().hasPrefix("javascript:"), !id.lowercased().hasPrefix("data:") {
            return id
        }
        return "urn:bulletin:entry:\(item.rowID)"
    }

    /// XML 1.0 text or attribute: `& < > "` escaped (control characters are already gone).
    static func escape(_ text: String) -> String {
        HTMLRenderer.escape(text).replacing("&#39;", with: "&apos;")
    }
}
