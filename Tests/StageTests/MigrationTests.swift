import Foundation
import Models
import SQLite
import Synchronization
@testable import Storage
import TestSupport
import Testing

/// The schema from an empty file and from every earlier version: each upgrade ends at the
/// same schema as a new database and keeps the data.
@Suite struct MigrationTests {
    let directory: TemporaryDirectory
    init() throws { directory = try TemporaryDirectory() }

    /// The schema as SQLite describes it, names and SQL, sorted.
    private func schema(_ path: String) throws -> [String] {
        try SQLiteConnection(path: path).rows("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master")
            .compactMap { $0.string(0) }.sorted()
    }

    /// A database at `version`, built with the migrations' own SQL.
    private func database(at version: Int, name: String) throws -> SQLiteConnection {
        let db = try SQLiteConnection(path: directory.path(name))
        try ContentHash.register(on: db)
        for migration in Schema.migrations.prefix(version) { try db.executeScript(migration) }
        try db.executeScript("PRAGMA user_version = \(version)")
        return db
    }

    @Test func anEmptyFileGetsTheNewestSchema() throws {
        let path = directory.path("new.sqlite3")
        _ = try Store(path: path)
        let db = try SQLiteConnection(path: path)
        #expect(try db.firstRow("PRAGMA user_version")?.int(0) == Schema.migrations.count)
        #expect(try db.firstRow("PRAGMA journal_mode")?.string(0) == "wal")
        #expect(try schema(path).contains { $0.hasPrefix("table entry_fts: CREATE VIRTUAL TABLE entry_fts USING fts5") })
        #expect(try db.firstRow("PRAGMA page_size")?.int(0) == 8192)
    }

