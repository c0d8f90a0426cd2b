internal import CSQLite3

/// Rows held in Swift that statements read through an `SQLiteRowTable`.
public protocol SQLiteRowSource {
    var rowCount: Int { get }
    /// Column `column` of row `row`; 0 is the first of the table's `columns`.
    func value(row: Int, column: Int) -> SQLiteValue
}

/// A table whose rows are Swift values: statements read them in place, where a temporary
/// table would have each row bound, inserted into a B-tree and read back out first.
///
/// It is an eponymous virtual table, read only, that exists on its connection alone and
/// writes nothing to the file. Its first column, `position`, is the row's index: a scan goes
/// in that order, so `ORDER BY position` sorts nothing. It is empty except while `withRows`
/// runs. Made by `SQLiteConnection.createRowTable`; SQLite keeps it (and so the module it
/// owns) until the connection closes.
/// - SeeAlso: https://www.sqlite.org/vtab.html#eponymous_only_virtual_tables
public final class SQLiteRowTable {
    public let name: String
    /// The columns after `position`.
    public let columns: [String]
    /// The module's methods; SQLite reads them through this pointer for as long as the
    /// module is registered, that is until it releases this table.
    fileprivate let module: UnsafeMutablePointer<sqlite3_module>
    fileprivate var rows: (any SQLiteRowSource)?

    fileprivate init(name: String, columns: [String]) {
        self.name = name
        self.columns = columns
        module = .allocate(capacity: 1)
        module.initialize(to: Self.methods)
    }

    deinit {
        module.deinitialize(count: 1)
        module.deallocate()
    }

    /// Runs `body` with the table holding `rows`; it is empty again once `body` ends.
    public func withRows<T>(_ rows: some SQLiteRowSource, _ body: () throws -> T) rethrows -> T {
        precondition(self.rows == nil, "\(name) already holds rows")
        self.rows = rows
        defer { self.rows = nil }
        return try body()
    }

    fileprivate var rowCount: Int { rows?.rowCount ?? 0 }

    /// `CREATE TABLE x(…)` as `sqlite3_declare_vtab` wants it.
    fileprivate var declaration: String {
        "CREATE TABLE x(" + (["position"] + columns).map(Self.quoted).joined(separator: ", ") + ")"
    }

    private static func quoted(_ name: String) -> String {
        "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    private static let methods: sqlite3_module = {
        var module = sqlite3_module()
        // Eponymous only: no xCreate, so no CREATE VIRTUAL TABLE; the table exists as its
        // module's name on every connection that registers it.
        module.xConnect = { db, table, _, _, vtab, _ in
            guard let table, let vtab else { return SQLITE_MISUSE }
            let declared = sqlite3_declare_vtab(db, Unmanaged<SQLiteRowTable>.fromOpaque(table)
                .takeUnretainedValue().declaration)
            guard declared == SQLITE_OK else { return declared }
            let made = UnsafeMutablePointer<csqlite3_rows_vtab>.allocate(capacity: 1)
            made.initialize(to: csqlite3_rows_vtab(base: sqlite3_vtab(), table: table))
            vtab.pointee = UnsafeMutableRawPointer(made).assumingMemoryBound(to: sqlite3_vtab.self)
            return SQLITE_OK
        }
        module.xDisconnect = { vtab in
            UnsafeMutableRawPointer(vtab)?.assumingMemoryBound(to: csqlite3_rows_vtab.self).deallocate()
            return SQLITE_OK
        }
        // Every plan is a scan in `position` order: constraints are left to SQLite to check.
        module.xBestIndex = { vtab, info in
            guard let info else { return SQLITE_MISUSE }
            let count = Double(SQLiteRowTable.of(vtab).rowCount)
            info.pointee.estimatedCost = max(1, count)
            info.pointee.estimatedRows = sqlite3_int64(count)
            if info.pointee.nOrderBy == 1, let order = info.pointee.aOrderBy,
               order.pointee.iColumn == 0, order.pointee.desc == 0 {
                info.pointee.orderByConsumed = 1
            }
            return SQLITE_OK
        }
        module.xOpen = { _, cursor in
            guard let cursor else { return SQLITE_MISUSE }
            let made = UnsafeMutablePointer<csqlite3_rows_cursor>.allocate(capacity: 1)
            made.initialize(to: csqlite3_rows_cursor(base: sqlite3_vtab_cursor(), row: 0))
            cursor.pointee = UnsafeMutableRawPointer(made).assumingMemoryBound(to: sqlite3_vtab_cursor.self)
            return SQLITE_OK
        }
        module.xClose = { cursor in
            UnsafeMutableRawPointer(cursor)?.assumingMemoryBound(to: csqlite3_rows_cursor.self).deallocate()
            return SQLITE_OK
        }
        module.xFilter = { cursor, _, _, _, _ in
            Row.of(cursor).pointee.row = 0
            return SQLITE_OK
        }
        module.xNext = { cursor in
            Row.of(cursor).pointee.row += 1
            return SQLITE_OK
        }
        module.xEof = { cursor in
            Row.of(cursor).pointee.row < SQLiteRowTable.of(cursor?.pointee.pVtab).rowCount ? 0 : 1
        }
        module.xColumn = { cursor, context, column in
            let row = Int(Row.of(cursor).pointee.row)
            let table = SQLiteRowTable.of(cursor?.pointee.pVtab)
            guard let rows = table.rows, row < rows.rowCount, column >= 0, Int(column) <= table.columns.count else {
                return SQLITE_ERROR
            }
            if column == 0 {
                sqlite3_result_int64(context, sqlite3_int64(row))
            } else {
                SQLiteValue.setResult(rows.value(row: row, column: Int(column) - 1), of: context)
            }
            return SQLITE_OK
        }
        module.xRowid = { cursor, rowID in
            rowID?.pointee = Row.of(cursor).pointee.row
            return SQLITE_OK
        }
        return module
    }()

    /// The table behind one of its module's `sqlite3_vtab`s.
    private static func of(_ vtab: UnsafeMutablePointer<sqlite3_vtab>?) -> SQLiteRowTable {
        let made = UnsafeMutableRawPointer(vtab!).assumingMemoryBound(to: csqlite3_rows_vtab.self)
        return Unmanaged<SQLiteRowTable>.fromOpaque(made.pointee.table).takeUnretainedValue()
    }

    /// The module's cursors.
    private enum Row {
        static func of(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>?) -> UnsafeMutablePointer<csqlite3_rows_cursor> {
            UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: csqlite3_rows_cursor.self)
        }
    }
}

extension SQLiteConnection {
    /// Makes the `SQLiteRowTable` `name`, with the columns `position` and then `columns`,
    /// on this connection.
    /// - SeeAlso: https://www.sqlite.org/c3ref/create_module.html
    public func createRowTable(_ name: String, columns: [String]) throws(SQLiteError) -> SQLiteRowTable {
        let table = SQLiteRowTable(name: name, columns: columns)
        // SQLite holds the table from here until it calls the destructor: when the connection
        // closes, the module is replaced, or (at once) registration fails.
        let box = Unmanaged.passRetained(table).toOpaque()
        let code = sqlite3_create_module_v2(handle, name, table.module, box) { box in
            if let box { Unmanaged<SQLiteRowTable>.fromOpaque(box).release() }
        }
        guard code == SQLITE_OK else { throw error(code: code, sql: "row table \(name)") }
        return table
    }
}
