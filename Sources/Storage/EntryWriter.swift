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

/// Writes a feed's entries, inside the caller's transaction: inserts the new ones,
/// updates the revised ones in place, leaves the unchanged ones (and the ones the feed no
/// longer lists) alone, and keeps each entry's advisory ids in the `advisory` table.
///
/// The entries are staged in a temporary table and upserted by one statement: FTS5 flushes
/// its pending index at every statement that fires the sync triggers, so one statement per
/// feed is several times faster than one per entry.
struct EntryWriter {
    let db: SQLiteConnection

    private static let stage = """
        CREATE TEMP TABLE IF NOT EXISTS staged_entry (
            position INTEGER PRIMARY KEY, entry_id TEXT NOT NULL, title TEXT, link TEXT, published INTEGER,
            updated INTEGER, summary TEXT, authors TEXT NOT NULL, categories TEXT NOT NULL,
            advisories TEXT NOT NULL, content_hash TEXT NOT NULL
        )
        """

    private static let upsert = """
        INSERT INTO entry (feed_id, entry_id, title, link, published, updated, summary, authors, categories,
                           advisories, first_seen, content_hash)
        SELECT ?1, entry_id, title, link, published, updated, summary, authors, categories, advisories, ?2,
               content_hash
        FROM temp.staged_entry WHERE true ORDER BY position
        ON CONFLICT (feed_id, entry_id) DO UPDATE SET
            title = excluded.title, link = excluded.link, published = excluded.published,
            updated = excluded.updated, summary = excluded.summary, authors = excluded.authors,
            categories = excluded.categories, advisories = excluded.advisories,
            previous_hash = entry.content_hash, content_hash = excluded.content_hash,
            revised_at = excluded.first_seen
        WHERE entry.title IS NOT excluded.title OR entry.summary IS NOT excluded.summary
        RETURNING id, entry_id, revised_at
        """

    func write(_ entries: [FeedEntry], feedID: Int64, source: FeedSource, at seconds: Int64) throws -> EntryChanges {
        try db.executeScript(Self.stage)
        let stage = try db.statement("""
            INSERT INTO temp.staged_entry (position, entry_id, title, link, published, updated, summary, authors,
                                           categories, advisories, content_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try db.execute("DELETE FROM temp.staged_entry")
        var positions: [String: Int] = [:]
        for (position, entry) in entries.enumerated() {
            positions[entry.id] = position
            try stage.execute([
                position, entry.id, entry.title, entry.link, entry.published.map(Store.seconds),
                entry.updated.map(Store.seconds), entry.summary, Store.list(entry.authors),
                Store.list(entry.categories), Store.list(entry.advisories),
                ContentHash.of(title: entry.title, summary: entry.summary),
            ])
        }
        // Entries whose title or advisory ids change: a rewritten summary alone is not news.
        let material = Set(try db.rows("""
            SELECT s.entry_id FROM temp.staged_entry s JOIN entry e ON e.feed_id = ? AND e.entry_id = s.entry_id
            WHERE e.title IS NOT s.title OR e.advisories IS NOT s.advisories
            """, [feedID]).compactMap { $0.string(0) })
        // One row per entry inserted or revised; none for an unchanged one.
        let changed = try db.rows(Self.upsert, [feedID, seconds])
        try db.execute("DELETE FROM temp.staged_entry")

        var new: [(position: Int, stored: StoredEntry)] = []
        var revised: [(position: Int, stored: StoredEntry)] = []
        let redeliver = try db.statement("DELETE FROM delivery WHERE entry_id = ?")
        let clearAdvisories = try db.statement("DELETE FROM advisory WHERE entry_id = ?")
        let addAdvisory = try db.statement("INSERT OR IGNORE INTO advisory (advisory_id, entry_id) VALUES (?, ?)")
        for row in changed {
            guard let rowID = row.int64(0), let id = row.string(1), let position = positions[id] else { continue }
            let entry = entries[position]
            let stored = StoredEntry(rowID: rowID, feedTitle: source.title, category: source.category, entry: entry)
            if row[2] == .null {
                new.append((position, stored))
            } else {
                revised.append((position, stored))
                try clearAdvisories.execute([rowID])
                if material.contains(id) { try redeliver.execute([rowID]) }
            }
            for advisory in entry.advisories {
                try addAdvisory.execute([advisory.uppercased(), rowID])
            }
        }
        let revisedInOrder = revised.sorted { $0.position < $1.position }.map(\.stored)
        return EntryChanges(new: new.sorted { $0.position < $1.position }.map(\.stored), revised: revisedInOrder,
                            materiallyRevised: revisedInOrder.filter { material.contains($0.entry.id) })
    }
}
