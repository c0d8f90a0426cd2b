import Models
import SQLite

/// What storing one feed's entries changed.
public struct EntryChanges: Sendable {
    /// Entries not stored before.
    public var new: [StoredEntry] = []
    /// Entries stored before whose title or summary changed: updated in place, their
    /// previous content hash kept, marked revised.
    public var revised: [StoredEntry] = []
    /// The revised entries whose change is material (the title or the advisory ids): they
    /// count as undelivered again on every channel, so the next digest carries them.
    public var materiallyRevised: [StoredEntry] = []

    public init(new: [StoredEntry] = [], revised: [StoredEntry] = [], materiallyRevised: [StoredEntry] = []) {
        self.new = new
        self.revised = revised
        self.materiallyRevised = materiallyRevised
    }
}

/// A successful fetch of one feed, to store.
public struct FetchedFeed: Sendable {
    public var source: FeedSource
    public var entries: [FeedEntry] {
        didSet { (staged, positions) = Self.stage(entries) }
    }
    public var status: Int
    public var etag: String?
    public var lastModified: String?
    /// `entries` as the store writes them, made with them (see `StagedEntry`).
    private(set) var staged: [StagedEntry]
    /// Where each entry id is in `entries` (the last place, for an id given twice).
    private(set) var positions: [String: Int]

    public init(source: FeedSource, entries: [FeedEntry], status: Int = 200, etag: String? = nil,
                lastModified: String? = nil) {
        self.source = source
        self.entries = entries
        self.status = status
        self.etag = etag
        self.lastModified = lastModified
        (staged, positions) = Self.stage(entries)
    }

    private static func stage(_ entries: [FeedEntry]) -> ([StagedEntry], [String: Int]) {
        var positions: [String: Int] = [:]
        positions.reserveCapacity(entries.count)
        for (offset, entry) in entries.enumerated() { positions[entry.id] = offset }
        return (entries.map(StagedEntry.init), positions)
    }
}

/// Writes feeds' entries, inside the caller's transaction: inserts the new ones, updates
/// the revised ones in place, leaves the unchanged ones (and the ones a feed no longer
/// lists) alone.
///
/// The entries are upserted by one statement that reads them from `staged_entry`, a table of
/// the Swift values themselves (`SQLiteRowTable`): FTS5 writes its pending index out at every
/// statement that fires the sync triggers, so one statement per feed (or per batch of feeds)
/// is several times faster than one per entry.
struct EntryWriter {
    let db: SQLiteConnection
    /// `staged_entry`, made by `stagingTable(on:)` on `db`.
    let staging: SQLiteRowTable

    /// One feed's fetch, with the feed's row id.
    struct Feed {
        var id: Int64
        var fetch: FetchedFeed
    }

    /// Makes `staged_entry` on `db`: the entries being written, one row each, in the order of
    /// their feeds (`position`).
    static func stagingTable(on db: SQLiteConnection) throws -> SQLiteRowTable {
        try db.createRowTable("staged_entry", columns: StagedRows.columns)
    }

    /// The rows of `staged_entry`: every entry of `feeds`, read where it lies.
    private struct StagedRows: SQLiteRowSource {
        static let columns = ["feed_id", "entry_id", "title", "link", "published", "updated", "summary", "authors",
                              "categories", "advisories", "content_hash"]
        let feeds: [Feed]
        /// Each row's feed and the entry's place in it.
        let places: [(feed: Int, entry: Int)]

        init(_ feeds: [Feed]) {
            self.feeds = feeds
            places = feeds.indices.flatMap { feed in feeds[feed].fetch.entries.indices.map { (feed, $0) } }
        }

        var rowCount: Int { places.count }

        func value(row: Int, column: Int) -> SQLiteValue {
            let (feed, index) = places[row]
            let fetch = feeds[feed].fetch
            switch column {
            case 0: return .integer(feeds[feed].id)
            case 1: return .text(fetch.entries[index].id)
            case 2: return fetch.entries[index].title.sqliteValue
            case 3: return fetch.entries[index].link.sqliteValue
            case 4: return fetch.entries[index].published.map(Store.seconds).sqliteValue
            case 5: return fetch.entries[index].updated.map(Store.seconds).sqliteValue
            case 6: return fetch.entries[index].summary.sqliteValue
            case 7: return .text(fetch.staged[index].authors)
            case 8: return .text(fetch.staged[index].categories)
            case 9: return .text(fetch.staged[index].advisories)
            default: return .text(fetch.staged[index].contentHash)
            }
        }
    }

    private static let upsert = upsert(where: "true")

    /// The upsert for feeds with pruned entries (`pruned_entry`): those are not stored again.
    private static let upsertSkippingPruned = upsert(where: """
        NOT EXISTS (SELECT 1 FROM pruned_entry p WHERE p.feed_id = s.feed_id AND p.entry_id = s.entry_id)
        """)

    private static func upsert(where condition: String) -> String { """
        INSERT INTO entry (feed_id, entry_id, title, link, published, updated, summary, authors, categories,
                           advisories, first_seen, content_hash)
        SELECT feed_id, entry_id, title, link, published, updated, summary, authors, categories, advisories, ?1,
               content_hash
        FROM staged_entry s WHERE \(condition) ORDER BY position
        ON CONFLICT (feed_id, entry_id) DO UPDATE SET
            title = excluded.title, link = excluded.link, published = excluded.published,
            updated = excluded.updated, summary = excluded.summary, authors = excluded.authors,
            categories = excluded.categories, advisories = excluded.advisories,
            previous_hash = entry.content_hash, content_hash = excluded.content_hash,
            revised_at = excluded.first_seen
        WHERE entry.title IS NOT excluded.title OR entry.summary IS NOT excluded.summary
        RETURNING id, feed_id, entry_id, revised_at
        """
    }

