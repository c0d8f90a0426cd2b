import FoundationEssentials
import Models

/// The content of one digest, grouped and ordered, with no formatting.
public struct DigestModel: Sendable {
    public struct Item: Sendable, Hashable {
        public var rowID: Int64
        public var title: String
        public var link: String?
        public var date: Date?
        public var feed: String
        public var services: [String]
        public var advisories: [String]
    }

    public struct Section: Sendable {
        public enum Kind: String, Sendable {
            case actionNeeded = "Action needed"
            case security = "Security bulletins"
            case announcements = "Announcements"
        }

        public var kind: Kind
        public var items: [Item]
    }

    public var generated: Date
    public var sections: [Section]

    /// Every entry in the digest, once.
    public var rowIDs: [Int64] { sections.flatMap { $0.items.map(\.rowID) } }
    public var isEmpty: Bool { sections.allSatisfy { $0.items.isEmpty } }
}

/// Builds the digest model: entries on a high-risk service lead under "Action needed",
/// the rest go to "Security bulletins" or "Announcements" by their feed's category;
/// newest first within a section.
public struct DigestBuilder: Sendable {
    /// Risk (impact × likelihood) at or above which a service's bulletins need action.
    public var highRisk: Int
    private let riskOf: [String: Int]

    public init(services: [Service], highRisk: Int = 15) {
        self.highRisk = highRisk
        riskOf = Dictionary(services.map { ($0.name, $0.risk) }, uniquingKeysWith: max)
    }

    public func build(_ tagged: [(entry: StoredEntry, tags: [EntryTag])], at now: Date = Date()) -> DigestModel {
        var sections: [DigestModel.Section.Kind: [DigestModel.Item]] = [:]
        for (stored, tags) in tagged {
            let services = tags.map(\.service)
            let item = DigestModel.Item(
                rowID: stored.rowID, title: stored.entry.title ?? stored.entry.link ?? stored.entry.id,
                link: stored.entry.link, date: stored.entry.date, feed: stored.feedTitle,
                services: services, advisories: stored.entry.advisories)
            let kind: DigestModel.Section.Kind =
                if services.contains(where: { riskOf[$0, default: 0] >= highRisk }) { .actionNeeded }
                else if stored.category == .announcements { .announcements }
                else { .security }
            sections[kind, default: []].append(item)
        }
        let order: [DigestModel.Section.Kind] = [.actionNeeded, .security, .announcements]
        return DigestModel(generated: now, sections: order.compactMap { kind in
            sections[kind].map {
                DigestModel.Section(kind: kind, items: $0.sorted {
                    ($0.date ?? .distantPast, $1.rowID) > ($1.date ?? .distantPast, $0.rowID)
                })
            }
        })
    }
}
