/// An SQLite call that failed: the result code, SQLite's own message, and the object
/// it was working on (the SQL text or the database file).
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The primary or extended result code (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, …).
    public let code: Int32
    /// `sqlite3_errmsg` at the time of the failure.
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?
    /// The database file.
    public let path: String
    /// The operating system's reason, for a failure of the file itself ("No space left on
    /// device" behind SQLite's "disk I/O error").
    public let systemReason: String?

    public init(code: Int32, message: String, sql: String? = nil, path: String, systemReason: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
        self.path = path
        self.systemReason = systemReason
    }

    /// One line: the message, and the statement by its first words only (a whole INSERT
    /// with its column list, or a schema script, is no help to a user reading an error).
    public var description: String {
        let message = self.message + (systemReason.map { ": \($0)" } ?? "")
        if let sql {
            return "sqlite: \(message) (code \(code)) in `\(Self.opening(of: sql))` on \(path)"
        }
        return "sqlite: \(message) (code \(code)) on \(path)"
    }

    /// The result codes of a failure of the file itself, which the system's error explains.
    static func concernsTheFile(_ code: Int32) -> Bool {
        [10, 13, 14].contains(code & 0xff)  // SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN
    }

    /// The first words of `sql` on one line, up to about 60 characters, with "…" when cut.
    static func opening(of sql: String, limit: Int = 60) -> String {
        var shown = ""
        for word in sql.split(whereSeparator: \.isWhitespace) {
            guard shown.count + word.count < limit else { return shown + " …" }
            shown += (shown.isEmpty ? "" : " ") + word
        }
        return shown
    }

    /// True when another connection holds the lock longer than the busy timeout.
    public var isBusy: Bool { code & 0xff == 5 || code & 0xff == 6 }

    /// True when the disk (or the file's page limit) had no room for what was written.
    public var isDiskFull: Bool { code & 0xff == 13 }

    /// True when the statement was interrupted (`SQLiteConnection.withTimeLimit`).
    public var isInterrupted: Bool { code & 0xff == 9 }
}
