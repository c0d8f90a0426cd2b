import Digest
import Foundation
import Models
import Testing

@Suite struct ClusteringTests {
    private func candidate(_ rowID: Int64, feed: String, _ advisories: [String]) -> DigestCandidate {
        DigestCandidate(entry: StoredEntry(rowID: rowID, feedTitle: feed, category: .security,
                                           entry: FeedEntry(id: "\(rowID)", title: "t\(rowID)", advisories: advisories)),
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

    @Test func anEntryWithoutAdvisoriesStandsAlone() {
        let clustered = Clustering.assign([candidate(1, feed: "a", []), candidate(2, feed: "b", [])])
        #expect(clustered.allSatisfy { $0.cluster == nil })
    }
}
