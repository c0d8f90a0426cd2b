import Digest
import Foundation
import Models
import Testing

@Suite struct ClusteringTests {
    private func candidate(_ rowID: Int64, feed: String, _ advisories: [String], title: String? = nil,
                           link: String? = nil, summary: String? = nil) -> DigestCandidate {
        DigestCandidate(entry: StoredEntry(rowID: rowID, feedTitle: feed, category: .security,
                                           entry: FeedEntry(id: "\(rowID)", title: title ?? "t\(rowID)", link: link,
                                                            summary: summary, advisories: advisories)),
                        services: ["nginx"])
    }

    @Test func entriesOfDifferentFeedsSharingAnAdvisoryAreOneCluster() {
        let clustered = Clustering.assign([
            candidate(1, feed: "AWS", ["AWS-2024-001", "CVE-2024-3094"]),
            candidate(2, feed: "Ubuntu", ["USN-6701-1", "CVE-2024-3094"]),
            candidate(3, feed: "Debian", ["DSA-5649-1", "CVE-2024-3094"]),
            candidate(4, feed: "Debian", ["DSA-5650-1", "CVE-2024-9999"]),
        ])
        #expect(clustered.map(\.cluster) == ["AWS-2024-001", "AWS-2024-001", "AWS-2024-001", nil])
    }

    @Test func oneFeedRepeatingAnAdvisoryIsOneClusterButOverlappingBulletinsStayApart() {
        let clustered = Clustering.assign([
            candidate(1, feed: "npm", ["GHSA-g93w-mfhg-p222"]),
            candidate(2, feed: "npm", ["GHSA-g93w-mfhg-p222"]),
            candidate(3, feed: "ALAS", ["ALAS-2024-1", "CVE-2024-1", "CVE-2024-2"]),
            candidate(4, feed: "ALAS", ["ALAS-2024-2", "CVE-2024-2"]),
        ])
        #expect(clustered.map(\.cluster) == ["GHSA-g93w-mfhg-p222", "GHSA-g93w-mfhg-p222", nil, nil])
    }

    @Test func repeatsWithTheSameLinkOrTheSameContentAreOneCluster() {
        let clustered = Clustering.assign([
            // GitHub's container feed: one advisory per package, its id only in the link.
            candidate(1, feed: "containers", [], title: "Code Injection in CRI-O", link: "https://github.com/advisories/GHSA-6x2m-w449-qwx7"),
            candidate(2, feed: "containers", [], title: "Code Injection in CRI-O", link: "https://github.com/advisories/GHSA-6x2m-w449-qwx7"),
            candidate(3, feed: "blog", [], title: "Same post", summary: "Same words."),
            candidate(4, feed: "blog", [], title: "Same post", summary: "Same words."),
            candidate(5, feed: "blog", [], title: "Same post", summary: "Other words."),
            // The id in the link joins the advisory another feed names in its text.
            candidate(6, feed: "npm", ["GHSA-6x2m-w449-qwx7"], title: "[cri-o] Code Injection"),
        ])
        let keys = clustered.map(\.cluster)
        #expect(keys[0] == "GHSA-6x2m-w449-qwx7" && keys[1] == keys[0] && keys[5] == keys[0])
        #expect(keys[2] != nil && keys[2] == keys[3])
        #expect(keys[4] == nil)
    }

    @Test func aRowNeverNamesItsOwnFeedUnderAlso() {
        let clustered = Clustering.assign([
            candidate(1, feed: "containers", [], title: "Runc escape", link: "https://github.com/advisories/GHSA-4vq8-7jfc-9cvp"),
            candidate(2, feed: "containers", [], title: "Runc escape", link: "https://github.com/advisories/GHSA-4vq8-7jfc-9cvp"),
            candidate(3, feed: "Ubuntu", ["USN-7000-1", "GHSA-4vq8-7jfc-9cvp"], title: "USN-7000-1: runc"),
        ])
        #expect(clustered.map(\.cluster) == ["GHSA-4vq8-7jfc-9cvp", "GHSA-4vq8-7jfc-9cvp", "GHSA-4vq8-7jfc-9cvp"])
        let digest = DigestBuilder(services: [Service(name: "nginx")]).build(candidates: clustered)
        #expect(digest.itemCount == 1)
        let row = digest.sections[0].items[0]
        #expect(row.entryRowIDs.sorted() == [1, 2, 3])
        #expect(row.alsoReportedBy == ["Ubuntu USN-7000-1"])
    }

    @Test func anEntryWithoutAdvisoriesStandsAlone() {
        let clustered = Clustering.assign([candidate(1, feed: "a", []), candidate(2, feed: "b", [])])
        #expect(clustered.allSatisfy { $0.cluster == nil })
    }
}
