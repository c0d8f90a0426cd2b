import FoundationEssentials
import Models

/// The content of one digest, grouped and ordered, with no formatting. Every text in it
/// is display-safe (see `DisplayText`) and every link is `http(s)` or nil, so each
/// renderer only has to escape for its own format.
public struct DigestModel: Sendable {
    /// One row: a bulletin, or a cluster of bulletins that report the same thing.
    public struct Item: Sendable, Hashable {
        /// The row of the first source (the one whose title and link are shown).
        public var rowID: Int64
        /// Every entry the row stands for, the first source first: all are marked delivered.
        public var entryRowIDs: [Int64]
        /// The first source's own id (its guid), for the Atom entry id.
        public var sourceID: String
        public var title: String
        public var link: String?
        public var date: Date?
        public var feed: String
        public var services: [String]
        public var advisories: [String]
        public var summary: String?
        /// The summary's start, about two lines, for the renderers that show each row's gist
        /// (nil when the summary only repeats the title).
        public var excerpt: String? {
            guard let summary, !summary.hasPrefix(title) else { return nil }
            return DisplayText.clean(summary, limit: DisplayText.excerptLimit) as String
        }
        /// `critical`, `high`, `medium`, `low`, or nil when unknown.
        public var severity: String?
        /// Listed in CISA's Known Exploited Vulnerabilities catalog.
        public var kev: Bool
        /// The other sources of the cluster: "Ubuntu USN-6543-1", "Debian DSA-5540-1".
        public var alsoReportedBy: [String]

        public init(rowID: Int64, entryRowIDs: [Int64]? = nil, sourceID: String? = nil, title: String,
                    link: String? = nil, date: Date? = nil, feed: String, services: [String], advisories: [String] = [],
                    summary: String? = nil, severity: String? = nil, kev: Bool = false, alsoReportedBy: [String] = []) {
            self.rowID = rowID
            self.entryRowIDs = entryRowIDs ?? [rowID]
            self.sourceID = sourceID ?? String(rowID)
            self.title = title
            self.link = link
            self.date = date
            self.feed = feed
            self.services = services
            self.advisories = advisories
            self.summary = summary
            self.severity = severity
            self.kev = kev
            self.alsoReportedBy = alsoReportedBy
        }
    }

    /// A bulletin that names services in passing but is about none of them: one line under
    /// *Also mentioned*, never a row of a section.
    public struct Mention: Sendable, Hashable {
        public var rowID: Int64
        public var title: String
        public var link: String?
        public var date: Date?
        public var feed: String
        /// The services it mentions.
        public var services: [String]

        public init(rowID: Int64, title: String, link: String? = nil, date: Date? = nil, feed: String,
                    services: [String]) {
            self.rowID = rowID
            self.title = title
            self.link = link
            self.date = date
            self.feed = feed
            self.services = services
        }
    }

    /// The items of one service within a section (the service is nil in *Action needed*,
    /// which is one ranked list).
    public struct Group: Sendable {
        public var service: String?
        public var items: [Item]
    }

    public struct Section: Sendable {
        public enum Kind: String, Sendable, CaseIterable {
            case actionNeeded = "Action needed"
            case security = "Security bulletins"
            case announcements = "Announcements"

            /// The kind's name in JSON: `action_needed`, `security`, `announcements`.
            public var key: String {
                switch self {
                case .actionNeeded: "action_needed"
                case .security: "security"
                case .announcements: "announcements"
                }
            }
        }

        public var kind: Kind
        public var groups: [Group]

        public var items: [Item] { groups.flatMap(\.items) }
    }

    public var generated: Date
    /// The window of an ad-hoc digest (`--since`/`--until`), nil for "not yet delivered".
    public var since: Date?
    public var until: Date?
    public var sections: [Section]
    /// How the feeds are doing; nil when not known (a digest built without the store).
    public var feedHealth: FeedHealthReport?
    /// *Also mentioned*: the first `mentionLimit` bulletins that only mention services, newest first.
    public var mentions: [Mention]
    /// How many mentions there were in all (the list shows at most `mentionLimit`).
    public var mentionCount: Int
    /// Every entry the mentions stand for, shown or not: all are marked delivered with the digest.
    public var mentionRowIDs: [Int64]

    public static let mentionLimit = 20
    /// On a channel's first digest: how many bulletins older than `firstRunDays` were marked
    /// delivered without being sent.
    public var olderSkipped = 0
    public var firstRunDays = 0

