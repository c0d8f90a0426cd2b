import FoundationEssentials
import SQLite

/// What FTS5's own check found in the search index (`entry_fts`): SQLite's integrity check
/// does not look inside it, so an index that no longer matches the entries, or whose
/// pages are damaged, passes that one.
public enum SearchIndexCondition: Sendable, Equatable {
    case ok
    /// The index is damaged or does not match the entries: FTS5's message.
    case damaged(String)
    /// Not checked, and why: FTS5 runs its check as a write statement (rolled back, so
    /// nothing changes), which a file this user may only read refuses.
    case notChecked(String)
}

extension Store {
    /// `PRAGMA integrity_check`: ["ok"] when the file is sound, else SQLite's findings.
    public func integrityCheck() throws -> [String] {
        try db.rows("PRAGMA integrity_check").compactMap { $0.string(0) }
    }

    /// `PRAGMA integrity_check` of the database file at `path`, opened read-only and as it
    /// is (no schema upgrade: a damaged file is never changed): ["ok"] or SQLite's findings.
    public static func integrityCheck(ofFileAt path: String) throws -> [String] {
        var db = try SQLiteConnection(path: path, access: .readOnly)
        if (try? db.firstRow("SELECT count(*) FROM sqlite_master")) == nil {
            db = try SQLiteConnection(path: path, access: .immutable)
        }
        return try db.rows("PRAGMA integrity_check").compactMap { $0.string(0) }
    }

    /// FTS5's integrity check of the search index of the file at `path`, against the entries
    /// it indexes, in a transaction rolled back, without the schema upgrade a `Store` makes:
    /// a file whose pages `integrityCheck(ofFileAt:)` found sound is left as it was.
    public static func searchIndexCheck(ofFileAt path: String) -> SearchIndexCondition {
        guard FileManager.default.isWritableFile(atPath: path) else {
            return .notChecked("the file is read-only to this user")
        }
        let db: SQLiteConnection
        do {
            db = try SQLiteConnection(path: path)
            guard try db.firstRow("SELECT 1 FROM sqlite_master WHERE name = 'entry_fts'") != nil else {
                return .notChecked("the file has no search index")
            }
            try db.executeScript("BEGIN IMMEDIATE")
        } catch {
            return .notChecked("it could not be opened for the check (\(error.message))")
        }
        defer { try? db.executeScript("ROLLBACK") }
        do {
            // A rank of 1 compares the index with the entries too, not only its own pages.
            try db.execute("INSERT INTO entry_fts (entry_fts, rank) VALUES ('integrity-check', 1)")
            return .ok
        } catch {
            return .damaged(error.message)
        }
    }

    /// Builds the search index again from the entries (FTS5's `rebuild`), in one
    /// transaction: what to do when `searchIndexCheck` finds it damaged. Returns the entries indexed.
    public func rebuildSearchIndex() throws -> Int {
        try db.transaction {
            try db.executeScript("INSERT INTO entry_fts (entry_fts) VALUES ('rebuild')")
            return try db.firstRow("SELECT count(*) FROM entry")?.int(0) ?? 0
        }
    }
}
