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
    public var entries: [FeedEntry]
    public var status: Int
    public var etag: String?
    public var lastModified: String?

    public init(source: FeedSource, entries: [FeedEntry], status: Int = 200, etag: String? = nil,
                lastModified: String? = nil) {
        self.source = source
        self.entries = entries
        self.status = status
        self.etag = etag
        self.lastModified = lastModified
    }
}

/// Writes feeds' entries, inside the caller's transaction: inserts the new ones, updates
/// the revised ones in place, leaves the unchanged ones (and the ones a feed no longer
/// lists) alone, and keeps each entry's advisory ids in the `advisory` table.
///
/// The entries are staged in a temporary table and upserted by one statement: FTS5 writes
/// its pending index out at every statement that fires the sync triggers, so one statement
/// per feed (or per batch of feeds) is several times faster than one per entry.
struct EntryWriter {
    let db: SQLiteConnection

    /// One feed's entries, as fetched.
    struct Feed {
        var id: Int64
        var source: FeedSource
        var entries: [FeedEntry]
    }

    private static let stage = """
        CREATE TEMP TABLE IF NOT EXISTS staged_entry (
            position INTEGER PRIMARY KEY, feed_id INTEGER NOT NULL, entry_id TEXT NOT NULL, title TEXT,
            link TEXT, published INTEGER, updated INTEGER, summary TEXT, authors TEXT NOT NULL,
            categories TEXT NOT NULL, advisories TEXT NOT NULL, content_hash TEXT NOT NULL
        )
        """

    private static let upsert = """
        INSERT INTO entry (feed_id, entry_id, title, link, published, updated, summary, authors, categories,
                           advisories, first_seen, content_hash)
        SELECT feed_id, entry_id, title, link, published, updated, summary, authors, categories, advisories, ?1,
               content_hash
        FROM temp.staged_entry WHERE true ORDER BY position
        ON CONFLICT (feed_id, entry_id) DO UPDATE SET
            title = excluded.title, link = excluded.link, published = excluded.published,
            updated = excluded.updated, summary = excluded.summary, authors = excluded.authors,
            categories = excluded.categories, advisories = excluded.advisories,
            previous_hash = entry.content_hash, content_hash = excluded.content_hash,
            revised_at = excluded.first_seen
        WHERE entry.title IS NOT excluded.title OR entry.summary IS NOT excluded.summary
        RETURNING id, feed_id, entry_id, revised_at
        """

    /// Inserts the advisory ids that ?1 lists as a JSON object {"ROWID": ["ID", …], …}.
    /// (Reading a json_each value costs about as much as a row of the insert: each is read once.)
    private static let addAdvisories = """
        INSERT OR IGNORE INTO advisory (advisory_id, entry_id)
        SELECT id.value, CAST(entry.key AS INTEGER) FROM json_each(?1) entry, json_each(entry.value) id
        """

    /// The entries in the order of the feed. RETURNING gives the rows in no promised order,
    /// but in practice in the upsert's (the feed's): sort, copying every entry, only when not.
    private static func inFeedOrder(_ entries: [(position: Int, stored: StoredEntry)]) -> [StoredEntry] {
        let inOrder = zip(entries, entries.dropFirst()).allSatisfy { $0.position <= $1.position }
        return (inOrder ? entries : entries.sorted { $0.position < $1.position }).map(\.stored)
    }

    /// Row ids as a JSON array, for `json_each`.
    private static func json(_ ids: [Int64]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }

