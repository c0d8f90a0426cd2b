import Digest
import Foundation
import Models
import Testing

@Suite struct DigestTests {
    private let services = [Service(name: "nginx", impact: 5, likelihood: 4), Service(name: "curl", impact: 2, likelihood: 2)]

    private func tagged(_ rowID: Int64, _ service: String, _ category: FeedCategory, day: Int) -> (entry: StoredEntry, tags: [EntryTag]) {
        let entry = FeedEntry(id: "\(rowID)", title: "Bulletin \(rowID)", link: "https://example.com/\(rowID)",
                              published: Date(timeIntervalSince1970: TimeInterval(1_700_000_000 + day * 86_400)),
                              advisories: ["CVE-2024-\(1000 + rowID)"])
        return (StoredEntry(rowID: rowID, feedTitle: "Feed", category: category, entry: entry),
                [EntryTag(entryRowID: rowID, service: service, alias: service, field: "title")])
    }

    private func candidate(_ rowID: Int64, _ service: String, _ category: FeedCategory, day: Int,
                           severity: Severity? = nil, kev: Bool = false) -> DigestCandidate {
        var candidate = DigestCandidate(tagged(rowID, service, category, day: day))
        candidate.severity = severity
        candidate.kev = kev
        return candidate
    }

    @Test func highRiskLeadsThenSecurityThenAnnouncementsNewestFirst() {
        let digest = DigestBuilder(services: services, highRisk: 15).build(candidates: [
            candidate(1, "curl", .security, day: 0), candidate(2, "curl", .security, day: 2),
            candidate(3, "nginx", .security, day: 1, severity: .high), candidate(4, "curl", .announcements, day: 3),
        ])
        #expect(digest.sections.map(\.kind) == [.actionNeeded, .security, .announcements])
        #expect(digest.sections.map { $0.items.map(\.rowID) } == [[3], [2, 1], [4]])
    }

    /// Action needed: KEV, critical, or high on a service at or above the risk threshold.
    @Test(arguments: [
        ("nginx", nil, false, false), ("nginx", Severity.medium, false, false), ("nginx", Severity.high, false, true),
        ("curl", Severity.high, false, false), ("curl", Severity.critical, false, true), ("curl", nil, true, true),
    ] as [(String, Severity?, Bool, Bool)])
    func actionNeededNeedsSeverityOrExploitation(_ service: String, _ severity: Severity?, _ kev: Bool, _ urgent: Bool) {
        let digest = DigestBuilder(services: services, highRisk: 15).build(candidates: [
            candidate(1, service, .security, day: 0, severity: severity, kev: kev),
        ])
        #expect(digest.actionNeededCount == (urgent ? 1 : 0))
    }

    @Test func bulletinsThatOnlyMentionAServiceAreOneLineEachAtTheEnd() {
        let digest = DigestBuilder(services: services).build(
            candidates: [candidate(1, "curl", .security, day: 0)],
            mentions: (2...25).map { candidate(Int64($0), "nginx", .announcements, day: $0) })
        #expect(digest.itemCount == 1)
        #expect(digest.mentionCount == 24 && digest.mentions.count == DigestModel.mentionLimit)
        #expect(digest.mentions.first?.rowID == 25, "newest first")
        #expect(Set(digest.rowIDs) == Set(1...25), "every mention shown or not is delivered with the digest")
        let text = TextRenderer().render(digest)
        #expect(text.contains("""
            Also mentioned (24)
            ==============
            2023-12-09  Bulletin 25 · names nginx · Feed
            """))
        #expect(text.contains("… and 4 more (bulletin export lists every tag)\n"))
        #expect(digest.actionNeededOnly().mentions.isEmpty && digest.actionNeededOnly().rowIDs.isEmpty)
    }

    @Test func theTextDigestShowsEachItemWithItsServicesAdvisoriesAndLink() {
        let digest = DigestBuilder(services: services).build(candidates: [candidate(3, "nginx", .security, day: 1,
                                                                                    severity: .critical)])
        let text = TextRenderer().render(digest)
        #expect(text == """
            Bulletin digest: 1 new bulletin for your services, 1 action needed

            Action needed (1)
            =============
            2023-11-15  [nginx]  [CRITICAL]  Bulletin 3
                 from Feed · CVE-2024-1003
                 https://example.com/3

            """)
    }

    @Test func anEmptyDigestSaysSo() {
        let digest = DigestBuilder(services: services).build([])
        #expect(digest.isEmpty)
        #expect(TextRenderer().render(digest) == "Bulletin digest: nothing new for your services.\n")
    }
}
