import FoundationEssentials
import Models
import SQLite
#if canImport(Glibc)
import Glibc
#endif

/// The bulletin database: feeds and their fetch state, every entry once, tags and
/// deliveries. Owns one SQLite connection; use it from one thread at a time.
public final class Store {
    let db: SQLiteConnection
    /// The entries being written (`EntryWriter`).
    let staging: SQLiteRowTable

    /// Opens (creating when missing, mode 0600) the database at `path` and brings its
    /// schema up to date. WAL mode, foreign keys on.
    public init(path: String) throws {
        // A write-ahead log beside the file: the last process to use the store did not close
        // it (killed, a crash, a power cut), or another has it open now.
        var log = stat()
        let uncleanEnd = stat(path + "-wal", &log) == 0 && log.st_size > 0
        db = try SQLiteConnection(path: path)
        staging = try EntryWriter.stagingTable(on: db)
        // 8 KiB pages for a new file (an existing one keeps its size): an entry row is some 600
        // bytes, and with 4 KiB pages the B-trees split a page every few rows; a cold fetch's
        // storing took about 7% less time (Benchmarks/fetch), searches took the same.
        try db.executeScript("PRAGMA page_size = \(Self.pageSize)")
        try Self.retryingWhileBusy { try db.executeScript("PRAGMA journal_mode = WAL") }
        try db.executeScript("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
        try db.executeScript(Self.tuning)
        try ContentHash.register(on: db)
        try AdvisoryTerms.register(on: db)
        if uncleanEnd { try checkQuickly() }
        try Schema.migrate(db)
    }

    /// `PRAGMA quick_check` (a few seconds for a large file), before anything is written: a
    /// damaged store is refused with one line that names `bulletin doctor`, not written to.
    private func checkQuickly() throws {
        let findings: [String]
        do {
            findings = try db.rows("PRAGMA quick_check").compactMap { $0.string(0) }
        } catch {
            throw StoreError(path: db.path, reason: "damaged (\(error)); 'bulletin doctor' says what to do")
        }
        guard findings == ["ok"] else {
            // SQLite's findings, one a line (a row may hold several), without its heading.
            let problems = findings.flatMap { $0.split(whereSeparator: \.isNewline) }
                .filter { !$0.hasPrefix("*** in database") }
            throw StoreError(path: db.path, reason: "damaged: \(problems.count) problems found after an unclean end "
                + "(first: \((problems.first ?? "").prefix(120))); 'bulletin doctor' says what to do")
        }
    }

    /// Opens the database at `path` for reading only, changing nothing: for a file on a
    /// read-only mount, or one the user may only read. When its write-ahead log cannot be
    /// used (the log's index cannot be created where the user may not write), the file is
    /// read as immutable: as of its last checkpoint, which closing a store makes. Its
    /// schema must be this bulletin's own, since it cannot be brought up to date.
    public init(readingOnly path: String) throws {
        var db = try SQLiteConnection(path: path, access: .readOnly)
        if (try? db.firstRow("SELECT count(*) FROM sqlite_master")) == nil {
            db = try SQLiteConnection(path: path, access: .immutable)
        }
        self.db = db
        try db.executeScript("PRAGMA query_only = ON; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16384;")
        try ContentHash.register(on: db)
        try AdvisoryTerms.register(on: db)
        staging = try EntryWriter.stagingTable(on: db)
        let version = Int(try db.firstRow("PRAGMA user_version")?.int64(0) ?? 0)
        guard version == Schema.migrations.count else {
            throw StoreError(path: path, reason: "read-only, and its schema (version \(version)) is not this "
                + "bulletin's (\(Schema.migrations.count)): open it once where it can be written")
        }
    }

    public var path: String { db.path }

    /// Runs `body` again while another connection holds a lock, for up to 10 seconds:
    /// switching a new file to WAL needs an exclusive lock, and SQLite does not call the
    /// busy handler for it.
    private static func retryingWhileBusy(_ body: () throws -> Void) throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            do {
                return try body()
            } catch let error as SQLiteError where error.isBusy && ContinuousClock.now < deadline {
                usleep(50_000)
            }
        }
    }

    /// A page cache of up to 16 MiB (indexes on advisory ids and dates are written in random
    /// order; 64 MiB made a cold fetch of 1,200 feeds no faster, only its memory larger),
    /// temporary tables in memory, checkpoints every 4000 pages rather than 1000.
    /// No memory map: it makes a warm process's searches faster, but a fresh `bulletin
    /// search` slower (mapping and unmapping pages costs more than reading the few it needs).
    private static let tuning = "PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY; "
        + "PRAGMA wal_autocheckpoint = \(autocheckpointPages);"

    /// The page size of a new database file, in bytes.
    static let pageSize = 8192

    /// The write-ahead log's length, in pages, at which a commit copies it into the database.
    static let autocheckpointPages = 4000

    // MARK: Feeds

    /// The row id of the feed whose catalog URL is `source.url`, made when missing; its
    /// title and category become the catalog's. Inside the caller's transaction.
    func upsertFeed(_ source: FeedSource) throws -> Int64 {
        guard let id = try db.firstRow("""
            INSERT INTO feed (url, title, category) VALUES (?, ?, ?)
            ON CONFLICT (url) DO UPDATE SET title = excluded.title, category = excluded.category
            RETURNING id
            """, [source.url, source.title, source.category.rawValue])?.int64(0) else {
            throw StoreError(path: db.path, reason: "feed \(source.url) vanished while being stored")
        }
        return id
    }

    // MARK: Tags and deliveries

    /// Every tagged entry not yet delivered on `channel`, newest first, with its tags.
    public func undelivered(on channel: String) throws -> [(entry: StoredEntry, tags: [EntryTag])] {
        Self.entriesWithTags(try db.rows("""
            SELECT \(Self.entryColumns), \(Self.joinedTagColumns)
            FROM entry e JOIN feed f ON f.id = e.feed_id JOIN tag t ON t.entry_id = e.id
            WHERE NOT EXISTS (SELECT 1 FROM delivery d WHERE d.entry_id = e.id AND d.channel = ?)
            ORDER BY coalesce(e.published, e.updated, e.first_seen) DESC, e.id, t.service
            """, [channel]))
    }

    /// `tagColumns` of a tag table joined as `t`.
    static let joinedTagColumns = """
        t.entry_id, t.service, t.alias, t.field, t.position, t.length, t.strength, t.rule
        """

    /// Rows of `entryColumns` followed by `joinedTagColumns`, ordered by
    /// entry: one item per entry with all its tags.
    static func entriesWithTags(_ rows: [SQLiteRow]) -> [(entry: StoredEntry, tags: [EntryTag])] {
        var result: [(entry: StoredEntry, tags: [EntryTag])] = []
        for row in rows {
            let stored = storedEntry(row)
            let tag = tag(row, from: 12)
            if result.last?.entry.rowID == stored.rowID {
                result[result.count - 1].tags.append(tag)
            } else {
                result.append((stored, [tag]))
            }
        }
        return result
    }

    /// Whether `channel` ever had a delivery or a send: false before its first digest.
    public func hasDelivered(on channel: String) throws -> Bool {
        try db.firstRow("""
            SELECT EXISTS (SELECT 1 FROM delivery WHERE channel = ?) OR EXISTS (SELECT 1 FROM dispatch WHERE channel = ?)
            """, [channel, channel])?.int(0) == 1
    }

    /// Marks entries delivered on `channel`, once the channel has accepted them.
    public func markDelivered(_ entryRowIDs: [Int64], on channel: String, at now: Date = WallClock.now()) throws {
        try db.transaction {
            for id in entryRowIDs {
                try db.execute("INSERT OR IGNORE INTO delivery (entry_id, channel, delivered_at) VALUES (?, ?, ?)",
                               [id, channel, Int64(now.timeIntervalSince1970)])
            }
        }
    }

    /// How many entries the store holds.
    public func entryCount() throws -> Int {
        try db.firstRow("SELECT count(*) FROM entry")?.int(0) ?? 0
    }

    // MARK: Encoding

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
    static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }
    static func list(_ values: [String]) -> String { values.joined(separator: "\n") }
    static func list(_ text: String?) -> [String] {
        text.map { $0.split(separator: "\n").map(String.init) } ?? []
    }
    /// Row ids as a JSON array, for `json_each`: one bound value for any number of ids.
    static func json(_ ids: [Int64]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }
    /// The condition that entry `e` is among entry_fts's matches of the bound FTS5 expression.
    static let inFullTextMatches = "e.id IN (SELECT rowid FROM entry_fts WHERE entry_fts MATCH ?)"
}

@available(*, unavailable)
extension Store: Sendable {}
