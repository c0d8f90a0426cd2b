import FoundationEssentials
import Models

/// One tagged entry as the digest receives it: the stored entry, the services it was tied
/// to, and what the other stages know about it. The stages that know more fill more:
/// matching fills `severity` and `kev`, the store fills `cluster`.
public struct DigestCandidate: Sendable, Hashable {
    public var entry: StoredEntry
    public var services: [String]
    /// nil when unknown.
    public var severity: Severity?
    /// Listed in CISA's Known Exploited Vulnerabilities catalog.
    public var kev: Bool
    /// Entries with the same cluster key report the same thing (they share an advisory
    /// id) and make one row; nil: a row of its own.
    public var cluster: String?

    public init(entry: StoredEntry, services: [String], severity: Severity? = nil, kev: Bool = false,
                cluster: String? = nil) {
        self.entry = entry
        self.services = services
        self.severity = severity
        self.kev = kev
        self.cluster = cluster
    }

    /// A candidate from the store's selection (`Store.undelivered(on:)`).
    public init(_ tagged: (entry: StoredEntry, tags: [EntryTag])) {
        self.init(entry: tagged.entry, services: tagged.tags.map(\.service))
    }

    /// 4 critical, 3 high, 2 medium, 1 low, nil unknown; KEV counts as critical.
    public var severityRank: Int? { kev ? Severity.critical.rawValue : severity?.rawValue }
}

/// Builds the digest model: one row per cluster; rows that are KEV-listed, critical, or high
/// on a high-risk service lead under *Action needed* (KEV first, then severity, risk,
/// newest); the rest go to *Security bulletins* or *Announcements* by their feed's
/// category, grouped by service (riskiest service first), newest first.
public struct DigestBuilder: Sendable {
    /// Risk (impact × likelihood) at or above which a service's bulletins need action.
    public var highRisk: Int
    private let riskOf: [String: Int]

    public init(services: [Service], highRisk: Int = 15) {
        self.highRisk = highRisk
        riskOf = Dictionary(services.map { ($0.name, $0.risk) }, uniquingKeysWith: max)
    }

    /// The digest of `tagged`, as the store selects it (no severity, KEV or clusters yet).
    public func build(_ tagged: [(entry: StoredEntry, tags: [EntryTag])], at now: Date = WallClock.now()) -> DigestModel {
        build(candidates: tagged.map(DigestCandidate.init), at: now)
    }

    /// - Parameter mentions: bulletins that only mention services, for *Also mentioned*.
    public func build(candidates: [DigestCandidate], mentions: [DigestCandidate] = [],
                      feedHealth: FeedHealthReport? = nil, since: Date? = nil,
                      until: Date? = nil, at now: Date = WallClock.now()) -> DigestModel {
        // Clusters, in the order they first appear.
        var clusters: [[DigestCandidate]] = []
        var index: [String: Int] = [:]
        for candidate in candidates {
            if let key = candidate.cluster, let at = index[key] {
                clusters[at].append(candidate)
            } else {
                if let key = candidate.cluster { index[key] = clusters.count }
                clusters.append([candidate])
            }
        }
        var rows: [DigestModel.Section.Kind: [(item: DigestModel.Item, rank: Rank)]] = [:]
        for members in clusters {
            let (item, rank, category) = row(members)
            let kind: DigestModel.Section.Kind =
                if rank.urgent { .actionNeeded } else if category == .announcements { .announcements } else { .security }
            rows[kind, default: []].append((item, rank))
        }
        let sections = DigestModel.Section.Kind.allCases.compactMap { kind -> DigestModel.Section? in
            guard let entries = rows[kind], !entries.isEmpty else { return nil }
            if kind == .actionNeeded {
                let ranked = entries.sorted { $0.rank.orders(before: $1.rank) }.map(\.item)
                return DigestModel.Section(kind: kind, groups: [.init(service: nil, items: ranked)])
            }
            let byService = Dictionary(grouping: entries) { $0.rank.service }
            let services = byService.keys.sorted { (-riskOf[$0, default: 0], $0.lowercased()) < (-riskOf[$1, default: 0], $1.lowercased()) }
            return DigestModel.Section(kind: kind, groups: services.map { service in
                .init(service: service, items: byService[service]!.sorted { $0.rank.orders(before: $1.rank, byDateOnly: true) }.map(\.item))
            })
        }
        let health = feedHealth.map { report in
            FeedHealthReport(feedCount: report.feedCount, problems: report.problems.map(Self.clean),
                             recentlyFailing: report.recentlyFailing)
        }
        let mentioned = mentions.sorted {
            ($0.entry.entry.date ?? .distantPast, -$0.entry.rowID) > ($1.entry.entry.date ?? .distantPast, -$1.entry.rowID)
        }.map { candidate in
            let entry = candidate.entry.entry
            return DigestModel.Mention(
                rowID: candidate.entry.rowID,
                title: DisplayText.clean(entry.title ?? entry.link ?? entry.id, limit: DisplayText.titleLimit),
                link: DisplayText.webLink(entry.link), date: entry.date,
                feed: DisplayText.clean(candidate.entry.feedTitle, limit: DisplayText.nameLimit),
                services: unique(candidate.services).map { DisplayText.clean($0, limit: DisplayText.nameLimit) })
        }
        return DigestModel(generated: now, since: since, until: until, sections: sections, feedHealth: health,
                           mentions: mentioned)
    }

