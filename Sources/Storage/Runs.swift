import FoundationEssentials
import Models
import SQLite
#if canImport(Glibc)
import Glibc
#endif

/// What one run of a command did, as the `run` table keeps it.
public struct RunSummary: Sendable, Hashable {
    public var feeds = 0
    public var changed = 0
    public var unchanged = 0
    public var failed = 0
    public var newEntries = 0
    public var revisedEntries = 0
    public var tagged = 0
    /// One line per failed feed.
    public var failures: [String] = []
    public var exitCode: Int32 = 0

    public init() {}
}

/// A run as recorded: when and by which process, and its summary once it finished.
public struct RunRecord: Sendable, Hashable {
    public var id: Int64
    public var command: String
    public var pid: Int
    public var startedAt: Date
    /// Nil while running, or when the run was killed.
    public var finishedAt: Date?
    public var summary: RunSummary
}

extension Store {
    /// Records that `command` started; finish it with `finishRun`.
    public func beginRun(_ command: String, at now: Date = WallClock.now()) throws -> Int64 {
        try db.execute("INSERT INTO run (command, pid, started_at) VALUES (?, ?, ?)",
                       [command, Int(getpid()), Int64(now.timeIntervalSince1970)])
        return db.lastInsertRowID
    }

    /// Records what the run `id` did.
    public func finishRun(_ id: Int64, _ summary: RunSummary, at now: Date = WallClock.now()) throws {
        try db.execute("""
            UPDATE run SET finished_at = ?, exit_code = ?, feeds = ?, changed = ?, unchanged = ?, failed = ?,
                new_entries = ?, revised_entries = ?, tagged = ?, failures = ? WHERE id = ?
            """, [Int64(now.timeIntervalSince1970), Int(summary.exitCode), summary.feeds, summary.changed,
                  summary.unchanged, summary.failed, summary.newEntries, summary.revisedEntries, summary.tagged,
                  summary.failures.joined(separator: "\n"), id])
    }

    /// The latest runs, newest first.
    public func recentRuns(limit: Int = 20) throws -> [RunRecord] {
        try db.rows("""
            SELECT id, command, pid, started_at, finished_at, exit_code, feeds, changed, unchanged, failed,
                   new_entries, revised_entries, tagged, failures
            FROM run ORDER BY started_at DESC, id DESC LIMIT ?
            """, [limit]).map { row in
            var summary = RunSummary()
            summary.exitCode = Int32(row.int(5) ?? 0)
            (summary.feeds, summary.changed, summary.unchanged) = (row.int(6)!, row.int(7)!, row.int(8)!)
            (summary.failed, summary.newEntries, summary.revisedEntries) = (row.int(9)!, row.int(10)!, row.int(11)!)
            summary.tagged = row.int(12)!
            summary.failures = Self.list(row.string(13))
            return RunRecord(id: row.int64(0)!, command: row.string(1)!, pid: row.int(2)!,
                             startedAt: Self.date(row.int64(3)!), finishedAt: row.int64(4).map(Self.date),
                             summary: summary)
        }
    }

    /// Takes the lock that keeps two runs on this database from overlapping (see `RunLock`).
    public func lockRuns(waitingUpTo seconds: Double, onWait: (_ holder: String) -> Void = { _ in }) throws
        -> any RunLease {
        try RunLock(path: path + ".lock", wait: seconds, onWait: onWait)
    }
}
