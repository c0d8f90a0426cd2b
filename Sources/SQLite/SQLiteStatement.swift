internal import CSQLite3

/// A prepared statement. Owns its `sqlite3_stmt` and finalizes it in `deinit`.
///
/// Confined to the connection's thread of use, like the connection itself.
public final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let connection: SQLiteConnection
    /// The SQL text, for error messages.
    public let sql: String

    init(connection: SQLiteConnection, sql: String) throws(SQLiteError) {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection.handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw connection.error(code: code, sql: sql)
        }
        self.handle = statement
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Clears earlier bindings and binds `values` to parameters 1…n.
    /// - SeeAlso: https://www.sqlite.org/c3ref/bind_blob.html
    public func bind(_ values: [any SQLiteBindable]) throws(SQLiteError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == expected else {
            throw SQLiteError(code: SQLITE_RANGE,
                              message: "expected \(expected) parameters, got \(values.count)",
                              sql: sql, path: connection.path)
        }
        for (offset, value) in values.enumerated() {
            try bind(value.sqliteValue, at: Int32(offset + 1))
        }
    }

    /// Binds one value at `index`; SQLite keeps its own copy of text and blobs.
    private func bind(_ value: SQLiteValue, at index: Int32) throws(SQLiteError) {
        let code: Int32 = switch value {
        case .null: sqlite3_bind_null(handle, index)
        case .integer(let number): sqlite3_bind_int64(handle, index, number)
        case .real(let number): sqlite3_bind_double(handle, index, number)
        case .text(let text) where text.isEmpty:
            sqlite3_bind_text(handle, index, "", 0, csqlite3_transient())  // "", not NULL
        case .text(var text):
            // By byte count, not NUL-terminated: text may hold NUL characters.
            text.withUTF8 { utf8 in
                utf8.withMemoryRebound(to: CChar.self) {
                    sqlite3_bind_text64(handle, index, $0.baseAddress, sqlite3_uint64($0.count),
                                        csqlite3_transient(), UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let bytes):
            bytes.withUnsafeBytes {
                sqlite3_bind_blob64(handle, index, $0.baseAddress, sqlite3_uint64($0.count), csqlite3_transient())
            }
        }
        guard code == SQLITE_OK else { throw connection.error(code: code, sql: sql) }
    }

    /// Advances to the next row: true when a row is ready, false when done.
    /// - SeeAlso: https://www.sqlite.org/c3ref/step.html
    public func step() throws(SQLiteError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let error = connection.error(code: code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Runs the statement to completion with `values` bound.
    public func execute(_ values: [any SQLiteBindable] = []) throws(SQLiteError) {
        try bind(values)
        while try step() {}
        sqlite3_reset(handle)
    }

    /// Runs the statement to completion once with `values` bound to parameters 1…n, like
    /// `execute(_:)`, for statements of a bulk write: no existential box per value, and the
    /// text is copied once into one buffer that outlives the run and bound from there
    /// (SQLITE_STATIC), rather than into an allocation of SQLite's per value. The bindings
    /// are cleared before this returns.
    public func execute(values: [SQLiteValue]) throws(SQLiteError) {
        sqlite3_reset(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == expected else {
            throw SQLiteError(code: SQLITE_RANGE, message: "expected \(expected) parameters, got \(values.count)",
                              sql: sql, path: connection.path)
        }
        var bytes = 0
        for case .text(let text) in values { bytes += text.utf8.count }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes), alignment: 1)
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            buffer.deallocate()
        }
        var used = 0
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            // Numbers, NULL, empty text ("", not NULL) and blobs: bound as `bind` does.
            guard case .text(var text) = value, !text.isEmpty else {
                try bind(value, at: index)
                continue
            }
            let start = used
            used += text.withUTF8 { utf8 in
                UnsafeMutableRawBufferPointer(rebasing: buffer[start..<start + utf8.count]).copyMemory(from: .init(utf8))
                return utf8.count
            }
            let code = sqlite3_bind_text64(handle, index, (buffer.baseAddress! + start).assumingMemoryBound(to: CChar.self),
                                           sqlite3_uint64(used - start), nil, UInt8(SQLITE_UTF8))
            guard code == SQLITE_OK else { throw connection.error(code: code, sql: sql) }
        }
        while try step() {}
    }

    /// Runs the statement with `values` bound and returns every row.
    public func rows(_ values: [any SQLiteBindable] = []) throws(SQLiteError) -> [SQLiteRow] {
        try bind(values)
        var rows: [SQLiteRow] = []
        while try step() { rows.append(currentRow()) }
        sqlite3_reset(handle)
        return rows
    }

    /// The row the last `step()` produced.
    public func currentRow() -> SQLiteRow {
        SQLiteRow((0..<sqlite3_column_count(handle)).map(column))
    }

    private func column(_ index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard let text = sqlite3_column_text(handle, index) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard let blob = sqlite3_column_blob(handle, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default:
            return .null
        }
    }
}

@available(*, unavailable)
extension SQLiteStatement: Sendable {}
