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
    ///
    /// The deletion needs free disk too: FTS5 writes a delete marker for each entry, and
    /// merges segments as it does (the whole index, at worst). On a disk too full for it,
    /// nothing is deleted and the error says how much room to make.
    @discardableResult
    public func prune(before cutoff: Date, includingTagged: Bool = false, dryRun: Bool = false) throws -> PruneReport {
        var report: PruneReport
        do {
            report = try delete(before: cutoff, includingTagged: includingTagged, dryRun: dryRun)
        } catch let error as SQLiteError where error.isDiskFull {
            throw StoreError(path: db.path, reason: "prune: the disk is full, nothing was deleted (\(error.message)); "
                + "a prune needs up to \(roomForIndexMerge()) free, then run it again")
        }
        if !dryRun, report.removed > 0 {
            // The search index keeps a deleted entry's terms, and adds its delete marker,
            // until a merge reaches the segment that holds them: with automerge at 16
            // segments a level, years of daily runs. A weekly prune left the index, and the
            // file, growing with every entry ever stored (make soak: +50% in 245 days at a
            // flat count of entries). Merged whole here, it holds only what is kept.
            do {
                try db.transaction { try mergeSearchIndex() }
            } catch let error as SQLiteError where error.isDiskFull {
                report.mergeFailure = "\(error.message): the merge needs up to \(roomForIndexMerge()) free"
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
        try mergeSearchIndex()
        try db.executeScript("VACUUM")
    }

    /// Merges the search index's segments into one, which keeps only the entries there are:
    /// it writes the new index whole before it frees the old.
    private func mergeSearchIndex() throws {
        try db.executeScript("INSERT INTO entry_fts (entry_fts) VALUES ('optimize')")
    }

    /// The bytes the search index takes (its segments, in FTS5's `entry_fts_data`).
    func searchIndexBytes() throws -> Int {
        try db.firstRow("SELECT coalesce(sum(length(block)), 0) FROM entry_fts_data")?.int(0) ?? 0
    }

    /// The free disk a merge of the search index may need, as a user reads it: twice the
    /// index's size (the new index, and the WAL that holds it until a checkpoint), said in MiB.
    private func roomForIndexMerge() -> String {
        guard let bytes = try? searchIndexBytes() else { return "about twice the search index's size" }
        let needed = max(1, (2 * bytes + 1_048_575) / 1_048_576)
        let tenths = (bytes * 10 + 524_288) / 1_048_576
        return "\(needed) MiB (twice the search index's \(tenths / 10).\(tenths % 10) MiB)"
    }

    /// The database file's size in bytes (pages in use and free), without the WAL.
    public func fileSize() throws -> Int {
        let pages = try db.firstRow("PRAGMA page_count")?.int(0) ?? 0
        let size = try db.firstRow("PRAGMA page_size")?.int(0) ?? 0
        return pages * size
    }
}
