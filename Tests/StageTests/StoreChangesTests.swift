import Foundation
import Models
import SQLite
@testable import Storage
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
        // `cve:` finds the changed entries' ids, in any case.
        #expect(try withAdvisory("CVE-2024-0002") == ["2", "1"])
        #expect(try withAdvisory("CVE-2024-0001").isEmpty)
    }

    /// The entry ids `cve:PATTERN` finds, newest first.
    private func withAdvisory(_ patterns: String...) throws -> [String] {
        var query = SearchQuery()
        query.filters = [(.advisory(patterns), false)]
        return try store.search(query, limit: 100).map(\.entryID)
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
        #expect(try withAdvisory("CVE-2024-1") == ["1"])
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
        // Every revised entry waits to be tagged again for what it now says, its old tags gone.
        #expect(try store.untaggedEntries().map(\.entry.id) == ["1", "2", "3"])
        #expect(try store.undelivered(on: "mail").isEmpty)
        try store.addTags(stored.map { EntryTag(entryRowID: $0.rowID, service: "nginx", alias: "nginx", field: "title") })
        #expect(try store.undelivered(on: "mail").map(\.entry.entry.id) .sorted() == ["1", "3"])
    }

    /// Stored with a feed seen for the first time, a known feed's material revisions still
    /// count (only known feeds' entries are compared with what was stored).
    @Test func aMaterialRevisionBesideANewFeedGoesOutAgain() throws {
        let other = FeedSource(title: "Other", url: "https://example.org/feed", category: .security)
        try store.storeFetch(of: feed, entries: [entry("1"), entry("2")], status: 200, etag: nil, lastModified: nil)
        let changes = try store.storeFetches([
            FetchedFeed(source: other, entries: [entry("1", title: "Title 1: now exploited")]),
            FetchedFeed(source: feed, entries: [entry("1", title: "Title 1: now exploited"),
                                                entry("2", summary: "Reworded")]),
        ])
        #expect(changes.map { $0.new.map(\.entry.id) } == [["1"], []])
        #expect(changes[1].revised.map(\.entry.id) == ["1", "2"])
        #expect(changes[1].materiallyRevised.map(\.entry.id) == ["1"])
        #expect(changes[0].materiallyRevised.isEmpty)
    }

    @Test func aRevisionReplacesTheEntrysAdvisoryIds() throws {
        try store.storeFetch(of: feed, entries: [entry("1", summary: "CVE-2024-1", advisories: ["CVE-2024-1"])],
                             status: 200, etag: nil, lastModified: nil)
        try store.storeFetch(of: feed, entries: [entry("1", summary: "CVE-2024-2", advisories: ["CVE-2024-2"])],
                             status: 200, etag: nil, lastModified: nil)
        #expect(try withAdvisory("CVE-2024-1").isEmpty)
        #expect(try withAdvisory("CVE-2024-2") == ["1"])
        #expect(try column("SELECT count(*) FROM entry_fts WHERE entry_fts MATCH '{advisory_terms} : CVE20241'")
            == [.integer(0)])
    }

    @Test func everyAdvisoryIdOfEveryStoredEntryIsFoundInAnyCase() throws {
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
        #expect(try withAdvisory("CVE-2024-5") == ["kept"])
        #expect(try withAdvisory("CVE-2024-6") == ["revised"])
        #expect(try withAdvisory("GHSA-ABCD-EFGH-IJKL") == ["revised"])
        #expect(try withAdvisory("CVE-2024-8").isEmpty)
        #expect(try withAdvisory("CVE-2024-9", "DSA-1-1") == ["twice"])
        #expect(try withAdvisory("USN-299-1") == ["bulk-299"])
        #expect(try withAdvisory("CVE-2023-2*").count == 100)  // limit 100 of 111: 2, 20–29, 200–299
        #expect(try withAdvisory("USN-2??-1").isEmpty)  // only `*` is a wildcard
    }

    /// Ids are found by their text, not their term in the index: `CVE-2024-30941` and
    /// `CVE-20243-0941` are one term there (hyphens removed), and a pattern's `*` stays
    /// within one id of an entry's list.
    @Test func idsThatShareATermOrAPrefixAreToldApart() throws {
        try store.storeFetch(of: feed, entries: [
            entry("a", advisories: ["CVE-2024-30941"]), entry("b", advisories: ["CVE-20243-0941"]),
            entry("c", advisories: ["CVE-2024-3094"]), entry("d", advisories: ["CVE-2024-1", "USN-5-3094"]),
        ], status: 200, etag: nil, lastModified: nil)
        #expect(try withAdvisory("CVE-2024-30941") == ["a"])
        #expect(try withAdvisory("CVE-20243-0941") == ["b"])
        #expect(try withAdvisory("CVE-2024-3094") == ["c"])
        #expect(try withAdvisory("CVE-2024-3094*").sorted() == ["a", "c"])
        #expect(try withAdvisory("CVE-2024-*").sorted() == ["a", "c", "d"])
        // Patterns with no text before their first `*` read every entry's ids.
        #expect(try withAdvisory("*-3094").sorted() == ["c", "d"])
        #expect(try withAdvisory("*0941").sorted() == ["a", "b"])
        #expect(try withAdvisory("CVE-*-3094") == ["c"])
        #expect(try withAdvisory("*").count == 4)
    }

    /// What the index holds of an entry's ids (migration 8's `advisory_terms`) is what
    /// `AdvisoryTerms.term` makes of them: lookups are made with the one, stored with the other.
    @Test func theIndexedTermsAreTheOnesLookupsAreMadeOf() throws {
        let ids = ["CVE-2024-3094", "RHSA-2024:1234", "ALAS2KERNEL-5.10-2024-045", "a_b/c.d-e:f", "üñï-cödé", "x\"y"]
        try store.storeFetch(of: feed, entries: [entry("1", advisories: ids)], status: 200, etag: nil,
                             lastModified: nil)
        #expect(try column("SELECT advisory_terms FROM entry")
            == [.text(ids.map(AdvisoryTerms.term).joined(separator: "\n"))])
        #expect(AdvisoryTerms.term("ALAS2KERNEL-5.10-2024-045") == "ALAS2KERNEL5.102024045")
        for id in ids { #expect(try withAdvisory(id.uppercased()) == ["1"], "\(id)") }
    }

    @Test func advisoryIdsWithQuotesBackslashesControlCharactersAndSpacesAreFound() throws {
        // An entry's ids are kept as a list, one a line: a line break splits an id, an empty one is none.
        let odd = ["cve-\"quoted\\", "tab\there", "nul\u{0}inside", "ünïcode-1", "has space", "\u{1f}", "(", "NEAR(x"]
        let other = FeedSource(title: "Other", url: "https://example.org/feed", category: .security)
        let stored = try store.storeFetch(of: feed, entries: [entry("odd", advisories: odd + ["line\nbreak", ""])],
                                          status: 200, etag: nil, lastModified: nil)
        let again = try store.storeFetch(of: other, entries: [entry("same", advisories: odd)], status: 200, etag: nil,
                                         lastModified: nil)
        for id in odd {
            #expect(try withAdvisory(id.uppercased()) == ["same", "odd"], "\(id)")
            #expect(try store.entries(mentioning: id).map(\.entry.id) == ["odd", "same"], "\(id)")
        }
        #expect(try withAdvisory("LINE") == ["odd"])
        #expect(try withAdvisory("LINE\nBREAK").isEmpty)
        let related = try store.alsoReported(for: [stored[0].rowID])[stored[0].rowID]
        #expect(related?.map(\.rowID) == [again[0].rowID])
        #expect(related?.first?.sharedAdvisories == odd.map { $0.uppercased() }.sorted())
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

    /// A digest asks for hundreds of entries at once, and their ids are looked up in one
    /// FTS5 expression.
    @Test func clustersOfManyEntriesAreAllFound() throws {
        let other = FeedSource(title: "Other", url: "https://example.org/feed", category: .security)
        let ids = (0..<500).map { "CVE-2023-\(1000 + $0)" }
        let mine = try store.storeFetch(of: feed, entries: ids.map { entry($0, advisories: [$0, "USN-1-1"]) },
                                        status: 200, etag: nil, lastModified: nil)
        let theirs = try store.storeFetch(of: other, entries: ids.map { entry($0, advisories: [$0.lowercased()]) },
                                          status: 200, etag: nil, lastModified: nil)
        let related = try store.alsoReported(for: mine.map(\.rowID))
        #expect(related.count == ids.count)
        for (index, stored) in mine.enumerated() {
            #expect(related[stored.rowID]?.map(\.rowID) == [theirs[index].rowID])
            #expect(related[stored.rowID]?.first?.sharedAdvisories == [ids[index]])
        }
    }

    /// The index merge after a prune writes the merged index before it frees the old one,
    /// so a nearly full disk refuses it: the deletion stands, and the report says why the
    /// merge failed. The file's page limit stands in for the disk here.
    @Test func aPruneWhoseIndexMergeTheDiskRefusesStillDeletes() throws {
        let summary = String(repeating: "a flaw in openssl lets a remote attacker read memory ", count: 20)
        for batch in 0..<10 {
            _ = try store.storeFetch(of: FeedSource(title: "f\(batch)", url: "https://example.com/\(batch)", category: .security),
                                     entries: (0..<100).map { entry("e\(batch)-\($0)", summary: summary + "\(batch) \($0)",
                                                                     published: batch == 0 ? "2020-01-01" : "2024-06-01") },
                                     status: 200, etag: nil, lastModified: nil)
        }
        let pages = try #require(try store.db.firstRow("PRAGMA page_count")?.int(0))
        try store.db.executeScript("PRAGMA max_page_count = \(pages + 8)")
        let report = try store.prune(before: SampleBulletins.day("2023-01-01"))
        #expect(report.removed == 100)
        #expect(report.mergeFailure?.contains("full") == true, "\(report)")
        let room = (2 * (try store.searchIndexBytes()) + 1_048_575) / 1_048_576
        #expect(report.mergeFailure?.contains("needs up to \(room) MiB (twice the search index's") == true, "\(report)")
        #expect(try store.entryCount() == 900)
        #expect(try column("SELECT count(*) FROM entry_fts WHERE entry_fts MATCH 'openssl'") == [.integer(900)])
        try store.db.executeScript("PRAGMA max_page_count = 1000000")
        #expect(try store.prune(before: SampleBulletins.day("2023-01-01")).removed == 0, "the deletion was kept")
    }

    /// A disk with no room at all refuses the deletion itself (what `pruned_entry` keeps of
    /// it, the delete markers): nothing is deleted, and the error says how much room a prune
    /// needs, not only that the disk is full.
    @Test func aPruneTheDiskRefusesDeletesNothingAndSaysWhatRoomItNeeds() throws {
        let longID = String(repeating: "advisory-", count: 40)
        _ = try store.storeFetch(of: feed, entries: (0..<200).map { entry("\(longID)\($0)", published: "2020-01-01") },
                                 status: 200, etag: nil, lastModified: nil)
        #expect(try store.db.firstRow("PRAGMA freelist_count")?.int(0) == 0)
        let pages = try #require(try store.db.firstRow("PRAGMA page_count")?.int(0))
        try store.db.executeScript("PRAGMA max_page_count = \(pages)")
        let error = #expect(throws: StoreError.self) { try store.prune(before: SampleBulletins.day("2023-01-01")) }
        let room = (2 * (try store.searchIndexBytes()) + 1_048_575) / 1_048_576
        #expect(error?.reason.hasPrefix("prune: the disk is full, nothing was deleted (database or disk is full)") == true,
                "\(String(describing: error))")
        #expect(error?.reason.contains("needs up to \(room) MiB (twice the search index's 0.") == true,
                "\(String(describing: error))")
        #expect(try store.entryCount() == 200)
        #expect(try store.db.firstRow("SELECT count(*) FROM pruned_entry")?.int(0) == 0)
        try store.db.executeScript("PRAGMA max_page_count = 1000000")
        #expect(try store.prune(before: SampleBulletins.day("2023-01-01")).removed == 200)
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
        #expect(try withAdvisory("CVE-2020-1").isEmpty)
        #expect(try store.prune(before: cutoff, includingTagged: true) == PruneReport(removed: 1, keptTagged: 0))
        #expect(try column("SELECT count(*) FROM tag") == [.integer(0)])
        #expect(try column("SELECT count(*) FROM delivery") == [.integer(0)])
        #expect(try column("SELECT count(*) FROM entry_fts WHERE entry_fts MATCH 'title'") == [.integer(1)])
        try store.vacuum()
        #expect(try store.integrityCheck() == ["ok"])
    }

    /// Found by `make soak`: a feed that lists its last twelve advisories whatever their age
    /// gave back the ones `prune` deleted, as new, at its next change, and every channel got
    /// them again, after every prune. They are not stored again while the feed lists them.
    @Test func anEntryPruneDeletedIsNotStoredAgainWhileItsFeedListsIt() throws {
        let old = entry("old", published: "2020-01-01"), kept = entry("kept", published: "2024-06-01")
        let first = try store.storeFetch(of: feed, entries: [old, kept], status: 200, etag: nil, lastModified: nil)
        try store.addTags([EntryTag(entryRowID: first[0].rowID, service: "nginx", alias: "nginx", field: "title")])
        try store.markDelivered(first.map(\.rowID), on: "mail")
        #expect(try store.prune(before: SampleBulletins.day("2023-01-01"), includingTagged: true).removed == 1)
        // The feed changes (one new entry) and still lists the old one: only the new one is new.
        let new = entry("new", published: "2024-07-01")
        let next = try store.storeFetch(of: feed, entries: [new, old, kept], status: 200, etag: nil, lastModified: nil)
        #expect(next.map(\.entry.id) == ["new"])
        #expect(try column("SELECT entry_id FROM entry ORDER BY entry_id") == [.text("kept"), .text("new")])
        #expect(try column("SELECT count(*) FROM pruned_entry") == [.integer(1)])
        // Once the feed's document no longer lists it, it is forgotten: a later return is new.
        _ = try store.storeFetch(of: feed, entries: [new, kept], status: 200, etag: nil, lastModified: nil)
        #expect(try column("SELECT count(*) FROM pruned_entry") == [.integer(0)])
        let back = try store.storeFetch(of: feed, entries: [old, new], status: 200, etag: nil, lastModified: nil)
        #expect(back.map(\.entry.id) == ["old"])
        // Another feed's entry of the same id was never pruned: stored as usual.
        let other = FeedSource(title: "Other", url: "https://example.com/other", category: .security)
        #expect(try store.storeFetch(of: other, entries: [old], status: 200, etag: nil, lastModified: nil).count == 1)
    }

    /// Found by `make soak`: weekly prunes kept the entry count flat, but the search index
    /// kept what they deleted (and their delete markers), and the file grew by half in 245
    /// days. A prune that deletes entries merges the index: its space goes to what is kept.
    @Test func pruneGivesTheSearchIndexSpaceOfWhatItDeletedBack() throws {
        func indexBytes() throws -> Int64 {
            try column("SELECT sum(length(block)) FROM entry_fts_data").first?.int64 ?? 0
        }
        // Ten fetches (ten index segments), each of 40 entries with words of their own.
        for day in 0..<10 {
            let entries = (0..<40).map { index in
                entry("\(day)-\(index)", title: "bulletin \(day) \(index) word\(day * 40 + index) alpha\(index)",
                      summary: "summary words kept apart: term\(day)x\(index) and more\(index) of them",
                      published: day < 8 ? "2020-01-0\(day + 1)" : "2024-06-0\(day - 7)")
            }
            try store.storeFetch(of: feed, entries: entries, status: 200, etag: nil, lastModified: nil)
        }
        let before = try indexBytes()
        #expect(try store.prune(before: SampleBulletins.day("2023-01-01")).removed == 320)
        let after = try indexBytes()
        #expect(after < before / 3, "index \(before) bytes before the prune, \(after) after")
        #expect(try column("SELECT count(*) FROM entry_fts WHERE entry_fts MATCH 'bulletin'") == [.integer(80)])
        #expect(try column("SELECT count(*) FROM entry_fts WHERE entry_fts MATCH 'word5'") == [.integer(0)])
        #expect(try store.integrityCheck() == ["ok"])
    }

    /// Found by `make soak`: the log of sends kept a row per run and channel for good (an
    /// hourly `run --alert` adds 8,760 a year), however often the store was pruned.
    @Test func pruneDeletesTheSendsStartedBeforeTheCutoffButNotOneStillSending() throws {
        let old = Date(timeIntervalSince1970: 1_600_000_000), recent = Date(timeIntervalSince1970: 1_750_000_000)
        let accepted = try store.beginDispatch(channel: "mail", messageID: "a", entries: 1, at: old)
        try store.confirmDispatch(accepted, channel: "mail", entryRowIDs: [], detail: "250", at: old)
        let failed = try store.beginDispatch(channel: "mail", messageID: "b", entries: 1, at: old)
        try store.failDispatch(failed, reason: "refused", at: old)
        _ = try store.beginDispatch(channel: "mail", messageID: "c", entries: 1, at: old)  // killed mid-send
        _ = try store.beginDispatch(channel: "mail", messageID: "d", entries: 1, at: recent)
        try store.prune(before: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(try column("SELECT message_id FROM dispatch ORDER BY id") == [.text("c"), .text("d")])
        #expect(try store.takeInterruptedDispatches(channel: "mail", at: recent).map(\.messageID) == ["c", "d"])
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
