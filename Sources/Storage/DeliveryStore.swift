import FoundationEssentials
import Models
import SQLite

/// What delivery needs from the store: ad-hoc windows, feed health, and the dispatch log
/// that makes "marked delivered only once accepted" hold.
extension Store {
    /// One send to a channel, as the dispatch log keeps it.
    public struct Dispatch: Sendable, Hashable {
        public var id: Int64
        public var channel: String
        public var messageID: String
        public var startedAt: Date
        public var status: String
        public var entries: Int
        public var detail: String?
    }

    // MARK: Selection

    /// Every tagged entry whose date (published, else updated, else first seen) lies in
    /// `since..<until`, delivered or not, newest first, with its tags.
    public func tagged(since: Date?, until: Date?) throws -> [(entry: StoredEntry, tags: [EntryTag])] {
        Self.entriesWithTags(try db.rows("""
            SELECT \(Self.entryColumns), \(Self.joinedTagColumns)
            FROM entry e JOIN feed f ON f.id = e.feed_id JOIN tag t ON t.entry_id = e.id
            WHERE coalesce(e.published, e.updated, e.first_seen) >= ? AND coalesce(e.published, e.updated, e.first_seen) < ?
            ORDER BY coalesce(e.published, e.updated, e.first_seen) DESC, e.id, t.service
            """, [since.map(Self.unixTime) ?? Int64.min, until.map(Self.unixTime) ?? Int64.max]))
    }

    // MARK: Dispatch log

    /// Records that a send to `channel` is about to start; returns its id.
    public func beginDispatch(channel: String, messageID: String, entries: Int, at now: Date = WallClock.now()) throws -> Int64 {
        try db.transaction {
            try db.execute("""
                INSERT INTO dispatch (channel, message_id, started_at, status, entries) VALUES (?, ?, ?, 'sending', ?)
                """, [channel, messageID, Self.unixTime(now), entries])
            return db.lastInsertRowID
        }
    }

    /// The channel accepted the send: in one transaction, the dispatch becomes 'accepted'
    /// and every entry of it is marked delivered on the channel.
    public func confirmDispatch(_ id: Int64, channel: String, entryRowIDs: [Int64], detail: String,
                                at now: Date = WallClock.now()) throws {
        let seconds = Self.unixTime(now)
        try db.transaction {
            try db.execute("UPDATE dispatch SET status = 'accepted', finished_at = ?, detail = ? WHERE id = ?",
                           [seconds, detail, id])
            for entry in entryRowIDs {
                try db.execute("INSERT OR IGNORE INTO delivery (entry_id, channel, delivered_at) VALUES (?, ?, ?)",
                               [entry, channel, seconds])
            }
        }
    }

    /// The channel did not accept the send; its entries stay undelivered.
    public func failDispatch(_ id: Int64, reason: String, at now: Date = WallClock.now()) throws {
        try db.transaction {
            try db.execute("UPDATE dispatch SET status = 'failed', finished_at = ?, detail = ? WHERE id = ?",
                           [Self.unixTime(now), reason, id])
        }
    }

    /// Sends to `channel` still marked 'sending': a run died while they were out, so they may
    /// or may not have arrived. They become 'interrupted' and are returned, to be reported.
    public func takeInterruptedDispatches(channel: String, at now: Date = WallClock.now()) throws -> [Dispatch] {
        try db.transaction {
            let rows = try db.rows("""
                SELECT id, channel, message_id, started_at, status, entries, detail FROM dispatch
                WHERE channel = ? AND status = 'sending' ORDER BY id
                """, [channel])
            try db.execute("""
                UPDATE dispatch SET status = 'interrupted', finished_at = ? WHERE channel = ? AND status = 'sending'
                """, [Self.unixTime(now), channel])
            return rows.map(Self.dispatch)
        }
    }

    /// The latest sends, newest first (all channels, or one).
    public func dispatches(channel: String? = nil, limit: Int = 20) throws -> [Dispatch] {
        try db.rows("""
            SELECT id, channel, message_id, started_at, status, entries, detail FROM dispatch
            WHERE ?1 IS NULL OR channel = ?1 ORDER BY id DESC LIMIT ?2
            """, [channel, limit]).map(Self.dispatch)
    }

    private static func dispatch(_ row: SQLiteRow) -> Dispatch {
        Dispatch(id: row.int64(0) ?? 0, channel: row.string(1) ?? "", messageID: row.string(2) ?? "",
                 startedAt: Date(timeIntervalSince1970: TimeInterval(row.int64(3) ?? 0)), status: row.string(4) ?? "",
                 entries: row.int(5) ?? 0, detail: row.string(6))
    }

    private static func unixTime(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
}