    /// How a row sorts: KEV, then severity, then risk, then newest, then oldest row first.
    private struct Rank {
        var urgent: Bool
        var kev: Bool
        var severity: Int
        var risk: Int
        var date: Date
        var rowID: Int64
        /// The service the row is grouped under: the riskiest of its services.
        var service: String

        func orders(before other: Rank, byDateOnly: Bool = false) -> Bool {
            if !byDateOnly {
                if kev != other.kev { return kev }
                if severity != other.severity { return severity > other.severity }
                if risk != other.risk { return risk > other.risk }
            }
            if date != other.date { return date > other.date }
            return rowID < other.rowID
        }
    }

    /// The row of one cluster: the first source (earliest, then lowest row) shows; the
    /// others are named under "also".
    private func row(_ members: [DigestCandidate]) -> (DigestModel.Item, Rank, FeedCategory) {
        let sorted = members.sorted {
            ($0.entry.entry.date ?? .distantFuture, $0.entry.rowID) < ($1.entry.entry.date ?? .distantFuture, $1.entry.rowID)
        }
        let first = sorted[0]
        let services = unique(sorted.flatMap(\.services))
        let advisories = unique(sorted.flatMap(\.entry.entry.advisories))
        let severity = sorted.compactMap(\.severity).max()
        let kev = sorted.contains(where: \.kev)
        let risk = services.map { riskOf[$0, default: 0] }.max() ?? 0
        let severityRank = sorted.compactMap(\.severityRank).max() ?? 0
        // Repeats of the row's own feed are the same bulletin: only other feeds are "also".
        let also = unique(sorted.dropFirst().filter { $0.entry.feedTitle != first.entry.feedTitle }.map { member in
            let own = member.entry.entry.advisories.first { !$0.uppercased().hasPrefix("CVE-") }
            return DisplayText.clean([member.entry.feedTitle, own].compactMap { $0 }.joined(separator: " "),
                                     limit: DisplayText.nameLimit)
        })
        let entry = first.entry.entry
        let item = DigestModel.Item(
            rowID: first.entry.rowID, entryRowIDs: sorted.map(\.entry.rowID), sourceID: entry.id,
            title: DisplayText.clean(entry.title ?? entry.link ?? entry.id, limit: DisplayText.titleLimit),
            link: DisplayText.webLink(entry.link), date: entry.date,
            feed: DisplayText.clean(first.entry.feedTitle, limit: DisplayText.nameLimit),
            services: services.map { DisplayText.clean($0, limit: DisplayText.nameLimit) },
            advisories: advisories.prefix(12).map { DisplayText.clean($0, limit: 40) },
            summary: DisplayText.clean(entry.summary, limit: DisplayText.summaryLimit),
            severity: severity?.description, kev: kev, alsoReportedBy: also)
        let service = services.max { (riskOf[$0, default: 0], $1.lowercased()) < (riskOf[$1, default: 0], $0.lowercased()) }
            ?? ""
        let urgent = Self.actionNeeded(kev: kev, severity: severity, risk: risk, highRisk: highRisk) != nil
        let rank = Rank(urgent: urgent, kev: kev, severity: severityRank,
                        risk: risk, date: entry.date ?? .distantPast, rowID: first.entry.rowID,
                        service: DisplayText.clean(service, limit: DisplayText.nameLimit))
        return (item, rank, first.entry.category)
    }

    /// Why a row is under *Action needed*, or nil when it is not.
    public enum ActionReason: Sendable, Hashable {
        /// One of its CVEs is in CISA's KEV catalog.
        case exploited
        case critical
        /// High severity on a service at or above the risk threshold.
        case highOnHighRisk
    }

    /// Action needed: known exploited, critical, or high for a service at or above the risk
    /// threshold. A high-risk service's blog post or medium fix waits for the daily digest.
    public static func actionNeeded(kev: Bool, severity: Severity?, risk: Int, highRisk: Int) -> ActionReason? {
        if kev { return .exploited }
        guard let severity else { return nil }
        if severity >= .critical { return .critical }
        return severity >= .high && risk >= highRisk ? .highOnHighRisk : nil
    }

    private static func clean(_ health: FeedHealth) -> FeedHealth {
        var clean = health
        clean.feed = DisplayText.clean(health.feed, limit: DisplayText.nameLimit)
        switch health.status {
        case .failing(let runs, let error): clean.status = .failing(runs: runs, error: DisplayText.clean(error, limit: 300))
        case .gone(let error): clean.status = .gone(error: DisplayText.clean(error, limit: 300))
        case .moved(let url): clean.status = .moved(to: DisplayText.clean(url, limit: 2048))
        }
        clean.url = DisplayText.clean(health.url, limit: 2048)
        return clean
    }

    private func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