    /// Writes every feed's entries with one upsert; the changes come back in `feeds`' order.
    func write(_ feeds: [Feed], at seconds: Int64) throws -> [EntryChanges] {
        try db.executeScript(Self.stage)
        let stage = try db.statement("""
            INSERT INTO temp.staged_entry (position, feed_id, entry_id, title, link, published, updated, summary,
                                           authors, categories, advisories, content_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try db.execute("DELETE FROM temp.staged_entry")
        // Where each (feed, entry id) is: index in `feeds`, index in its entries.
        var places: [Int64: (feed: Int, positions: [String: Int])] = [:]
        var position = 0
        for (index, feed) in feeds.enumerated() {
            var positions: [String: Int] = [:]
            for (offset, entry) in feed.entries.enumerated() {
                positions[entry.id] = offset
                // Values, not `any SQLiteBindable`s, and text bound in place: this runs once per entry.
                try stage.execute(values: [
                    .integer(Int64(position)), .integer(feed.id), .text(entry.id), entry.title.sqliteValue,
                    entry.link.sqliteValue, entry.published.map(Store.seconds).sqliteValue,
                    entry.updated.map(Store.seconds).sqliteValue, entry.summary.sqliteValue,
                    .text(Store.list(entry.authors)), .text(Store.list(entry.categories)),
                    .text(Store.list(entry.advisories)), .text(ContentHash.of(title: entry.title, summary: entry.summary)),
                ])
                position += 1
            }
            guard places.updateValue((index, positions), forKey: feed.id) == nil else {
                throw StoreError(path: db.path, reason: "feed \(feed.source.url) given twice in one store")
            }
        }
        // Entries whose title or advisory ids change: a rewritten summary alone is not news.
        let material = Set(try db.rows("""
            SELECT e.id FROM temp.staged_entry s JOIN entry e ON e.feed_id = s.feed_id AND e.entry_id = s.entry_id
            WHERE e.title IS NOT s.title OR e.advisories IS NOT s.advisories
            """).compactMap { $0.int64(0) })
        // One row per entry inserted or revised; none for an unchanged one.
        let changed = try db.rows(Self.upsert, [seconds])
        try db.execute("DELETE FROM temp.staged_entry")

        var new = Array(repeating: [(position: Int, stored: StoredEntry)](), count: feeds.count)
        var revised = new
        var (revisedIDs, redeliverIDs) = ([Int64](), [Int64]())
        var advisories = AdvisoryIDs()
        for row in changed {
            guard let rowID = row.int64(0), let feedID = row.int64(1), let id = row.string(2),
                  let place = places[feedID], let position = place.positions[id] else { continue }
            let feed = feeds[place.feed]
            let stored = StoredEntry(rowID: rowID, feedTitle: feed.source.title, category: feed.source.category,
                                     entry: feed.entries[position])
            if row[3] == .null {
                new[place.feed].append((position, stored))
            } else {
                revised[place.feed].append((position, stored))
                revisedIDs.append(rowID)
                if material.contains(rowID) { redeliverIDs.append(rowID) }
            }
            advisories.add(stored.entry.advisories.map { $0.uppercased() }, of: rowID)
        }
        // Set-wise, each by one statement over JSON: one `execute` per advisory id cost more
        // than the entry row itself.
        if !revisedIDs.isEmpty {
            try db.execute("DELETE FROM advisory WHERE entry_id IN (SELECT value FROM json_each(?))",
                           [Self.json(revisedIDs)])
        }
        if !redeliverIDs.isEmpty {
            try db.execute("DELETE FROM delivery WHERE entry_id IN (SELECT value FROM json_each(?))",
                           [Self.json(redeliverIDs)])
        }
        if !advisories.isEmpty { try db.execute(Self.addAdvisories, [advisories.json]) }
        for (advisory, rowID) in advisories.withNUL {
            try db.execute("INSERT OR IGNORE INTO advisory (advisory_id, entry_id) VALUES (?, ?)", [advisory, rowID])
        }
        return feeds.indices.map { index in
            let revisedInOrder = Self.inFeedOrder(revised[index])
            return EntryChanges(new: Self.inFeedOrder(new[index]),
                                revised: revisedInOrder,
                                materiallyRevised: revisedInOrder.filter { material.contains($0.rowID) })
        }
    }
}

/// Entries' advisory ids as the JSON object {"ROWID": ["ID", …], …} that
/// `EntryWriter.addAdvisories` reads.
private struct AdvisoryIDs {
    private var text = "{"
    /// Row ids listed: an entry id given twice in one fetch comes back twice, with the ids of its
    /// last version both times, and a JSON object should not name a key twice.
    private var listed: Set<Int64> = []
    /// Ids holding a NUL, where SQLite's JSON strings end: stored one by one (no real id has one).
    private(set) var withNUL: [(id: String, rowID: Int64)] = []

    var isEmpty: Bool { text.utf8.count == 1 }
    var json: String { text + "}" }

    mutating func add(_ ids: [String], of rowID: Int64) {
        guard listed.insert(rowID).inserted else { return }
        var first = true
        for id in ids {
            guard !id.utf8.contains(0) else {
                withNUL.append((id, rowID))
                continue
            }
            text += first ? (isEmpty ? "\"\(rowID)\":[\"" : ",\"\(rowID)\":[\"") : ",\""
            appendStringBody(id)
            text += "\""
            first = false
        }
        if !first { text += "]" }
    }

    /// Appends `id` as the body of a JSON string: quotes, backslashes and control characters escaped.
    private mutating func appendStringBody(_ id: String) {
        guard id.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            return text += id
        }
        for scalar in id.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case _ where scalar.value < 0x10: text += "\\u000" + String(scalar.value, radix: 16)
            case _ where scalar.value < 0x20: text += "\\u001" + String(scalar.value - 0x10, radix: 16)
            default: text.unicodeScalars.append(scalar)
            }
        }
    }
}
