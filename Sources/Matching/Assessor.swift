import Models

/// What tagging finds out about an entry besides its services: the severity its text
/// states and the CVEs of it that CISA's catalog lists as known exploited.
public struct Assessor: Sendable {
    /// CVE ids (upper case) of the Known Exploited Vulnerabilities catalog.
    public let knownExploited: Set<String>

    public init(knownExploited: Set<String> = []) {
        self.knownExploited = knownExploited
    }

    public func assess(_ stored: StoredEntry) -> Assessment {
        let (severity, cvss) = SeverityReader.read(title: stored.entry.title, summary: stored.entry.summary,
                                                     categories: stored.entry.categories)
        let exploited = knownExploited.isEmpty ? []
            : stored.entry.advisories.filter { knownExploited.contains($0.uppercased()) }
        return Assessment(entryRowID: stored.rowID, severity: severity, cvss: cvss, exploited: exploited)
    }
}
