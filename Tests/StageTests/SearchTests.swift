import Foundation
import Models
import SQLite
@testable import Storage
import TestSupport
import Testing

/// Full-text search over a real SQLite file: each construct of the language, ranking,
/// highlighting, the index kept in step with the entries, and hostile queries.
@Suite struct SearchTests {
    let directory: TemporaryDirectory
    let sample: SampleBulletins

    init() throws {
        directory = try TemporaryDirectory()
        sample = try SampleBulletins(store: Store(path: directory.path("bulletin.sqlite3")))
    }

    @Test(arguments: [
        ("openssl", ["USN-6543-1", "aws-2022-001"]),
        (#""denial of service""#, ["USN-6543-1", "DSA-5500-1"]),
        ("nginx OR graviton4", ["DSA-5500-1", "ec2-graviton4"]),
        ("openssl -windows", ["USN-6543-1"]),
        ("openssl NOT windows", ["USN-6543-1"]),
        ("-xz -openssl -nginx", ["ec2-graviton4"]),
        ("gravit*", ["ec2-graviton4"]),
        ("CVE-2024-3094", ["aws-2024-002", "USN-6719-1", "DSA-5649-1"]),
        ("cve-2023-44487", ["DSA-5500-1"]),
        ("cve:CVE-2024-*", ["USN-6719-1", "aws-2024-002", "DSA-5649-1"]),
        ("cve:cve-2023-44487", ["DSA-5500-1"]),
        ("cve:USN-*", ["USN-6719-1", "USN-6543-1"]),
        ("advisory:CVE-2023-5678,CVE-2022-0778", ["USN-6543-1", "aws-2022-001"]),
        ("service:nginx", ["DSA-5500-1"]),
        ("service:NGINX,openssl", ["USN-6543-1", "DSA-5500-1"]),
        ("tagged:yes -service:nginx", ["USN-6543-1"]),
        ("tagged:no openssl", ["aws-2022-001"]),
        ("feed:ubuntu", ["USN-6719-1", "USN-6543-1"]),
        ("feed:debian.example", ["DSA-5649-1", "DSA-5500-1"]),
        ("feed:%", []),
        ("-feed:aws xz", ["USN-6719-1", "DSA-5649-1"]),
        ("since:2024-03-30", ["ec2-graviton4", "USN-6719-1"]),
        ("until:2023-10-10", ["DSA-5500-1", "aws-2022-001"]),
        ("since:2023-01-01 until:2023-12-31", ["USN-6543-1", "DSA-5500-1"]),
        ("since:2024-01-01 xz", ["USN-6719-1", "aws-2024-002", "DSA-5649-1"]),
        ("category:announcements", ["ec2-graviton4"]),
        ("category:security update", ["DSA-5649-1", "DSA-5500-1"]),
        ("café", []),
        ("tarballs xz", ["aws-2024-002", "DSA-5649-1"]),
    ])
    func eachConstructFindsWhatItShould(text: String, expected: [String]) throws {
        let found = try sample.search(text)
        #expect(Set(found) == Set(expected), "\(text): \(found)")
        #expect(found.count == expected.count)
    }

    @Test func withoutWordsResultsComeNewestFirst() throws {
        #expect(try sample.search("since:2024-03-29") == ["ec2-graviton4", "USN-6719-1", "DSA-5649-1", "aws-2024-002"])
        #expect(try sample.search("tagged:yes") == ["USN-6543-1", "DSA-5500-1"])
    }

    @Test func aTitleMatchRanksAboveASummaryMatch() throws {
        // "backdoor" is in the AWS title and in the Ubuntu summary.
        #expect(try sample.search("backdoor") == ["aws-2024-002", "USN-6719-1"])
    }

    @Test func aWordSearchReadsTheIndexOnceAndLooksUpEachHitByRowID() throws {
        // The highlights and fields are read for the page of hits alone: the outer lookup
        // into entry_fts uses the hit's rowid (FTS5's plan "=M…"), never a second full MATCH.
        let plan = try sample.store.searchPlan(SearchQuery(parsing: "xz feed:ubuntu"))
        let fullScans = plan.filter { $0.contains("SCAN entry_fts") && !$0.contains(":=") }
        #expect(fullScans.count == 1, "\(plan)")
        #expect(plan.contains { $0.contains("SCAN entry_fts") && $0.contains(":=") }, "\(plan)")
        #expect(!plan.contains { $0.contains("AUTOMATIC") }, "\(plan)")
    }

    @Test func aSearchWithoutWordsFindsTheNewestWhetherOrNotTheyAreAmongTheNewestEntries() throws {
        // Searches without words look among the newest 2000 entries first: entry 2199 is the
        // newest; every 100th names a CVE-2020 id, the first five a CVE-2019 one.
        let store = try Store(path: directory.path("many.sqlite3"))
        let entries = (0..<2200).map { (index: Int) -> FeedEntry in
            var advisories: [String] = []
            if index % 100 == 0 { advisories.append("CVE-2020-\(index)") }
            if index < 50 && index % 10 == 0 { advisories.append("CVE-2019-\(index)") }
            return FeedEntry(id: "e\(index)", title: "Entry \(index)",
                             published: Date(timeIntervalSince1970: Double(index) * 3600), advisories: advisories)
        }
        try store.storeFetches([FetchedFeed(source: SampleBulletins.debian, entries: entries)])
        func search(_ text: String, limit: Int) throws -> [String] {
            try store.search(SearchQuery(parsing: text), limit: limit).map(\.entryID)
        }
        #expect(try search("cve:CVE-2020-*", limit: 3) == ["e2100", "e2000", "e1900"])
        #expect(try search("cve:CVE-2020-*", limit: 30) == stride(from: 2100, through: 0, by: -100).map { "e\($0)" })
        #expect(try search("cve:CVE-2019-*", limit: 3) == ["e40", "e30", "e20"])
        #expect(try search("-cve:CVE-2020-*", limit: 2) == ["e2199", "e2198"])
        #expect(try search("until:1970-01-02", limit: 100).count == 48)
    }

    /// GitHub's container feed lists one advisory once per affected package: the same link,
    /// title and ids under `id`, `id#2`, `id#3`. The digest shows one row; so does search.
    @Test func aFeedsRepeatsOfOneBulletinShowOnce() throws {
        let store = try Store(path: directory.path("repeats.sqlite3"))
        func entry(_ id: String, _ title: String, link: String?, advisories: [String], hour: Double) -> FeedEntry {
            FeedEntry(id: id, title: title, link: link, published: Date(timeIntervalSince1970: hour * 3600),
                      summary: "runc escape", advisories: advisories)
        }
        let ids = ["GHSA-qw9x-cqr3-wc7r", "CVE-2025-31133"]
        let link = "https://github.com/advisories/GHSA-qw9x-cqr3-wc7r"
        try store.storeFetches([
            FetchedFeed(source: SampleBulletins.debian, entries: [
                entry("a", "runc container escape", link: link, advisories: ids, hour: 10),
                entry("a#2", "runc container escape", link: link, advisories: ids.reversed(), hour: 10),
                entry("a#3", "runc container escape", link: link, advisories: ids, hour: 10),
                // Not repeats: another title, other ids, no link.
                entry("b", "runc container escape, part 2", link: link, advisories: ids, hour: 9),
                entry("c", "runc container escape", link: link, advisories: ["CVE-2025-31133"], hour: 8),
                entry("d", "runc container escape", link: nil, advisories: ids, hour: 7),
                entry("d#2", "runc container escape", link: nil, advisories: ids, hour: 7),
                // A repeat of a, though not next to it.
                entry("e", "runc container escape", link: link, advisories: ids, hour: 6),
            ]),
            // Another feed's report of the same advisory is its own row (and an "also").
            FetchedFeed(source: SampleBulletins.ubuntu, entries: [
                entry("u", "runc container escape", link: link, advisories: ids, hour: 5),
            ]),
        ])
        func search(_ text: String, limit: Int = 20) throws -> [String] {
            try store.search(SearchQuery(parsing: text), limit: limit).map(\.entryID)
        }
        let words = try search("runc"), byID = try search("cve:CVE-2025-31133")
        // Of a, a#2 and a#3 (one date), the one found first: the last stored, as equal dates sort.
        #expect(words.sorted() == ["a#3", "b", "c", "d", "d#2", "u"])
        #expect(byID == ["a#3", "b", "c", "d#2", "d", "u"])
        // The limit counts rows shown: repeats dropped are made up for by the next ones.
        let two = try search("cve:CVE-2025-31133", limit: 2), three = try search("since:1970-01-01", limit: 3)
        #expect(two == ["a#3", "b"])
        #expect(three == ["a#3", "b", "c"])
        #expect(try search("runc", limit: 6).count == 6)
        let shown = try #require(try store.search(SearchQuery(parsing: "cve:CVE-2025-31133"), limit: 1).first)
        #expect(shown.alsoReportedBy.map(\.feedTitle) == [SampleBulletins.ubuntu.title])
    }

    @Test func theLimitCutsTheList() throws {
        #expect(try sample.search("xz", limit: 2).count == 2)
        #expect(try sample.search("-nothingatall", limit: 3).count == 3)
    }

    @Test func matchedWordsAreMarkedInTheTitle() throws {
        let result = try #require(try sample.store.search(SearchQuery(parsing: "xz utils")).first { $0.entryID == "USN-6719-1" })
        #expect(result.titleParts == [.init(text: "USN-6719-1: ", matched: false), .init(text: "XZ", matched: true),
                                      .init(text: " ", matched: false), .init(text: "Utils", matched: true),
                                      .init(text: " vulnerability", matched: false)])
        #expect(result.title == "USN-6719-1: XZ Utils vulnerability")
    }

    @Test func aResultCarriesItsFeedServicesAdvisoriesAndOtherReports() throws {
        let results = try sample.store.search(SearchQuery(parsing: "cve:CVE-2023-5678 OR openssl"))
        let usn = try #require(results.first { $0.entryID == "USN-6543-1" })
        #expect(usn.feedTitle == "Ubuntu security notices")
        #expect(usn.category == .security)
        #expect(usn.services == ["openssl"])
        #expect(usn.advisories == ["USN-6543-1", "CVE-2023-5678"])
        #expect(usn.link == "https://ubuntu.example/USN-6543-1")
        #expect(usn.date == SampleBulletins.day("2023-12-05"))
        #expect(!usn.revised)
        let aws = try #require(try sample.store.search(SearchQuery(parsing: "liblzma")).first)
        #expect(aws.alsoReportedBy.map(\.feedTitle) == ["Debian DSA", "Ubuntu security notices"])
        #expect(aws.alsoReportedBy.allSatisfy { $0.sharedAdvisories == ["CVE-2024-3094"] })
    }

    @Test func theIndexFollowsRevisionsAndDeletions() throws {
        var entry = SampleBulletins.entries.first { $0.1.id == "ec2-graviton4" }!.1
        entry.title = "Amazon EC2 now supports Graviton5"
        try sample.store.storeFetch(of: SampleBulletins.whatsNew, entries: [entry], status: 200, etag: nil,
                                    lastModified: nil)
        #expect(try sample.search("graviton4").isEmpty)
        let revised = try sample.store.search(SearchQuery(parsing: "graviton5"))
        #expect(revised.map(\.entryID) == ["ec2-graviton4"])
        #expect(revised.first?.revised == true)
        try sample.store.prune(before: SampleBulletins.day("2023-01-01"))
        #expect(try sample.search("windows").isEmpty)
        #expect(try sample.search("openssl") == ["USN-6543-1"])
    }

    @Test(arguments: SearchQueryTests.hostile)
    func aHostileQueryGivesResultsOrAQueryErrorNeverAnSQLError(text: String) throws {
        do {
            let query = try SearchQuery(parsing: text)
            _ = try sample.store.search(query, limit: 5)
        } catch let error as SearchQueryError {
            #expect(!error.description.isEmpty)
        } catch {
            Issue.record("\(text.prefix(40)): \(error)")
        }
    }

    @Test func sqlInAQueryIsSearchedForNotRun() throws {
        #expect(try sample.search("'; DROP TABLE entry; --").isEmpty)
        #expect(try sample.search("feed:'%20OR%201=1").isEmpty)
        #expect(try sample.store.entryCount() == SampleBulletins.entries.count)
    }
}