    /// Page size is chosen when a file is made: an older store keeps its 4 KiB pages and works.
    @Test func anOlderStoreKeepsItsPageSize() throws {
        let old = try database(at: Schema.migrations.count, name: "old.sqlite3")
        #expect(try old.firstRow("PRAGMA page_size")?.int(0) == 4096)
        let store = try Store(path: directory.path("old.sqlite3"))
        let feed = FeedSource(title: "Feed", url: "https://example.com/feed", category: .security)
        try store.storeFetch(of: feed, entries: [FeedEntry(id: "1", title: "openssl flaw")], status: 200, etag: nil,
                             lastModified: nil)
        #expect(try old.firstRow("PRAGMA page_size")?.int(0) == 4096)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test(arguments: 0..<Schema.migrations.count)
    func everyEarlierVersionUpgradesToTheSameSchema(version: Int) throws {
        _ = try database(at: version, name: "v\(version).sqlite3")
        _ = try Store(path: directory.path("v\(version).sqlite3"))
        _ = try Store(path: directory.path("fresh.sqlite3"))
        #expect(try schema(directory.path("v\(version).sqlite3")) == schema(directory.path("fresh.sqlite3")))
    }

    /// The FTS5 settings kept in entry_fts's config table, which the schema comparison does not see.
    private func ftsConfig(_ path: String) throws -> [String] {
        try SQLiteConnection(path: path).rows("SELECT k || '=' || v FROM entry_fts_config ORDER BY k")
            .compactMap { $0.string(0) }
    }

    @Test(arguments: 0..<Schema.migrations.count)
    func everyEarlierVersionGetsTheFullTextIndexSettings(version: Int) throws {
        _ = try database(at: version, name: "v\(version).sqlite3")
        _ = try Store(path: directory.path("v\(version).sqlite3"))
        _ = try Store(path: directory.path("fresh.sqlite3"))
        let settings = try ftsConfig(directory.path("v\(version).sqlite3"))
        #expect(settings == (try ftsConfig(directory.path("fresh.sqlite3"))))
        #expect(settings.contains("hashsize=33554432") && settings.contains("automerge=16"))
        #expect(settings.contains("rank=bm25(10.0, 1.0, 5.0)"))
    }

    @Test func aVersion6DatabaseKeepsItsIndexAndSearchesAfterTheSettingsChange() throws {
        let db = try database(at: 6, name: "v6.sqlite3")
        try db.executeScript("""
            INSERT INTO feed (id, url, title, category) VALUES (1, 'https://u.example/usn', 'Ubuntu', 'security');
            INSERT INTO entry (id, feed_id, entry_id, title, summary, advisories, first_seen, published) VALUES
                (1, 1, 'USN-1', 'USN-1: xz vulnerability', 'backdoor in liblzma', 'USN-1', 5, 100);
            """)
        let store = try Store(path: directory.path("v6.sqlite3"))
        let later = FeedEntry(id: "USN-2", title: "USN-2: openssl vulnerability", summary: "a backdoor again",
                              advisories: ["USN-2", "CVE-2024-0001"])
        try store.storeFetch(of: FeedSource(title: "Ubuntu", url: "https://u.example/usn", category: .security),
                             entries: [later], status: 200, etag: nil, lastModified: nil)
        #expect(try store.search(SearchQuery(parsing: "backdoor")).map(\.entryID).sorted() == ["USN-1", "USN-2"])
        #expect(try store.search(SearchQuery(parsing: "cve:CVE-2024-0001")).map(\.entryID) == ["USN-2"])
        #expect(try store.integrityCheck() == ["ok"])
    }

    /// An Ubuntu notice and a Debian advisory naming CVE-2024-3094 (the Debian one only among its
    /// ids, in lower case), as every schema version stores them.
    private static let twoFeedsNamingOneCVE = """
        INSERT INTO feed (id, url, title, category) VALUES (1, 'https://u.example/usn', 'Ubuntu', 'security'),
            (2, 'https://d.example/dsa', 'Debian', 'security');
        INSERT INTO entry (id, feed_id, entry_id, title, summary, advisories, first_seen, published) VALUES
            (1, 1, 'USN-1', 'USN-1: xz vulnerability', 'backdoor', 'USN-1' || char(10) || 'CVE-2024-3094', 5, 100),
            (2, 2, 'DSA-1', 'DSA-1 xz-utils', NULL, 'cve-2024-3094', 6, 200);
        """

    /// Version 8 drops the advisory table and indexes each id as one term: clusters, `cve:`
    /// and words still find the entries stored before.
    @Test func aVersion7DatabaseFindsItsAdvisoryIdsWithoutTheAdvisoryTable() throws {
        let db = try database(at: 7, name: "v7.sqlite3")
        try db.executeScript(Self.twoFeedsNamingOneCVE + """
            INSERT INTO advisory VALUES ('USN-1', 1), ('CVE-2024-3094', 1), ('CVE-2024-3094', 2);
            """)
        let store = try Store(path: directory.path("v7.sqlite3"))
        #expect(try db.firstRow("SELECT count(*) FROM sqlite_master WHERE name = 'advisory'")?.int(0) == 0)
        #expect(try store.search(SearchQuery(parsing: "cve:CVE-2024-3094")).map(\.entryID) == ["DSA-1", "USN-1"])
        #expect(try store.search(SearchQuery(parsing: "CVE-2024-3094")).map(\.entryID).sorted() == ["DSA-1", "USN-1"])
        #expect(try store.search(SearchQuery(parsing: "backdoor")).map(\.entryID) == ["USN-1"])
        #expect(try store.alsoReported(for: [1])[1]?.map(\.feedTitle) == ["Debian"])
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test func aVersion1DatabaseKeepsItsDataAndBecomesSearchable() throws {
        let db = try database(at: 1, name: "v1.sqlite3")
        try db.executeScript(Self.twoFeedsNamingOneCVE + """
            INSERT INTO tag VALUES (1, 'xz', 'xz', 'title');
            INSERT INTO delivery VALUES (1, 'mail', 7);
            """)
        let store = try Store(path: directory.path("v1.sqlite3"))
        #expect(try store.entryCount() == 2)
        #expect(try store.search(SearchQuery(parsing: "backdoor")).map(\.entryID) == ["USN-1"])
        #expect(try store.search(SearchQuery(parsing: "cve:CVE-2024-3094")).map(\.entryID) == ["DSA-1", "USN-1"])
        #expect(try store.alsoReported(for: [1])[1]?.map(\.feedTitle) == ["Debian"])
        #expect(try store.undelivered(on: "mail").isEmpty)
        // The stored entries got their content hash: the same content again is no revision.
        let same = FeedEntry(id: "USN-1", title: "USN-1: xz vulnerability", summary: "backdoor")
        let changes = try store.storeFetchChanges(of: FeedSource(title: "Ubuntu", url: "https://u.example/usn",
                                                                 category: .security),
                                                  entries: [same], status: 200, etag: nil, lastModified: nil)
        #expect(changes.new.isEmpty && changes.revised.isEmpty)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test func twoProcessesOpeningANewDatabaseAtOnceBothSucceed() throws {
        let path = directory.path("race.sqlite3")
        // Another process takes the write lock, says so, and holds it until told to commit.
        let script = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None); "
            + "c.execute('BEGIN IMMEDIATE'); c.execute('SELECT 1'); print('locked', flush=True); "
            + "sys.stdin.readline(); c.execute('COMMIT')"
        let holder = Process()
        let toHolder = Pipe(), fromHolder = Pipe()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", script, path]
        holder.standardInput = toHolder
        holder.standardOutput = fromHolder
        try holder.run()
        let said = String(decoding: fromHolder.fileHandleForReading.readData(ofLength: 7), as: UTF8.self)
        try #require(said == "locked\n", "the holder did not take the lock: \(said)")
        // This one migrates meanwhile: it must wait for the lock, then migrate.
        let opened = Mutex<Result<Int, any Error>?>(nil)
        let starting = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            starting.signal()
            let result = Result { try Store(path: path).entryCount() }
            opened.withLock { $0 = result }
            done.signal()
        }
        starting.wait()
        // While the other process holds the lock, the migration cannot have finished.
        #expect(opened.withLock { $0 } == nil)
        toHolder.fileHandleForWriting.write(Data("commit\n".utf8))
        #expect(done.wait(timeout: .now() + 30) == .success)
        holder.waitUntilExit()
        #expect(holder.terminationStatus == 0)
        #expect(try opened.withLock { $0 }?.get() == 0)
    }
}
