import Digest
import Foundation
import Models
import Testing

/// Ranking, grouping, clusters, badges, routing and display-safety of the digest model.
@Suite struct DigestBuilderTests {
    private let example = DigestFixtures.example

    @Test func sectionsComeInOrderAndActionNeededLeadsWithKEVThenSeverity() {
        #expect(example.sections.map(\.kind) == [.actionNeeded, .security, .announcements])
        // The KEV-listed nginx cluster first, then the critical curl advisory (risk 4 alone would not lead).
        #expect(example.sections[0].items.map(\.rowID) == [11, 14])
        #expect(example.sections[1].groups.map(\.service) == ["PostgreSQL", "OpenSSL"])
        #expect(example.sections[2].groups.map(\.service) == ["AWS Lambda"])
    }

    @Test func aClusterIsOneRowShowingTheFirstSourceWithTheOthersUnderAlso() {
        let row = example.sections[0].items[0]
        #expect(row.title == "HTTP/2 Rapid Reset attack affecting nginx (CVE-2023-44487)")
        #expect(row.link == "https://aws.amazon.com/security/security-bulletins/AWS-2023-011/")
        #expect(row.entryRowIDs == [11, 12, 13])
        #expect(row.alsoReportedBy == ["Ubuntu Security Notices USN-6427-1", "Debian Security Advisories DSA-5521-1"])
        #expect(row.advisories == ["CVE-2023-44487", "USN-6427-1", "DSA-5521-1"])
        #expect(row.badges == ["HIGH", "KEV"])
        // Every entry of the cluster is marked delivered with the row (18 is the example's mention).
        #expect(example.rowIDs.sorted() == [11, 12, 13, 14, 15, 16, 17, 18])
        #expect(example.itemCount == 5)
    }

    @Test func theSubjectSaysWhatIsInIt() {
        #expect(DigestHeadline.subject(example) == "[bulletin] 2 action needed, 5 new for nginx, curl, PostgreSQL…; 2 of 38 feeds need a look")
        #expect(DigestHeadline.subject(DigestFixtures.quiet) == "[bulletin] nothing new; all 38 feeds fetched fine")
    }

    @Test func routingByOwnerServiceRiskAndSeverity() {
        let candidates = (0..<4).map { index in
            DigestFixtures.candidate(Int64(index), feed: "F", title: "t\(index)", link: nil, date: "2024-05-01",
                                     advisories: [], services: [["nginx", "PostgreSQL", "curl", "OpenSSL"][index]],
                                     severity: [nil, .high, .low, .critical][index])
        }
        func ids(_ filter: DigestFilter, tags: [String: [String]] = [:]) -> [Int64] {
            filter.apply(to: candidates, services: DigestFixtures.services, tags: tags).map(\.entry.rowID)
        }
        #expect(ids(DigestFilter()) == [0, 1, 2, 3])
        #expect(ids(DigestFilter(owner: "WEB-team@example.com")) == [0])
        #expect(ids(DigestFilter(services: ["curl", "openssl"])) == [2, 3])
        #expect(ids(DigestFilter(minimumRisk: 12)) == [0, 1])
        #expect(ids(DigestFilter(minimumSeverity: .high)) == [1, 3])
        #expect(ids(DigestFilter(tag: "edge"), tags: ["nginx": ["edge"], "curl": ["EDGE"]]) == [0, 2])
        #expect(ids(DigestFilter(tag: "edge")) == [])
    }

    @Test func kevCountsAsCriticalForAMinimumSeverity() {
        let kev = DigestFixtures.candidate(1, feed: "F", title: "t", link: nil, date: "2024-05-01", advisories: [],
                                           services: ["curl"], kev: true)
        #expect(DigestFilter(minimumSeverity: .critical).apply(to: [kev], services: DigestFixtures.services).count == 1)
    }

    @Test func anAlertKeepsOnlyWhatNeedsAction() {
        let alert = example.actionNeededOnly()
        #expect(alert.sections.map(\.kind) == [.actionNeeded])
        #expect(alert.rowIDs.sorted() == [11, 12, 13, 14])
    }

    @Test func feedTextIsMadeSafeBeforeAnyRenderer() {
        let hostile = DigestFixtures.hostile
        let items = hostile.sections.flatMap(\.items)
        let long = items.first { $0.rowID == 3 }!
        #expect(long.title.count == 301 && long.title.hasSuffix("…"))
        let bidi = items.first { $0.rowID == 4 }!
        #expect(bidi.title == "Invoice fdp.exe and [31mred[0m text")
        #expect(bidi.link == nil)  // protocol-relative
        #expect(items.first { $0.rowID == 1 }!.link == nil)  // javascript:
        #expect(items.first { $0.rowID == 2 }!.link == nil)  // a quote in the URL
        #expect(hostile.feedHealth?.problems.first?.url == "https://example.com/feed")
    }
}
