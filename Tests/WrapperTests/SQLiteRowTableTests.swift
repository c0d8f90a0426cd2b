@testable import SQLite
import TestSupport
import Testing

/// Rows of fixed values, as `EntryWriter` gives its entries to `staged_entry`.
private struct Rows: SQLiteRowSource {
    var values: [[SQLiteValue]]
    var rowCount: Int { values.count }
    func value(row: Int, column: Int) -> SQLiteValue { values[row][column] }
}

@Suite struct SQLiteRowTableTests {
    private static let rows = Rows(values: [
        [.integer(7), .text("seven"), .real(0.5), .blob([0, 1, 2])],
        [.null, .text("nul\u{0}inside"), .integer(-1), .blob([])],
        [.integer(Int64.max), .text(""), .null, .text("é, not ASCII")],
    ])

    @Test func statementsReadTheRowsInPlaceWithTheirPositions() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let table = try db.createRowTable("given", columns: ["a", "b", "c", "d"])
        let read = try table.withRows(Self.rows) {
            try db.rows("SELECT position, a, b, c, d FROM given ORDER BY position")
        }
        #expect(read.count == 3)
        for (position, row) in read.enumerated() {
            #expect(row.int64(0) == Int64(position))
            for column in 0..<4 { #expect(row[column + 1] == Self.rows.values[position][column]) }
        }
    }

    @Test func itIsEmptyOutsideWithRows() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let table = try db.createRowTable("given", columns: ["a"])
        #expect(try db.firstRow("SELECT count(*) FROM given")?.int(0) == 0)
        try table.withRows(Self.rows) { () throws in
            #expect(try db.firstRow("SELECT count(*) FROM given")?.int(0) == 3)
        }
        #expect(try db.firstRow("SELECT count(*) FROM given")?.int(0) == 0)
        // Also when the body throws.
        #expect(throws: SQLiteError.self) {
            try table.withRows(Self.rows) { try db.executeScript("SELECT nothing FROM given") }
        }
        #expect(try db.firstRow("SELECT count(*) FROM given")?.int(0) == 0)
    }

    /// What the upsert does with it: insert from it, in its order, and join and filter on it.
    @Test func itFeedsInsertsJoinsAndFilters() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let table = try db.createRowTable("given", columns: ["key", "name"])
        try db.executeScript("CREATE TABLE t (id INTEGER PRIMARY KEY, key INTEGER UNIQUE, name TEXT)")
        let rows = Rows(values: (0..<1000).map { [.integer(Int64($0 * 3 % 1000)), .text("row \($0)")] })
        try table.withRows(rows) {
            try db.execute("INSERT INTO t (key, name) SELECT key, name FROM given WHERE true ORDER BY position")
            let joined = try db.rows("""
                SELECT g.position, t.id FROM given g JOIN t ON t.key = g.key WHERE g.name LIKE 'row 99%' ORDER BY g.position
                """)
            #expect(joined.map { $0.int(0) } == [99, 990, 991, 992, 993, 994, 995, 996, 997, 998, 999])
            #expect(joined.map { $0.int(1) } == joined.map { ($0.int(0) ?? 0) + 1 })
        }
        #expect(try db.rows("SELECT name FROM t ORDER BY id LIMIT 3").map { $0.string(0) } == ["row 0", "row 1", "row 2"])
    }

    /// A scan goes in `position` order, so ordering by it sorts nothing.
    @Test func orderingByPositionSortsNothing() throws {
        let db = try SQLiteConnection(path: ":memory:")
        _ = try db.createRowTable("given", columns: ["a"])
        let plan = try db.rows("EXPLAIN QUERY PLAN SELECT a FROM given ORDER BY position").compactMap { $0.string(3) }
        #expect(!plan.isEmpty)
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
        let other = try db.rows("EXPLAIN QUERY PLAN SELECT a FROM given ORDER BY a").compactMap { $0.string(3) }
        #expect(other.contains { $0.contains("TEMP B-TREE") }, "\(other)")
    }

    @Test func itCannotBeWrittenAndLeavesNoTraceInTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("rows.sqlite3")
        do {
            let db = try SQLiteConnection(path: path)
            let table = try db.createRowTable("given", columns: ["a"])
            let error = #expect(throws: SQLiteError.self) {
                try table.withRows(Self.rows) { try db.execute("INSERT INTO given (a) VALUES (1)") }
            }
            #expect(error?.description.contains("given") == true, "\(String(describing: error))")
            #expect(throws: SQLiteError.self) { try db.execute("CREATE VIRTUAL TABLE other USING given") }
            #expect(try db.firstRow("SELECT count(*) FROM sqlite_master")?.int(0) == 0)
        }
        // Another connection has no such table.
        let other = try SQLiteConnection(path: path)
        #expect(throws: SQLiteError.self) { try other.rows("SELECT * FROM given") }
    }

    /// Names are quoted as SQL identifiers.
    @Test func columnNamesAreQuoted() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let table = try db.createRowTable("given", columns: ["select", "with \"quotes\""])
        let row = try table.withRows(Rows(values: [[.integer(1), .integer(2)]])) {
            try db.firstRow("SELECT \"select\", \"with \"\"quotes\"\"\" FROM given")
        }
        #expect(row?.int(0) == 1)
        #expect(row?.int(1) == 2)
    }
}
