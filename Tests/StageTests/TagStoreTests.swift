import Foundation
import Models
import SQLite
@testable import Storage
import TestSupport
import Testing

/// Tags with provenance, re-tagging, assessments, the KEV catalog and acks, in a real SQLite file.
@Suite struct TagStoreTests {
    let directory: TemporaryDirectory
    let store: Store
    let feed = FeedSource(title: "Advisories", url: "https://example.com/feed", category: .security)
    let stored: [StoredEntry]

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.path("bulletin.sqlite3"))
        stored = try store.storeFetch(of: feed, entries: [
            FeedEntry(id: "1", title: "nginx flaw", advisories: ["CVE-2024-0001"]),
            FeedEntry(id: "2", title: "curl flaw", advisories: ["CVE-2023-44487", "GHSA-aaaa-bbbb-cccc"]),
        ], status: 200, etag: nil, lastModified: nil)
    }

    @Test func tagsKeepTheirPositionAndAReTagReplacesThem() throws {
        let first = EntryTag(entryRowID: stored[0].rowID, service: "nginx", alias: "nginx", field: "title", position: 0, length: 5)
        try store.saveTags([first], assessments: [Assessment(entryRowID: stored[0].rowID, severity: .high, cvss: 7.5)])
        #expect(try store.tags(of: stored[0].rowID) == [first])
        #expect(try store.assessment(of: stored[0].rowID) == Assessment(entryRowID: stored[0].rowID, severity: .high, cvss: 7.5))

        let moved = EntryTag(entryRowID: stored[0].rowID, service: "nginx", alias: "NGINX", field: "summary", position: 3, length: 5)
        let curl = EntryTag(entryRowID: stored[1].rowID, service: "curl", alias: "curl", field: "title", position: 0, length: 4)
        try store.applyRetag(added: [moved, curl], removed: [], assessments: [])
        #expect(try store.allTags() == [moved, curl])
        try store.applyRetag(added: [], removed: [moved], assessments: [])
        #expect(try store.allTags() == [curl])
    }

    /// A refresh stores entries and saves their tags in two transactions: entries stored
    /// are listed as untagged until their tags are saved, so a run killed in between (or a
    /// disk full at the second) leaves them for the next refresh to tag, not untagged for good.
    @Test func storedEntriesAreUntaggedUntilTheirTagsAreSavedEvenWithNoTag() throws {
        #expect(try store.untaggedEntries().map(\.rowID) == stored.map(\.rowID))
        #expect(try store.untaggedEntries(from: stored[1].rowID, limit: 10).map(\.entry.title) == ["curl flaw"])
        #expect(try store.untaggedEntries(limit: 1).count == 1)
        // The same feed again stores nothing new, and lists nothing again.
        let again = try store.storeFetch(of: feed, entries: [FeedEntry(id: "1", title: "nginx flaw", advisories: ["CVE-2024-0001"]),
                                                             FeedEntry(id: "3", title: "third")],
                                         status: 200, etag: nil, lastModified: nil)
        #expect(try store.untaggedEntries().map(\.rowID) == stored.map(\.rowID) + again.map(\.rowID))
        // Tagged: an entry tagging found nothing about leaves too (its assessment says it was looked at).
        let tag = EntryTag(entryRowID: stored[0].rowID, service: "nginx", alias: "nginx", field: "title")
        try store.saveTags([tag], assessments: stored.map { Assessment(entryRowID: $0.rowID) })
        #expect(try store.untaggedEntries().map(\.rowID) == again.map(\.rowID))
        try store.applyRetag(added: [], removed: [], assessments: again.map { Assessment(entryRowID: $0.rowID) })
        #expect(try store.untaggedEntries().isEmpty)
    }

    @Test func entriesAreFoundByNumberAndByAdvisoryInAnyCase() throws {
        #expect(try store.entry(rowID: stored[1].rowID)?.entry.title == "curl flaw")
        #expect(try store.entry(rowID: 999) == nil)
        #expect(try store.entries(mentioning: "ghsa-AAAA-bbbb-cccc").map(\.rowID) == [stored[1].rowID])
        #expect(try store.entries(mentioning: "CVE-2024-000").isEmpty)
        #expect(try store.allEntries().map(\.rowID) == stored.map(\.rowID))
    }

    @Test func loadingTheKEVCatalogFlagsTheEntriesThatNameItsCVEs() throws {
        try store.saveTags([], assessments: stored.map { Assessment(entryRowID: $0.rowID) })
        let record = KnownExploited(cveID: "CVE-2023-44487", vendor: "IETF", product: "HTTP/2", name: "Rapid Reset",
                               dateAdded: "2023-10-10", dueDate: "2023-10-31", ransomware: "Unknown")
        let flagged = try store.replaceKEV([record], location: "kev.json", version: "2025.01.01", released: nil)
        #expect(flagged == 1)
        #expect(try store.assessment(of: stored[1].rowID)?.exploited == ["CVE-2023-44487"])
        #expect(try store.assessment(of: stored[0].rowID)?.kev == false)
        #expect(try store.kevRecord("cve-2023-44487") == record)
        #expect(try store.kevStatus()?.count == 1)
        // A newer catalog without it clears the flag.
        #expect(try store.replaceKEV([], location: "kev.json", version: "2025.01.02", released: nil) == 0)
        #expect(try store.assessment(of: stored[1].rowID)?.kev == false)
    }

    @Test func acksHideTagsUntilTheirDateAndCanBeRemoved() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let items: [(entry: StoredEntry, tags: [EntryTag])] = [
            (stored[0], [EntryTag(entryRowID: stored[0].rowID, service: "nginx", alias: "nginx", field: "title")]),
            (stored[1], [EntryTag(entryRowID: stored[1].rowID, service: "curl", alias: "curl", field: "title"),
                         EntryTag(entryRowID: stored[1].rowID, service: "HTTP", alias: "HTTP/2", field: "title")]),
        ]
        let forNginx = try store.addAck(.entry(stored[0].rowID), service: nil, until: now.addingTimeInterval(86_400),
                                        reason: "patched", at: now)
        _ = try store.addAck(.advisory("cve-2023-44487"), service: "CURL", until: nil, reason: nil, at: now)
        let shown = try store.withoutAcknowledged(items, at: now)
        #expect(shown.map(\.entry.rowID) == [stored[1].rowID])
        #expect(shown.first?.tags.map(\.service) == ["HTTP"])
        // After the date the nginx entry is back; after unack, curl's tag too.
        #expect(try store.withoutAcknowledged(items, at: now.addingTimeInterval(86_401)).count == 2)
        #expect(try store.acks(at: now).count == 2)
        #expect(try store.acks(at: now.addingTimeInterval(86_401)).count == 1)
        #expect(try store.acks(includeExpired: true, at: now.addingTimeInterval(86_401)).count == 2)
        #expect(try store.removeAck(id: forNginx))
        #expect(try !store.removeAck(id: forNginx))
    }

    @Test func aVersionOneDatabaseIsMigratedWithItsTagsKept() throws {
        let path = directory.path("old.sqlite3")
        do {
            let db = try SQLiteConnection(path: path)
            try db.executeScript("""
                CREATE TABLE feed (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
                    category TEXT NOT NULL, etag TEXT, last_modified TEXT, last_attempt INTEGER, last_success INTEGER,
                    last_status INTEGER, last_error TEXT, consecutive_failures INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE entry (id INTEGER PRIMARY KEY, feed_id INTEGER NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
                    entry_id TEXT NOT NULL, title TEXT, link TEXT, published INTEGER, updated INTEGER, summary TEXT,
                    authors TEXT NOT NULL DEFAULT '', categories TEXT NOT NULL DEFAULT '', advisories TEXT NOT NULL DEFAULT '',
                    first_seen INTEGER NOT NULL, UNIQUE (feed_id, entry_id));
                CREATE INDEX entry_published ON entry(published);
                CREATE TABLE tag (entry_id INTEGER NOT NULL REFERENCES entry(id) ON DELETE CASCADE, service TEXT NOT NULL,
                    alias TEXT NOT NULL, field TEXT NOT NULL, PRIMARY KEY (entry_id, service));
                CREATE TABLE delivery (entry_id INTEGER NOT NULL REFERENCES entry(id) ON DELETE CASCADE,
                    channel TEXT NOT NULL, delivered_at INTEGER NOT NULL, PRIMARY KEY (entry_id, channel));
                INSERT INTO feed (id, url, title, category) VALUES (1, 'https://e/f', 'F', 'security');
                INSERT INTO entry (id, feed_id, entry_id, title, first_seen) VALUES (1, 1, 'a', 'nginx', 0);
                INSERT INTO tag VALUES (1, 'nginx', 'nginx', 'title');
                PRAGMA user_version = 1;
                """)
        }
        let migrated = try Store(path: path)
        #expect(try migrated.allTags() == [EntryTag(entryRowID: 1, service: "nginx", alias: "nginx", field: "title")])
        #expect(try migrated.acks().isEmpty)
    }
}
