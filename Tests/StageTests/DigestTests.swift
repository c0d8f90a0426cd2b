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

    @Test func highRiskLeadsThenSecurityThenAnnouncementsNewestFirst() {
        let digest = DigestBuilder(services: services, highRisk: 15).build([
            tagged(1, "curl", .security, day: 0), tagged(2, "curl", .security, day: 2),
            tagged(3, "nginx", .security, day: 1), tagged(4, "curl", .announcements, day: 3),
        ])
        #expect(digest.sections.map(\.kind) == [.actionNeeded, .security, .announcements])
        #expect(digest.sections.map { $0.items.map(\.rowID) } == [[3], [2, 1], [4]])
    }

    @Test func theTextDigestShowsEachItemWithItsServicesAdvisoriesAndLink() {
        let digest = DigestBuilder(services: services).build([tagged(3, "nginx", .security, day: 1)])
        let text = TextRenderer().render(digest)
        #expect(text == """
            Bulletin digest: 1 new bulletin for your services, 1 action needed

            Action needed (1)
            =============
            2023-11-15  [nginx]  Bulletin 3
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
