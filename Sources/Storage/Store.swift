import FoundationEssentials
import Models
import SQLite

/// The bulletin database: feeds and their fetch state, every entry once, tags and
/// deliveries. Owns one SQLite connection; use it from one thread at a time.
public final class Store {
    let db: SQLiteConnection

    /// Opens (creating when missing, mode 0600) the database at `path` and brings its
    /// schema up to date. WAL mode, foreign keys on.
    public init(path: String) throws {
        db = try SQLiteConnection(path: path)
        try db.executeScript("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
        try Schema.migrate(db)
    }

    public var path: String { db.path }

    // MARK: Feeds

    /// The validators of the feed's last response, for a conditional request.
    public func validators(for url: String) throws -> (etag: String?, lastModified: String?) {
        guard let row = try db.firstRow("SELECT etag, last_modified FROM feed WHERE url = ?", [url]) else {
            return (nil, nil)
        }
        return (row.string(0), row.string(1))
    }

    /// Stores a successful fetch: the feed's state and every entry not stored before, in
    /// one transaction. Returns the entries that are new.
    @discardableResult
    public func storeFetch(of source: FeedSource, entries: [FeedEntry], status: Int, etag: String?,
                           lastModified: String?, at now: Date = Date()) throws -> [StoredEntry] {
        let seconds = Int64(now.timeIntervalSince1970)
        return try db.transaction {
            let feedID = try upsertFeed(source)
            try db.execute("""
                UPDATE feed SET etag = ?, last_modified = ?, last_attempt = ?, last_success = ?,
                    last_status = ?, last_error = NULL, consecutive_failures = 0 WHERE id = ?
                """, [etag, lastModified, seconds, seconds, status, feedID])
            var new: [StoredEntry] = []
            for entry in entries {
                try db.execute("""
                    INSERT INTO entry (feed_id, entry_id, title, link, published, updated, summary,
                                       authors, categories, advisories, first_seen)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (feed_id, entry_id) DO NOTHING
                    """, [feedID, entry.id, entry.title, entry.link, entry.published.map(Self.seconds),
                          entry.updated.map(Self.seconds), entry.summary, Self.list(entry.authors),
                          Self.list(entry.categories), Self.list(entry.advisories), seconds])
                if db.changes == 1 {
                    new.append(StoredEntry(rowID: db.lastInsertRowID, feedTitle: source.title,
                                           category: source.category, entry: entry))
                }
            }
            return new
        }
    }

    /// Records that the feed answered 304 Not Modified.
    public func storeNotModified(_ source: FeedSource, at now: Date = Date()) throws {
        let seconds = Int64(now.timeIntervalSince1970)
        try db.transaction {
            let feedID = try upsertFeed(source)
            try db.execute("""
                UPDATE feed SET last_attempt = ?, last_success = ?, last_status = 304, last_error = NULL,
                    consecutive_failures = 0 WHERE id = ?
                """, [seconds, seconds, feedID])
        }
    }

    /// Records a failed fetch or parse; what was stored before is left as it was.
    public func storeFailure(of source: FeedSource, status: Int?, error: String, at now: Date = Date()) throws {
        let oneLine = error.split(whereSeparator: \.isNewline).joined(separator: " ")
        try db.transaction {
            let feedID = try upsertFeed(source)
            try db.execute("""
                UPDATE feed SET last_attempt = ?, last_status = ?, last_error = ?,
                    consecutive_failures = consecutive_failures + 1 WHERE id = ?
                """, [Int64(now.timeIntervalSince1970), status, oneLine, feedID])
        }
    }

    func upsertFeed(_ source: FeedSource) throws -> Int64 {
        try db.execute("""
            INSERT INTO feed (url, title, category) VALUES (?, ?, ?)
            ON CONFLICT (url) DO UPDATE SET title = excluded.title, category = excluded.category
            """, [source.url, source.title, source.category.rawValue])
        guard let id = try db.firstRow("SELECT id FROM feed WHERE url = ?", [source.url])?.int64(0) else {
            throw StoreError(path: db.path, reason: "feed \(source.url) vanished while being stored")
        }
        return id
    }

    // MARK: Tags and deliveries

    /// Records tags; a (entry, service) pair tagged before keeps its first reason.
    public func addTags(_ tags: [EntryTag]) throws {
        try db.transaction {
            for tag in tags {
                try db.execute("INSERT OR IGNORE INTO tag (entry_id, service, alias, field) VALUES (?, ?, ?, ?)",
                               [tag.entryRowID, tag.service, tag.alias, tag.field])
            }
        }
    }

    /// Every tagged entry not yet delivered on `channel`, newest first, with its tags.
    public func undelivered(on channel: String) throws -> [(entry: StoredEntry, tags: [EntryTag])] {
        let rows = try db.rows("""
            SELECT e.id, f.title, f.category, e.entry_id, e.title, e.link, e.published, e.updated, e.summary,
                   e.authors, e.categories, e.advisories, t.service, t.alias, t.field
            FROM entry e JOIN feed f ON f.id = e.feed_id JOIN tag t ON t.entry_id = e.id
            WHERE NOT EXISTS (SELECT 1 FROM delivery d WHERE d.entry_id = e.id AND d.channel = ?)
            ORDER BY coalesce(e.published, e.updated, e.first_seen) DESC, e.id, t.service
            """, [channel])
        var result: [(entry: StoredEntry, tags: [EntryTag])] = []
        for row in rows {
            let rowID = row.int64(0)!
            let tag = EntryTag(entryRowID: rowID, service: row.string(12)!, alias: row.string(13)!, field: row.string(14)!)
            if result.last?.entry.rowID == rowID {
                result[result.count - 1].tags.append(tag)
                continue
            }
            let entry = FeedEntry(
                id: row.string(3)!, title: row.string(4), link: row.string(5),
                published: row.int64(6).map(Self.date), updated: row.int64(7).map(Self.date),
                summary: row.string(8), authors: Self.list(row.string(9)),
                categories: Self.list(row.string(10)), advisories: Self.list(row.string(11)))
            let stored = StoredEntry(rowID: rowID, feedTitle: row.string(1)!,
                                     category: FeedCategory(rawValue: row.string(2)!) ?? .security, entry: entry)
            result.append((stored, [tag]))
        }
        return result
    }

    /// Marks entries delivered on `channel`, once the channel has accepted them.
    public func markDelivered(_ entryRowIDs: [Int64], on channel: String, at now: Date = Date()) throws {
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

    private static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
    private static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }
    private static func list(_ values: [String]) -> String { values.joined(separator: "\n") }
    private static func list(_ text: String?) -> [String] {
        text.map { $0.split(separator: "\n").map(String.init) } ?? []
    }
}

@available(*, unavailable)
extension Store: Sendable {}