    /// Upserts what `staged_entry` holds (`feeds`' entries): the ids of the entries whose change
    /// is material, and one row per entry inserted or revised (none for an unchanged one).
    private func upsert(_ feeds: [Feed], at seconds: Int64) throws -> (material: Set<Int64>, changed: [SQLiteRow]) {
        let feedIDs = Store.json(feeds.map(\.id))
        // Entries whose title or advisory ids change: a rewritten summary alone is not news.
        // Only feeds with stored entries can have any: a first fetch's entries (a bulk load's)
        // are not each looked up.
        let known = try db.rows("SELECT value FROM json_each(?) WHERE EXISTS (SELECT 1 FROM entry WHERE feed_id = value)",
                                [feedIDs]).compactMap { $0.int64(0) }
        let material = known.isEmpty ? [] : Set(try db.rows("""
            SELECT e.id FROM staged_entry s JOIN entry e ON e.feed_id = s.feed_id AND e.entry_id = s.entry_id
            WHERE s.feed_id IN (SELECT value FROM json_each(?))
              AND (e.title IS NOT s.title OR e.advisories IS NOT s.advisories)
            """, [Store.json(known)]).compactMap { $0.int64(0) })
        // Entries `prune` deleted are not stored again while their feed lists them (else every
        // channel would get them again); one the feed no longer lists is forgotten.
        let pruned = try db.firstRow("""
            SELECT EXISTS (SELECT 1 FROM pruned_entry WHERE feed_id IN (SELECT value FROM json_each(?)))
            """, [feedIDs])?.int(0) == 1
        let changed = try db.rows(pruned ? Self.upsertSkippingPruned : Self.upsert, [seconds])
        if pruned {
            try db.execute("""
                DELETE FROM pruned_entry WHERE feed_id IN (SELECT value FROM json_each(?))
                  AND (feed_id, entry_id) NOT IN (SELECT feed_id, entry_id FROM staged_entry)
                """, [feedIDs])
        }
        return (material, changed)
    }

    /// One feed's entries that the upsert returned, with their places in the feed.
    private struct Returned {
        var entries: [StoredEntry] = []
        var positions: [Int] = []

        mutating func append(_ entry: StoredEntry, at position: Int) {
            entries.append(entry)
            positions.append(position)
        }

        /// The entries in the order of the feed. RETURNING gives the rows in no promised
        /// order, but in practice in the upsert's (the feed's): they are reordered, each
        /// copied, only when not.
        var inFeedOrder: [StoredEntry] {
            if zip(positions, positions.dropFirst()).allSatisfy({ $0 <= $1 }) { return entries }
            return positions.indices.sorted { positions[$0] < positions[$1] }.map { entries[$0] }
        }
    }

    /// Writes every feed's entries with one upsert; the changes come back in `feeds`' order.
    func write(_ feeds: [Feed], at seconds: Int64) throws -> [EntryChanges] {
        // Where each feed is in `feeds`, by row id.
        var places: [Int64: Int] = [:]
        for (index, feed) in feeds.enumerated() {
            guard places.updateValue(index, forKey: feed.id) == nil else {
                throw StoreError(path: db.path, reason: "feed \(feed.fetch.source.url) given twice in one store")
            }
        }
        let (material, changed) = try staging.withRows(StagedRows(feeds)) {
            try upsert(feeds, at: seconds)
        }

        var new = Array(repeating: Returned(), count: feeds.count)
        var revised = new
        var redeliverIDs: [Int64] = []
        for row in changed {
            guard let rowID = row.int64(0), let feedID = row.int64(1), let id = row.string(2),
                  let index = places[feedID], let position = feeds[index].fetch.positions[id] else { continue }
            let source = feeds[index].fetch.source
            let stored = StoredEntry(rowID: rowID, feedTitle: source.title, category: source.category,
                                     entry: feeds[index].fetch.entries[position])
            if row[3] == .null {
                new[index].append(stored, at: position)
            } else {
                revised[index].append(stored, at: position)
                if material.contains(rowID) { redeliverIDs.append(rowID) }
            }
        }
        // New and revised entries wait for their tags (`Store.untaggedEntries`), from this
        // transaction on: whatever happens before their tags are saved, a later refresh finds
        // them. A revised entry's old tags go: its new title or summary may name other services.
        let newIDs = new.flatMap { $0.entries.map(\.rowID) }, revisedIDs = revised.flatMap { $0.entries.map(\.rowID) }
        if !newIDs.isEmpty || !revisedIDs.isEmpty {
            try db.execute("INSERT OR IGNORE INTO untagged_entry (entry_id) SELECT value FROM json_each(?)",
                           [Store.json(newIDs + revisedIDs)])
        }
        if !revisedIDs.isEmpty {
            try db.execute("DELETE FROM tag WHERE entry_id IN (SELECT value FROM json_each(?))", [Store.json(revisedIDs)])
        }
        // By one statement over JSON: one statement per row cost more than the row itself.
        if !redeliverIDs.isEmpty {
            try db.execute("DELETE FROM delivery WHERE entry_id IN (SELECT value FROM json_each(?))",
                           [Store.json(redeliverIDs)])
        }
        return feeds.indices.map { index in
            let revisedInOrder = revised[index].inFeedOrder
            return EntryChanges(new: new[index].inFeedOrder,
                                revised: revisedInOrder,
                                materiallyRevised: revisedInOrder.filter { material.contains($0.rowID) })
        }
    }
}
