internal import CSQLite3
#if canImport(Glibc)
import Glibc
#endif

/// An open SQLite database. Owns its `sqlite3` handle and closes it in `deinit`.
///
/// Not `Sendable`: one connection is used by one thread at a time (open one per process
/// or per task; SQLite's WAL mode lets them read and write side by side).
public final class SQLiteConnection {
    let handle: OpaquePointer
    /// The database file, for error messages.
    public let path: String
    private var statementCache: [String: SQLiteStatement] = [:]

    /// How a connection may use its file.
    public enum Access: Sendable {
        /// Read and write; the file is created when missing.
        case readWrite
        /// Read only, with the usual locks (a write-ahead log's index must exist or be creatable).
        case readOnly
        /// Read only, without locks or the write-ahead log: for a file on a read-only mount or
        /// in a directory the user may not write, which nothing can change meanwhile.
        /// - SeeAlso: https://www.sqlite.org/uri.html#uriimmutable
        case immutable
    }

    /// Opens (and creates, with mode 0600, when missing) the database at `path`.
    /// - Parameter busyTimeout: how long a write waits for another connection's lock.
    /// - Parameter access: `readOnly` and `immutable` neither create nor change the file.
    /// - SeeAlso: https://www.sqlite.org/c3ref/open.html
    public init(path: String, busyTimeout milliseconds: Int32 = 5_000, access: Access = .readWrite) throws(SQLiteError) {
        self.path = path
        if access == .readWrite, path != ":memory:" {
            // Created here, before SQLite sees it, so the file is never readable by others.
            // Only when missing (O_EXCL): closing a descriptor of a file drops every POSIX lock
            // this process holds on it, so opening and closing an existing database would
            // take its locks from another connection of the process (and let a second process
            // delete the write-ahead log that connection still uses).
            let descriptor = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600)
            guard descriptor >= 0 || errno == EEXIST else {
                throw SQLiteError(code: SQLITE_CANTOPEN,
                                  message: "cannot open: \(String(cString: strerror(errno)))", path: path)
            }
            if descriptor >= 0 { close(descriptor) }
        }
        var db: OpaquePointer?
        let code: Int32
        switch access {
        case .readWrite:
            code = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        case .readOnly, .immutable:
            // A URI, for its parameters; its path part escapes what a URI would read otherwise.
            var uri = "file:"
            for character in path {
                switch character {
                case "%": uri += "%25"
                case "?": uri += "%3f"
                case "#": uri += "%23"
                default: uri.append(character)
                }
            }
            uri += access == .immutable ? "?mode=ro&immutable=1" : "?mode=ro"
            code = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nil)
        }
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            let reason = db.flatMap { Self.systemReason($0, code: code) }
            sqlite3_close_v2(db)
            throw SQLiteError(code: code, message: message, path: path, systemReason: reason)
        }
        self.handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, milliseconds)
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that take no parameters (schema, pragmas).
    /// - SeeAlso: https://www.sqlite.org/c3ref/exec.html
    public func executeScript(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(code: code, message: text, sql: sql, path: path,
                              systemReason: Self.systemReason(handle, code: code))
        }
    }

    /// The most statements a connection keeps compiled. The code's own are a few dozen; a
    /// search's text depends on the query's shape, so a process that runs many different
    /// searches would otherwise keep every one (`make fuzz`'s search target grew by 0.8 KB an
    /// input).
    static let cachedStatements = 256

    /// The statements kept compiled now.
    var cachedStatementCount: Int { statementCache.count }

    /// A prepared statement for `sql`, compiled once per connection and reused. When the
    /// cache is full it is emptied first; a statement a caller still holds is finalized when
    /// the caller lets it go.
    public func statement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = statementCache[sql] { return cached }
        let statement = try SQLiteStatement(connection: self, sql: sql)
        if statementCache.count >= Self.cachedStatements { statementCache.removeAll() }
        statementCache[sql] = statement
        return statement
    }

    /// Runs `sql` once with `values` bound.
    public func execute(_ sql: String, _ values: [any SQLiteBindable] = []) throws(SQLiteError) {
        try statement(sql).execute(values)
    }

    /// Runs the query `sql` with `values` bound and returns all its rows.
    public func rows(_ sql: String, _ values: [any SQLiteBindable] = []) throws(SQLiteError) -> [SQLiteRow] {
        try statement(sql).rows(values)
    }

    /// The first row of the query, or nil.
    public func firstRow(_ sql: String, _ values: [any SQLiteBindable] = []) throws(SQLiteError) -> SQLiteRow? {
        try rows(sql, values).first
    }

    /// The rowid of the last successful INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws,
    /// and rethrows the body's error (not a rollback's). Inside another transaction it
    /// becomes a savepoint, so a failing inner body undoes only its own writes.
    public func transaction<T>(immediate: Bool = true, _ body: () throws -> T) throws -> T {
        if !isAutocommit { return try savepoint(body) }
        try executeScript(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
        let result: T
        do {
            result = try body()
        } catch {
            try? executeScript("ROLLBACK")
            throw error
        }
        do {
            try executeScript("COMMIT")
        } catch {
            try? executeScript("ROLLBACK")
            throw error
        }
        return result
    }

    /// False while a transaction is open.
    /// - SeeAlso: https://www.sqlite.org/c3ref/get_autocommit.html
    public var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    private func savepoint<T>(_ body: () throws -> T) throws -> T {
        try executeScript("SAVEPOINT nested")
        do {
            let result = try body()
            try executeScript("RELEASE nested")
            return result
        } catch {
            try? executeScript("ROLLBACK TO nested; RELEASE nested")
            throw error
        }
    }

    func error(code: Int32, sql: String?) -> SQLiteError {
        SQLiteError(code: code, message: String(cString: sqlite3_errmsg(handle)), sql: sql, path: path,
                    systemReason: Self.systemReason(handle, code: code))
    }

    /// Why the system refused what SQLite asked of the file, for an I/O error, a full disk
    /// or a file that cannot be opened: SQLite's own words ("disk I/O error") do not say
    /// that the disk is full (`make soak` fills one).
    /// - SeeAlso: https://www.sqlite.org/c3ref/system_errno.html
    static func systemReason(_ handle: OpaquePointer, code: Int32) -> String? {
        guard SQLiteError.concernsTheFile(code) else { return nil }
        let number = sqlite3_system_errno(handle)
        return number == 0 ? nil : String(cString: strerror(number))
    }

    /// Runs `body` with a bound on the time its statements take: once `limit` has passed,
    /// the statement running is interrupted and fails with `SQLITE_INTERRUPT`
    /// (`SQLiteError.isInterrupted`). SQLite looks at the clock every few thousand steps of
    /// its virtual machine.
    /// - SeeAlso: https://www.sqlite.org/c3ref/progress_handler.html
    public func withTimeLimit<T>(_ limit: Duration, _ body: () throws -> T) throws -> T {
        let deadline = Deadline(ContinuousClock.now + limit)
        sqlite3_progress_handler(handle, 4000, { context in
            guard let context else { return 0 }
            return Unmanaged<Deadline>.fromOpaque(context).takeUnretainedValue().hasPassed ? 1 : 0
        }, Unmanaged.passUnretained(deadline).toOpaque())
        defer {
            sqlite3_progress_handler(handle, 0, nil, nil)
            withExtendedLifetime(deadline) {}
        }
        return try body()
    }

    /// An instant the progress handler compares the clock with.
    private final class Deadline {
        let instant: ContinuousClock.Instant
        init(_ instant: ContinuousClock.Instant) { self.instant = instant }
        var hasPassed: Bool { ContinuousClock.now >= instant }
    }
}

@available(*, unavailable)
extension SQLiteConnection: Sendable {}
