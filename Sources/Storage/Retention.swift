import FoundationEssentials
import SQLite

/// What a prune removed, or would remove.
public struct PruneReport: Sendable, Hashable {
    /// Entries older than the cutoff that were (or would be) deleted.
    public var removed: Int
    /// Entries older than the cutoff kept because they are tagged.
    public var keptTagged: Int
    /// Why the search index could not be merged after the deletion (a full disk: the merge
    /// writes the new index before it frees the old), or nil. The deletion stands either way.
    public var mergeFailure: String?

    public init(removed: Int, keptTagged: Int, mergeFailure: String? = nil) {
        self.removed = removed
        self.keptTagged = keptTagged
        self.mergeFailure = mergeFailure
    }
}

extension Store {
    /// Deletes the entries dated before `cutoff` (with their tags and deliveries), the run
    /// summaries and the sends (`dispatch`) started before it, in one transaction. Entries tagged with a service,
    /// delivered or still waiting to be, are kept unless `includingTagged`. A deleted entry
    /// its feed still lists is not stored again (`pruned_entry`). The search index is then
    /// merged, in a transaction of its own, so that it gives up the space of what was deleted;
    /// a merge that fails (it needs about the index's size in free disk) leaves the deletion
    /// done and is said in the report (`mergeFailure`).
    @discardableResult
    public func prune(before cutoff: Date, includingTagged: Bool = false, dryRun: Bool = false) throws -> PruneReport {
        var report = try delete(before: cutoff, includingTagged: includingTagged, dryRun: dryRun)
        if !dryRun, report.removed > 0 {
            // The search index keeps a deleted entry's terms, and adds its delete marker,
            // until a merge reaches the segment that holds them: with automerge at 16
            // segments a level, years of daily runs. A weekly prune left the index, and the
            // file, growing with every entry ever stored (make soak: +50% in 245 days at a
            // flat count of entries). Merged whole here, it holds only what is kept.
            do {
                try db.transaction { try db.executeScript("INSERT INTO entry_fts (entry_fts) VALUES ('optimize')") }
            } catch {
                report.mergeFailure = "\(error)"
            }
        }
        return report
    }

    /// The deletion of `prune`, in one transaction.
    private func delete(before cutoff: Date, includingTagged: Bool, dryRun: Bool) throws -> PruneReport {
        let seconds = Int64(cutoff.timeIntervalSince1970)
        let old = "coalesce(published, updated, first_seen) < ?"
        let tagged = "id IN (SELECT entry_id FROM tag)"
        return try db.transaction {
            let taggedCount = try db.firstRow("SELECT count(*) FROM entry WHERE \(old) AND \(tagged)",
                                              [seconds])?.int(0) ?? 0
            let condition = includingTagged ? old : "\(old) AND NOT \(tagged)"
            if dryRun {
                let count = try db.firstRow("SELECT count(*) FROM entry WHERE \(condition)", [seconds])?.int(0) ?? 0
                return PruneReport(removed: count, keptTagged: includingTagged ? 0 : taggedCount)
            }
            // Remembered, so that a feed still listing them does not give them back as new.
            try db.execute("""
                INSERT OR IGNORE INTO pruned_entry (feed_id, entry_id) SELECT feed_id, entry_id FROM entry
                WHERE \(condition)
                """, [seconds])
            try db.execute("DELETE FROM entry WHERE \(condition)", [seconds])
            let removed = db.changes
            try db.execute("DELETE FROM run WHERE started_at < ?", [seconds])
            // The log of sends too (one row a run and channel, an hourly --alert's included),
            // but not one still 'sending': the next delivery reports it as interrupted.
            try db.execute("DELETE FROM dispatch WHERE started_at < ? AND status != 'sending'", [seconds])
            return PruneReport(removed: removed, keptTagged: includingTagged ? 0 : taggedCount)
        }
    }

    /// Merges the full-text index's segments and rewrites the database file without its
    /// free pages. Slow on a large database, and needs as much free disk again: only on request.
    public func vacuum() throws {
        try db.executeScript("INSERT INTO entry_fts (entry_fts) VALUES ('optimize')")
        try db.executeScript("VACUUM")
    }

    /// The database file's size in bytes (pages in use and free), without the WAL.
    public func fileSize() throws -> Int {
        let pages = try db.firstRow("PRAGMA page_count")?.int(0) ?? 0
        let size = try db.firstRow("PRAGMA page_size")?.int(0) ?? 0
        return pages * size
    }
}
