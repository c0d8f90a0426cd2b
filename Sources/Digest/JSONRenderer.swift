import FoundationEssentials
import Models

/// Renders a digest as JSON for scripts and webhooks: schema version 1, documented in the
/// README ("`bulletin digest --format json`"). Keys are sorted; a missing value is `null`
/// (or `[]`), never left out; dates are RFC 3339 in UTC.
public struct JSONRenderer: DigestRenderer {
    public init() {}

    public func render(_ digest: DigestModel) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and arrays cannot fail.
        let data = (try? encoder.encode(Document(digest))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private struct Document: Encodable {
        let digest: DigestModel
        init(_ digest: DigestModel) { self.digest = digest }

        enum Keys: String, CodingKey {
            case version, generated, since, until, summary, sections, mentions, feedHealth = "feed_health"
            case items, entries, actionNeeded = "action_needed", services, headline
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(1, forKey: .version)
            try container.encode(Timestamp.rfc3339(digest.generated), forKey: .generated)
            try container.encode(digest.since.map(Timestamp.rfc3339), forKey: .since)
            try container.encode(digest.until.map(Timestamp.rfc3339), forKey: .until)
            var summary = container.nestedContainer(keyedBy: Keys.self, forKey: .summary)
            try summary.encode(DigestHeadline.subject(digest, prefix: ""), forKey: .headline)
            try summary.encode(digest.itemCount, forKey: .items)
            try summary.encode(digest.rowIDs.count, forKey: .entries)
            try summary.encode(digest.actionNeededCount, forKey: .actionNeeded)
            try summary.encode(digest.services, forKey: .services)
            try container.encode(digest.sections.map(SectionValue.init), forKey: .sections)
            try container.encode(digest.mentions.map(MentionValue.init), forKey: .mentions)
            try container.encode(digest.feedHealth.map(HealthValue.init), forKey: .feedHealth)
        }
    }

    /// One line of *Also mentioned*.
    private struct MentionValue: Encodable {
        let mention: DigestModel.Mention
        enum Keys: String, CodingKey { case entry, title, link, date, feed, services }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(mention.rowID, forKey: .entry)
            try container.encode(mention.title, forKey: .title)
            try container.encode(mention.link, forKey: .link)
            try container.encode(mention.date.map(Timestamp.rfc3339), forKey: .date)
            try container.encode(mention.feed, forKey: .feed)
            try container.encode(mention.services, forKey: .services)
        }
    }

    private struct SectionValue: Encodable {
        let section: DigestModel.Section
        enum Keys: String, CodingKey { case kind, title, groups, service, items }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(section.kind.key, forKey: .kind)
            try container.encode(section.kind.rawValue, forKey: .title)
            var groups = container.nestedUnkeyedContainer(forKey: .groups)
            for group in section.groups {
                var value = groups.nestedContainer(keyedBy: Keys.self)
                try value.encode(group.service, forKey: .service)
                try value.encode(group.items.map(ItemValue.init), forKey: .items)
            }
        }
    }

    private struct ItemValue: Encodable {
        let item: DigestModel.Item
        enum Keys: String, CodingKey {
            case id, title, link, date, feed, services, advisories, summary, severity, kev
            case also, entries
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(item.sourceID, forKey: .id)
            try container.encode(item.title, forKey: .title)
            try container.encode(item.link, forKey: .link)
            try container.encode(item.date.map(Timestamp.rfc3339), forKey: .date)
            try container.encode(item.feed, forKey: .feed)
            try container.encode(item.services, forKey: .services)
            try container.encode(item.advisories, forKey: .advisories)
            try container.encode(item.summary, forKey: .summary)
            try container.encode(item.severity, forKey: .severity)
            try container.encode(item.kev, forKey: .kev)
            try container.encode(item.alsoReportedBy, forKey: .also)
            try container.encode(item.entryRowIDs, forKey: .entries)
        }
    }

    private struct HealthValue: Encodable {
        let report: FeedHealthReport
        enum Keys: String, CodingKey {
            case feeds, problems, feed, url, status, failures, error, movedTo = "moved_to", lastSuccess = "last_success"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(report.feedCount, forKey: .feeds)
            var problems = container.nestedUnkeyedContainer(forKey: .problems)
            for problem in report.problems {
                var value = problems.nestedContainer(keyedBy: Keys.self)
                try value.encode(problem.feed, forKey: .feed)
                try value.encode(problem.url, forKey: .url)
                try value.encode(problem.statusKey, forKey: .status)
                var failures: Int?, error: String?, movedTo: String?
                switch problem.status {
                case .failing(let runs, let message): (failures, error) = (runs, message)
                case .gone(let message): error = message
                case .moved(let url): movedTo = url
                }
                try value.encode(failures, forKey: .failures)
                try value.encode(error, forKey: .error)
                try value.encode(movedTo, forKey: .movedTo)
                try value.encode(problem.lastSuccess.map(Timestamp.rfc3339), forKey: .lastSuccess)
            }
        }
    }
}