    public init(generated: Date, since: Date? = nil, until: Date? = nil, sections: [Section],
                feedHealth: FeedHealthReport? = nil, mentions: [Mention] = []) {
        self.generated = generated
        self.since = since
        self.until = until
        self.sections = sections
        self.feedHealth = feedHealth
        self.mentions = Array(mentions.prefix(Self.mentionLimit))
        mentionCount = mentions.count
        mentionRowIDs = mentions.map(\.rowID)
    }

    /// Every entry in the digest, once: what is marked delivered when a channel accepts it.
    public var rowIDs: [Int64] { sections.flatMap { $0.items.flatMap(\.entryRowIDs) } + mentionRowIDs }
    /// No bulletin in it (it may still report feed health: a heartbeat).
    public var isEmpty: Bool { sections.allSatisfy { $0.items.isEmpty } }
    /// The rows shown.
    public var itemCount: Int { sections.reduce(0) { $0 + $1.items.count } }
    public var actionNeededCount: Int { sections.first { $0.kind == .actionNeeded }?.items.count ?? 0 }

    /// The services with news, those needing action first, then by how many rows name them.
    public var services: [String] {
        var counts: [String: (urgent: Bool, count: Int, first: Int)] = [:]
        var order = 0
        for section in sections {
            for item in section.items {
                for service in item.services {
                    let known = counts[service]
                    counts[service] = (known?.urgent ?? (section.kind == .actionNeeded), (known?.count ?? 0) + 1,
                                       known?.first ?? order)
                    order += 1
                }
            }
        }
        return counts.sorted {
            ($0.value.urgent ? 0 : 1, -$0.value.count, $0.value.first) < ($1.value.urgent ? 0 : 1, -$1.value.count, $1.value.first)
        }.map(\.key)
    }

    /// Only the *Action needed* section: what `bulletin run --alert` sends at once.
    public func actionNeededOnly() -> DigestModel {
        var copy = self
        copy.sections = sections.filter { $0.kind == .actionNeeded }
        copy.mentions = []
        copy.mentionCount = 0
        copy.mentionRowIDs = []
        return copy
    }
}

/// How one feed of the catalog is doing, when that is worth telling.
public struct FeedHealth: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        /// The last `runs` fetches failed, the last with `error`.
        case failing(runs: Int, error: String?)
        /// The server says the feed is gone for good (HTTP 410, or 404 for long).
        case gone(error: String?)
        /// The feed answers from a new address (a permanent redirect); update the catalog.
        case moved(to: String)
    }

    public var feed: String
    public var url: String
    public var status: Status
    public var lastSuccess: Date?

    public init(feed: String, url: String, status: Status, lastSuccess: Date? = nil) {
        self.feed = feed
        self.url = url
        self.status = status
        self.lastSuccess = lastSuccess
    }

    /// "failing 3 runs in a row: fetch: …: HTTP 503", "gone: HTTP 410", "moved to https://…".
    public var explanation: String {
        switch status {
        case .failing(let runs, let error):
            "failing \(runs) run\(runs == 1 ? "" : "s") in a row" + (error.map { ": \($0)" } ?? "")
        case .gone(let error): "gone" + (error.map { ": \($0)" } ?? "") + "; remove it from the catalog"
        case .moved(let url): "moved to \(url); update the catalog"
        }
    }

    /// `failing`, `gone` or `moved`.
    public var statusKey: String {
        switch status {
        case .failing: "failing"
        case .gone: "gone"
        case .moved: "moved"
        }
    }
}

/// The *Feed health* section: how many feeds there are and which ones need a look.
public struct FeedHealthReport: Sendable, Hashable {
    public var feedCount: Int
    public var problems: [FeedHealth]
    /// Feeds whose last fetch failed but that are not problems yet (a one-off outage).
    public var recentlyFailing: Int

    public init(feedCount: Int, problems: [FeedHealth], recentlyFailing: Int = 0) {
        self.feedCount = feedCount
        self.problems = problems
        self.recentlyFailing = recentlyFailing
    }

    /// "all 38 feeds fetched fine", "38 feeds, 1 failed on its last fetch" or "2 of 38 feeds need a look".
    public var headline: String {
        let feeds = "\(feedCount) feed\(feedCount == 1 ? "" : "s")"
        if !problems.isEmpty { return "\(problems.count) of \(feeds) need\(problems.count == 1 ? "s" : "") a look" }
        if recentlyFailing > 0 {
            return "\(feeds), \(recentlyFailing) failed on \(recentlyFailing == 1 ? "its" : "their") last fetch"
        }
        return "all \(feeds) fetched fine"
    }
}
