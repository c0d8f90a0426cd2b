import Foundation
import Models
import SQLite
import Storage
import TestSupport
import Testing

/// What storing a feed again does (nothing, a revision, never a deletion), clusters of
/// entries that share an advisory id, retention, and run summaries.
@Suite struct StoreChangesTests {
    let directory: TemporaryDirectory
    let store: Store
    let feed = FeedSource(title: "Advisories", url: "https://example.com/feed", category: .security)

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.path("bulletin.sqlite3"))
    }

    private func entry(_ id: String, title: String? = nil, summary: String? = "Summary", advisories: [String] = [],
                       published: String = "2024-01-01") -> FeedEntry {
        FeedEntry(id: id, title: title ?? "Title \(id)", link: "https://example.com/\(id)",
                  published: SampleBulletins.day(published), summary: summary, advisories: advisories)
    }

    /// A FetchedFeed makes its entries' columns when made (`StagedEntry`): entries changed
    /// afterwards are stored as they are then, ids and clusters included.
    @Test func aFetchedFeedWhoseEntriesChangeIsStoredAsChanged() throws {
        var fetch = FetchedFeed(source: feed, entries: [entry("1", title: "Old", advisories: ["CVE-2024-0001"])])
        fetch.entries = [entry("1", title: "New", advisories: ["cve-2024-0002"]), entry("2", advisories: ["CVE-2024-0002"])]
        let changes = try store.storeFetches([fetch])
        #expect(changes[0].new.map(\.entry.title) == ["New", "Title 2"])
        #expect(try store.entries(mentioning: "CVE-2024-0002").map(\.entry.id) == ["1", "2"])
        #expect(try store.entries(mentioning: "CVE-2024-0001").isEmpty)
        // Clusters are made from the advisory table: the changed entries' ids, upper-cased.
        #expect(try column("SELECT advisory_id FROM advisory ORDER BY entry_id") == [.text("CVE-2024-0002"),
                                                                                    .text("CVE-2024-0002")])
    }

    private func column(_ sql: String, _ values: [any SQLiteBindable] = []) throws -> [SQLiteValue] {
        try SQLiteConnection(path: directory.path("bulletin.sqlite3")).rows(sql, values).map { $0[0] }
    }

    @Test func storingTheSameEntriesAgainChangesNothing() throws {
        let entries = [entry("1", advisories: ["CVE-2024-1"]), entry("2")]
        let first = try store.storeFetchChanges(of: feed, entries: entries, status: 200, etag: nil, lastModified: nil)
        #expect(first.new.map(\.entry.id) == ["1", "2"])
        for _ in 0..<3 {
            let again = try store.storeFetchChanges(of: feed, entries: entries, status: 200, etag: nil, lastModified: nil)
            #expect(again.new.isEmpty)
            #expect(again.revised.isEmpty)
        }
        #expect(try store.entryCount() == 2)
        #expect(try column("SELECT count(*) FROM advisory") == [.integer(1)])
        #expect(try column("SELECT count(*) FROM entry_fts WHERE entry_fts MATCH 'title'") == [.integer(2)])
    }

    @Test func feedsStoredTogetherGiveWhatFeedsStoredOneByOneGive() throws {
        let other = FeedSource(title: "Other", url: "https://example.org/feed", category: .announcements)
        let fetches = [
            FetchedFeed(source: feed, entries: [entry("1", advisories: ["CVE-2024-1"]), entry("2")], etag: "\"a\""),
            FetchedFeed(source: other, entries: [entry("2", advisories: ["cve-2024-1"]), entry("3")]),
        ]
        let together = try store.storeFetches(fetches)
        #expect(together.map { $0.new.map(\.entry.id) } == [["1", "2"], ["2", "3"]])
        #expect(together[1].new.allSatisfy { $0.feedTitle == "Other" && $0.category == .announcements })
        let oneByOne = try Store(path: directory.path("one-by-one.sqlite3"))
        for fetch in fetches {
            try oneByOne.storeFetch(of: fetch.source, entries: fetch.entries, status: 200, etag: fetch.etag,
                                    lastModified: nil)
        }
        let search = try SearchQuery(parsing: "title")
        #expect(try store.search(search).map(\.rowID) == oneByOne.search(search).map(\.rowID))
        #expect(try store.alsoReported(for: [together[0].new[0].rowID]).mapValues { $0.map(\.rowID) }
            == [together[0].new[0].rowID: [together[1].new[0].rowID]])
        #expect(try store.validators(for: feed.url).etag == "\"a\"")
        // Stored again together, with one revised: nothing new, one revision, in its feed's slot.
        var again = fetches
        again[1].entries[1].title = "Revised"
        let changes = try store.storeFetches(again)
        #expect(changes.map(\.new.count) == [0, 0])
        #expect(changes.map { $0.revised.map(\.entry.id) } == [[], ["3"]])
        // The same feed twice in one store is an error, and stores nothing.
        #expect(throws: StoreError.self) {
            try store.storeFetches([FetchedFeed(source: feed, entries: [entry("4")]),
                                    FetchedFeed(source: feed, entries: [entry("5")])])
        }
        #expect(try store.entryCount() == 4)
    }

    @Test func aChangedTitleOrSummaryIsARevisionKeptInPlace() throws {
        let stored = try store.storeFetch(of: feed, entries: [entry("1"), entry("2"), entry("3")], status: 200,
                                          etag: nil, lastModified: nil)
        let oldHash = try column("SELECT content_hash FROM entry WHERE entry_id = '1'")[0]
        let changes = try store.storeFetchChanges(
            of: feed, entries: [entry("1", title: "Title 1 (updated)"), entry("2", summary: "New summary"),
                                entry("3", advisories: ["CVE-2024-9"])],
            status: 200, etag: nil, lastModified: nil, at: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(changes.new.isEmpty)
        #expect(changes.revised.map(\.entry.id) == ["1", "2"])
        #expect(changes.revised.map(\.rowID) == Array(stored.prefix(2).map(\.rowID)))
        #expect(try column("SELECT title FROM entry WHERE entry_id = '1'") == [.text("Title 1 (updated)")])
        #expect(try column("SELECT previous_hash FROM entry WHERE entry_id = '1'") == [oldHash])
        #expect(try column("SELECT content_hash != previous_hash FROM entry WHERE entry_id = '1'") == [.integer(1)])
        #expect(try column("SELECT revised_at FROM entry ORDER BY entry_id") == [.integer(1_800_000_000),
                                                                                 .integer(1_800_000_000), .null])
        #expect(try store.entryCount() == 3)
    }

    @Test func onlyAMaterialRevisionGoesOutAgain() throws {
        let stored = try store.storeFetch(of: feed, entries: [entry("1"), entry("2"), entry("3")], status: 200,
                                          etag: nil, lastModified: nil)
        try store.addTags(stored.map { EntryTag(entryRowID: $0.rowID, service: "nginx", alias: "nginx", field: "title") })
        try store.markDelivered(stored.map(\.rowID), on: "mail")
        let changes = try store.storeFetchChanges(
            of: feed, entries: [entry("1", title: "Title 1: now exploited"), entry("2", summary: "Reworded summary"),
                                entry("3", summary: "Now fixes CVE-2024-7", advisories: ["CVE-2024-7"])],
            status: 200, etag: nil, lastModified: nil)
        #expect(changes.revised.map(\.entry.id) == ["1", "2", "3"])
        // A new title or new advisory ids are news; a reworded summary is not.
        #expect(changes.materiallyRevised.map(\.entry.id) == ["1", "3"])
        #expect(try store.undelivered(on: "mail").map(\.entry.entry.id) .sorted() == ["1", "3"])
    }

    @Test func aRevisionReplacesTheEntrysAdvisoryIds() throws {
        try store.storeFetch(of: feed, entries: [entry("1", summary: "CVE-2024-1", advisories: ["CVE-2024-1"])],
                             status: 200, etag: nil, lastModified: nil)
        try store.storeFetch(of: feed, entries: [entry("1", summary: "CVE-2024-2", advisories: ["CVE-2024-2"])],
                             status: 200, etag: nil, lastModified: nil)
        #expect(try column("SELECT advisory_id FROM advisory") == [.text("CVE-2024-2")])
    }

    @Test func everyAdvisoryIdOfEveryStoredEntryIsKeptUpperCasedOnce() throws {
        // Several ids an entry, lower case, repeated ids, an unchanged entry and one revised,
        // an entry id twice in one fetch (its second version wins), and many entries at once.
        try store.storeFetch(of: feed, entries: [entry("kept", advisories: ["CVE-2024-5"]),
                                                 entry("revised", advisories: ["CVE-2024-6"])],
                             status: 200, etag: nil, lastModified: nil)
        let many = (0..<300).map { entry("bulk-\($0)", advisories: ["CVE-2023-\($0)", "usn-\($0)-1"]) }
        try store.storeFetch(of: feed, entries: [
            entry("kept", advisories: ["CVE-2024-5"]),
            entry("revised", summary: "Now GHSA-abcd-efgh-ijkl too",
                  advisories: ["CVE-2024-6", "ghsa-abcd-efgh-ijkl", "CVE-2024-6"]),
            entry("twice", advisories: ["CVE-2024-8"]),
            entry("twice", summary: "Second version", advisories: ["CVE-2024-9", "DSA-1-1"]),
        ] + many, status: 200, etag: nil, lastModified: nil)
        func ids(_ entryID: String) throws -> [SQLiteValue] {
            try column("""
                SELECT a.advisory_id FROM advisory a JOIN entry e ON e.id = a.entry_id WHERE e.entry_id = ?
                ORDER BY a.advisory_id
                """, [entryID])
        }
        #expect(try ids("kept") == [.text("CVE-2024-5")])
        #expect(try ids("revised") == [.text("CVE-2024-6"), .text("GHSA-ABCD-EFGH-IJKL")])
        #expect(try ids("twice") == [.text("CVE-2024-9"), .text("DSA-1-1")])
        #expect(try ids("bulk-299") == [.text("CVE-2023-299"), .text("USN-299-1")])
        #expect(try column("SELECT count(*) FROM advisory") == [.integer(1 + 2 + 2 + 600)])
    }

    @Test func advisoryIdsWithQuotesBackslashesControlCharactersAndSpacesAreKeptAsGiven() throws {
        let odd = ["cve-\"quoted\\", "tab\there", "line\nbreak", "nul\u{0}inside", "ünïcode-1", "has space", "",
                   "\u{1f}"]
        try store.storeFetch(of: feed, entries: [entry("odd", advisories: odd)], status: 200, etag: nil,
                             lastModified: nil)
        let stored = try column("SELECT advisory_id FROM advisory ORDER BY advisory_id")
        #expect(stored.count == odd.count)
        #expect(Set(stored) == Set(odd.map { SQLiteValue.text($0.uppercased()) }))
    }

    @Test func entriesThatVanishFromTheFeedAreKept() throws {
        try store.storeFetch(of: feed, entries: [entry("1"), entry("2")], status: 200, etag: nil, lastModified: nil)
        let changes = try store.storeFetchChanges(of: feed, entries: [entry("3")], status: 200, etag: nil,
                                                  lastModified: nil)
        #expect(changes.new.map(\.entry.id) == ["3"])
        #expect(try store.entryCount() == 3)
    }

    @Test func entriesOfOtherFeedsSharingAnAdvisoryIdAreLinked() throws {
        let sample = try SampleBulletins(store: store)
        let aws = sample.rowIDs["aws-2024-002"]!, usn = sample.rowIDs["USN-6719-1"]!, dsa = sample.rowIDs["DSA-5649-1"]!
        let related = try store.alsoReported(for: [aws, usn, sample.rowIDs["DSA-5500-1"]!])
        #expect(related[aws]?.map(\.rowID) == [dsa, usn])
        #expect(related[aws]?.map(\.feedTitle) == ["Debian DSA", "Ubuntu security notices"])
        #expect(related[usn]?.map(\.rowID) == [aws, dsa])
        #expect(related[usn]?.first?.sharedAdvisories == ["CVE-2024-3094"])
        #expect(related[sample.rowIDs["DSA-5500-1"]!] == nil)
        #expect(try store.alsoReported(for: []).isEmpty)
    }

    @Test func entriesOfTheSameFeedSharingAnIdAreNotAlsoReported() throws {
        let stored = try store.storeFetch(of: feed, entries: [entry("1", advisories: ["CVE-2024-1"]),
                                                             entry("2", advisories: ["cve-2024-1"])],
                                          status: 200, etag: nil, lastModified: nil)
        #expect(try store.alsoReported(for: stored.map(\.rowID)).isEmpty)
    }

    @Test func pruneDeletesOldUntaggedEntriesAndKeepsTaggedOnesUnlessAll() throws {
        let stored = try store.storeFetch(of: feed, entries: [
            entry("old", advisories: ["CVE-2020-1"], published: "2020-01-01"),
            entry("old-tagged", published: "2020-06-01"), entry("new", published: "2024-06-01"),
        ], status: 200, etag: nil, lastModified: nil)
        try store.addTags([EntryTag(entryRowID: stored[1].rowID, service: "nginx", alias: "nginx", field: "title")])
        try store.markDelivered([stored[1].rowID], on: "mail")
        let cutoff = SampleBulletins.day("2023-01-01")
        let dry = try store.prune(before: cutoff, dryRun: true)
        #expect(dry == PruneReport(removed: 1, keptTagged: 1))
        #expect(try store.entryCount() == 3)
        #expect(try store.prune(before: cutoff) == PruneReport(removed: 1, keptTagged: 1))
        #expect(try column("SELECT entry_id FROM entry ORDER BY entry_id") == [.text("new"), .text("old-tagged")])
        #expect(try column("SELECT count(*) FROM advisory") == [.integer(0)])
        #expect(try store.prune(before: cutoff, includingTagged: true) == PruneReport(removed: 1, keptTagged: 0))
        #expect(try column("SELECT count(*) FROM tag") == [.integer(0)])
        #expect(try column("SELECT count(*) FROM delivery") == [.integer(0)])
        #expect(try column("SELECT count(*) FROM entry_fts WHERE entry_fts MATCH 'title'") == [.integer(1)])
        try store.vacuum()
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test func aRunIsRecordedWhenItStartsAndWhenItFinishes() throws {
        let id = try store.beginRun("run", at: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(try store.recentRuns().first?.finishedAt == nil)
        var summary = RunSummary()
        (summary.feeds, summary.changed, summary.failed, summary.newEntries) = (3, 2, 1, 7)
        summary.failures = ["Gone: fetch: HTTP 404"]
        summary.exitCode = 3
        try store.finishRun(id, summary, at: Date(timeIntervalSince1970: 1_700_000_009))
        let run = try #require(try store.recentRuns().first)
        #expect(run.command == "run")
        #expect(run.pid == Int(ProcessInfo.processInfo.processIdentifier))
        #expect(run.finishedAt == Date(timeIntervalSince1970: 1_700_000_009))
        #expect(run.summary == summary)
    }
}
