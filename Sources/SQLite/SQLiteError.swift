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

    public init(code: Int32, message: String, sql: String? = nil, path: String) {
        self.code = code
        self.message = message
        self.sql = sql
        self.path = path
    }

    public var description: String {
        if let sql {
            let oneLine = sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            return "sqlite: \(message) (code \(code)) in `\(oneLine)` on \(path)"
        }
        return "sqlite: \(message) (code \(code)) on \(path)"
    }

    /// True when another connection holds the lock longer than the busy timeout.
    public var isBusy: Bool { code & 0xff == 5 || code & 0xff == 6 }

    /// True when the statement was interrupted (`SQLiteConnection.withTimeLimit`).
    public var isInterrupted: Bool { code & 0xff == 9 }
}
