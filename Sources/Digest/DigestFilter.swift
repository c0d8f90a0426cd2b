import Models

/// What a channel receives (routing): every service, or those named, those of an owner or
/// of a tag; at or above a minimum risk or severity. An empty filter admits everything.
public struct DigestFilter: Sendable, Hashable {
    /// Only these services (by name, any case).
    public var services: [String] = []
    /// Only services whose inventory `owner` is this (any case).
    public var owner: String?
    /// Only services carrying this tag in the inventory.
    public var tag: String?
    /// Only rows on a service whose risk (impact × likelihood) is at least this.
    public var minimumRisk: Int?
    /// Only rows whose severity is known and at least this (`high`: high and critical);
    /// KEV-listed rows count as critical.
    public var minimumSeverity: Severity?

    public init(services: [String] = [], owner: String? = nil, tag: String? = nil, minimumRisk: Int? = nil,
                minimumSeverity: Severity? = nil) {
        self.services = services
        self.owner = owner
        self.tag = tag
        self.minimumRisk = minimumRisk
        self.minimumSeverity = minimumSeverity
    }

    public var admitsEverything: Bool { self == DigestFilter() }

    /// The candidates this channel gets: one passes when one of its services passes the
    /// service, owner, tag and risk tests, and its severity passes the severity test.
    /// - Parameter tags: the inventory's tags by service name.
    public func apply(to candidates: [DigestCandidate], services inventory: [Service],
                      tags: [String: [String]] = [:]) -> [DigestCandidate] {
        guard !admitsEverything else { return candidates }
        let byName = Dictionary(inventory.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        let wanted = Set(services.map { $0.lowercased() })
        let tagsByService = Dictionary(tags.map { ($0.key.lowercased(), Set($0.value.map { $0.lowercased() })) },
                                       uniquingKeysWith: { $0.union($1) })
        let minimumRank = minimumSeverity?.rawValue
        return candidates.filter { candidate in
            if let minimumRank, (candidate.severityRank ?? 0) < minimumRank { return false }
            return candidate.services.contains { name in
                let key = name.lowercased()
                let service = byName[key]
                if !wanted.isEmpty, !wanted.contains(key) { return false }
                if let owner, service?.owner?.lowercased() != owner.lowercased() { return false }
                if let tag, !(tagsByService[key]?.contains(tag.lowercased()) ?? false) { return false }
                if let minimumRisk, (service?.risk ?? 0) < minimumRisk { return false }
                return true
            }
        }
    }
}
