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
    /// `execute(_:)`, for a statement run once per row of a bulk write: no existential box per
    /// value, and text is bound where it lies (SQLITE_STATIC) rather than copied by SQLite,
    /// since it outlives the run; the bindings are cleared before this returns.
    public func execute(values: [SQLiteValue]) throws(SQLiteError) {
        sqlite3_reset(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == expected else {
            throw SQLiteError(code: SQLITE_RANGE, message: "expected \(expected) parameters, got \(values.count)",
                              sql: sql, path: connection.path)
        }
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        try bindInPlaceAndRun(values[...], at: 1)
    }

    /// Binds the first of `values` at `index` (text in place, inside `withUTF8`), then the
    /// rest, then runs the statement while all of them are still alive.
    private func bindInPlaceAndRun(_ values: ArraySlice<SQLiteValue>, at index: Int32) throws(SQLiteError) {
        guard let value = values.first else {
            while try step() {}
            return
        }
        guard case .text(var text) = value, !text.isEmpty else {
            // Numbers, NULL, empty text ("", not NULL) and blobs: bound as `bind` does.
            try bind(value, at: index)
            return try bindInPlaceAndRun(values.dropFirst(), at: index + 1)
        }
        let result = text.withUTF8 { utf8 in
            let code = utf8.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text64(handle, index, $0.baseAddress, sqlite3_uint64($0.count), nil, UInt8(SQLITE_UTF8))
            }
            guard code == SQLITE_OK else { return Result<Void, SQLiteError>.failure(connection.error(code: code, sql: sql)) }
            return Result { () throws(SQLiteError) in try bindInPlaceAndRun(values.dropFirst(), at: index + 1) }
        }
        try result.get()
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
