import Digest
import Foundation
import Models
import Testing

/// The rules between the store's selection and the digest: subjects and mentions, acks,
/// the window.
@Suite struct DigestSelectionTests {
    private func tagged(_ rowID: Int64, _ advisories: [String], services: [String: TagStrength],
                        date: Date? = nil) -> DigestSelection.Tagged {
        (StoredEntry(rowID: rowID, feedTitle: "feed \(rowID)", category: .security,
                     entry: FeedEntry(id: "\(rowID)", title: "t\(rowID)", published: date, advisories: advisories)),
         services.sorted { $0.key < $1.key }.map {
             EntryTag(entryRowID: rowID, service: $0.key, strength: $0.value, alias: $0.key, field: "title")
         })
    }

    @Test func aBulletinThatOnlyMentionsAServiceIsAMentionOrNothing() {
        let all = [tagged(1, [], services: ["nginx": .subject, "curl": .mention]), tagged(2, [], services: ["curl": .mention])]
        let split = DigestSelection.split(all, keepMentions: true)
        #expect(split.subjects.map { $0.tags.map(\.service) } == [["nginx"]])
        #expect(split.mentions.map(\.entry.rowID) == [2])
        #expect(DigestSelection.split(all, keepMentions: false).mentions.isEmpty)
    }

    @Test func anEntryAckedForAllItsServicesHidesItsWholeCluster() {
        let entries = [tagged(1, ["AWS-2024-001", "CVE-2024-3094"], services: ["xz": .subject]),
                       tagged(2, ["USN-6701-1", "CVE-2024-3094"], services: ["xz": .subject]),
                       tagged(3, ["DSA-1-1"], services: ["nginx": .subject, "openssl": .subject])]
        let candidates = DigestSelection.candidates(entries, assessments: [:])
        // The store's acks left entry 2 whole, and entry 3 without its openssl tag.
        let kept = [entries[1], (entries[2].entry, entries[2].tags.filter { $0.service == "nginx" })]
        let visible = DigestSelection.visible(candidates, kept: kept)
        #expect(visible.map(\.entry.rowID) == [3], "entry 1's ack hides entry 2, which reports the same CVE")
        #expect(visible.first?.services == ["nginx"])
    }

    @Test func theWindowIsHalfOpenAndLeavesUndatedEntriesToNoWindowAtAll() {
        let since = Date(timeIntervalSince1970: 1_000), until = Date(timeIntervalSince1970: 2_000)
        #expect(DigestSelection.isInWindow(since, since: since, until: until))
        #expect(!DigestSelection.isInWindow(until, since: since, until: until))
        #expect(!DigestSelection.isInWindow(nil, since: since, until: nil))
        #expect(DigestSelection.isInWindow(nil, since: nil, until: nil))
    }
}
