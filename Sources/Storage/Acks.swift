import FoundationEssentials
import Models
import SQLite

/// An acknowledgement: an entry (or every entry naming an advisory) hidden from digests,
/// for one service or all, until a date or for good.
public struct Ack: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        case entry(Int64)
        case advisory(String)
    }

    public let id: Int64
    public let target: Target
    /// Only this service's tag is hidden; nil hides the whole entry.
    public let service: String?
    /// Hidden until this moment; nil for good.
    public let until: Date?
    public let reason: String?
    public let created: Date

    /// Whether the ack hides `tag` of `entry` at `now`.
    public func hides(_ tag: EntryTag, of entry: StoredEntry, at now: Date) -> Bool {
        if let until, until <= now { return false }
        if let service, service.lowercased() != tag.service.lowercased() { return false }
        switch target {
        case .entry(let id): return id == entry.rowID
        case .advisory(let advisory): return entry.entry.advisories.contains { $0.uppercased() == advisory.uppercased() }
        }
    }
}

/// Acknowledgements: added, listed, removed, and applied to what a digest would show.
extension Store {
    /// Records an ack and returns its id.
    public func addAck(_ target: Ack.Target, service: String?, until: Date?, reason: String?,
                       at now: Date = WallClock.now()) throws -> Int64 {
        let (entryID, advisory): (Int64?, String?) = switch target {
        case .entry(let id): (id, nil)
        case .advisory(let advisory): (nil, advisory.uppercased())
        }
        try db.execute("INSERT INTO ack (entry_id, advisory, service, until, reason, created) VALUES (?, ?, ?, ?, ?, ?)",
                       [entryID, advisory, service, until.map { Int64($0.timeIntervalSince1970) }, reason,
                        Int64(now.timeIntervalSince1970)])
        return db.lastInsertRowID
    }

    /// Every ack, oldest first; without `includeExpired`, only those still in force at `now`.
    public func acks(includeExpired: Bool = false, at now: Date = WallClock.now()) throws -> [Ack] {
        try db.rows("""
            SELECT id, entry_id, advisory, service, until, reason, created FROM ack
            WHERE ? OR until IS NULL OR until > ? ORDER BY id
            """, [includeExpired, Int64(now.timeIntervalSince1970)]).map { row in
            Ack(id: row.int64(0) ?? 0,
                target: row.int64(1).map(Ack.Target.entry) ?? .advisory(row.string(2) ?? ""),
                service: row.string(3), until: row.int64(4).map(Self.date), reason: row.string(5),
                created: Self.date(row.int64(6) ?? 0))
        }
    }

    /// Removes the ack with this id; false when there is none.
    public func removeAck(id: Int64) throws -> Bool {
        try db.execute("DELETE FROM ack WHERE id = ?", [id])
        return db.changes == 1
    }

    /// `items` without the tags an ack in force hides, and without the entries left with no tag.
    public func withoutAcknowledged(_ items: [(entry: StoredEntry, tags: [EntryTag])],
                                    at now: Date = WallClock.now()) throws -> [(entry: StoredEntry, tags: [EntryTag])] {
        let acks = try acks(at: now)
        guard !acks.isEmpty else { return items }
        return items.compactMap { item in
            let tags = item.tags.filter { tag in !acks.contains { $0.hides(tag, of: item.entry, at: now) } }
            return tags.isEmpty ? nil : (item.entry, tags)
        }
    }
}
