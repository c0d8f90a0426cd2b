import Foundation
@testable import SQLite
import TestSupport
import Testing

@Suite struct SQLiteTests {
    /// Found by `make soak`: on a full disk, opening the store failed with "disk I/O error
    /// (code 4874) in `PRAGMA journal_mode = WAL`", which does not say the disk is full. A
    /// failure of the file carries the system's reason; here, a directory that is a file.
    @Test func aFailureOfTheFileSaysTheSystemsReason() throws {
        let directory = try TemporaryDirectory()
        try directory.write("not a directory", to: "file")
        let path = directory.path("file") + "/store.sqlite3"
        let opening = #expect(throws: SQLiteError.self) { try SQLiteConnection(path: path, access: .readOnly) }
        #expect(opening?.systemReason == "Not a directory")
        #expect(opening?.description.hasPrefix("sqlite: unable to open database file: Not a directory (code 14") == true,
                "\(String(describing: opening))")
        let db = try SQLiteConnection(path: ":memory:")
        let attaching = #expect(throws: SQLiteError.self) { try db.executeScript("ATTACH '\(path)' AS other") }
        #expect(attaching?.systemReason == "Not a directory", "\(String(describing: attaching))")
        // Other failures say what SQLite says, and no more.
        let syntax = #expect(throws: SQLiteError.self) { try db.executeScript("SELEKT 1") }
        #expect(syntax?.systemReason == nil)
        #expect(SQLiteError(code: 4874, message: "disk I/O error", sql: "PRAGMA journal_mode = WAL", path: "/s",
                            systemReason: "No space left on device").description
                == "sqlite: disk I/O error: No space left on device (code 4874) in `PRAGMA journal_mode = WAL` on /s")
    }

    /// A connection keeps at most `cachedStatements` statements compiled, however many
    /// different ones it runs; one a caller holds while the cache empties still works.
    @Test func theStatementCacheIsBounded() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.executeScript("CREATE TABLE t (i INTEGER)")
        try db.execute("INSERT INTO t VALUES (1), (2), (3)")
        let held = try db.statement("SELECT count(*) FROM t WHERE i > ?")
        for n in 0..<(SQLiteConnection.cachedStatements * 3) {
            #expect(try db.firstRow("SELECT \(n) + i FROM t WHERE i = 1")?.int(0) == n + 1)
            #expect(db.cachedStatementCount <= SQLiteConnection.cachedStatements)
        }
        #expect(try held.rows([1]).first?.int(0) == 2)
    }

    @Test func valuesRoundTripThroughBindAndColumns() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.executeScript("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT, e TEXT)")
        try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)",
                       [Int64.max, 2.5, "héllo \u{0}zero", [UInt8]([0, 1, 255]), String?.none, ""])
        let row = try #require(try db.firstRow("SELECT i, r, s, b, n, e FROM t"))
        #expect(row.int64(0) == Int64.max)
        #expect(row.double(1) == 2.5)
        #expect(row.string(2) == "héllo \u{0}zero")
        #expect(row.bytes(3) == [0, 1, 255])
        #expect(row[4] == .null)
        #expect(row[5] == .text(""))
    }

    @Test func valuesBoundInPlaceRoundTripAndAreClearedAfterTheRun() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.executeScript("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT, e TEXT, big TEXT)")
        let insert = try db.statement("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)")
        let big = String(repeating: "ü", count: 100_000)
        for round in 0..<3 {
            // A fresh string each time: what SQLite read in place must not be kept past the run.
            try insert.execute(values: [.integer(Int64.max - Int64(round)), .real(2.5), .text("héllo \u{0}zero \(round)"),
                                        .blob([0, 1, 255]), .null, .text(""), .text(big + "\(round)")])
        }
        let rows = try db.rows("SELECT i, r, s, b, n, e, big FROM t ORDER BY i DESC")
        #expect(rows.count == 3)
        for (round, row) in rows.enumerated() {
            #expect(row.int64(0) == Int64.max - Int64(round))
            #expect(row.double(1) == 2.5)
            #expect(row.string(2) == "héllo \u{0}zero \(round)")
            #expect(row.bytes(3) == [0, 1, 255])
            #expect(row[4] == .null)
            #expect(row[5] == .text(""))
            #expect(row.string(6) == big + "\(round)")
        }
        // The same statement still takes copied bindings afterwards.
        try insert.execute([1, 1.0, "x", [UInt8](), String?.none, "", "y"])
        #expect(try db.firstRow("SELECT count(*) FROM t")?.int(0) == 4)
    }

    @Test func valuesBoundInPlaceReportAWrongCountAndAFailedRun() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.executeScript("CREATE TABLE t (a TEXT PRIMARY KEY, b)")
        let insert = try db.statement("INSERT INTO t VALUES (?, ?)")
        #expect(throws: SQLiteError.self) { try insert.execute(values: [.text("only one")]) }
        try insert.execute(values: [.text("key"), .integer(1)])
        let error = #expect(throws: SQLiteError.self) { try insert.execute(values: [.text("key"), .integer(2)]) }
        #expect(error?.message.contains("UNIQUE") == true)
        #expect(error?.sql == "INSERT INTO t VALUES (?, ?)")
        try insert.execute(values: [.text("other"), .integer(3)])
        #expect(try db.firstRow("SELECT count(*) FROM t")?.int(0) == 2)
    }

    @Test func aBadStatementsErrorNamesTheSQLAndTheFile() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let error = #expect(throws: SQLiteError.self) {
            try db.execute("SELEKT * FROM nowhere")
        }
        #expect(error?.description.contains("SELEKT * FROM nowhere") == true)
        #expect(error?.description.contains("syntax error") == true)
        #expect(error?.description.contains(":memory:") == true)
    }

    @Test func aMissingTableErrorNamesTheSQL() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let error = #expect(throws: SQLiteError.self) {
            _ = try db.rows("SELECT id FROM missing WHERE id = ?", [1])
        }
        #expect(error?.message == "no such table: missing")
        #expect(error?.sql == "SELECT id FROM missing WHERE id = ?")
    }

    @Test func aWrongParameterCountIsAnErrorNotACrash() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.executeScript("CREATE TABLE t (a, b)")
        #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO t VALUES (?, ?)", [1]) }
    }

    @Test func aTransactionRollsBackWhenItsBodyThrows() throws {
        struct Boom: Error {}
        let db = try SQLiteConnection(path: ":memory:")
        try db.executeScript("CREATE TABLE t (a INTEGER)")
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        #expect(try db.firstRow("SELECT count(*) FROM t")?.int(0) == 0)
        try db.transaction { try db.execute("INSERT INTO t VALUES (2)") }
        #expect(try db.firstRow("SELECT count(*) FROM t")?.int(0) == 1)
    }

    @Test func aStatementPastTheTimeLimitIsInterruptedAndTheLimitEndsWithTheBody() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
        do {
            _ = try db.withTimeLimit(.milliseconds(50)) { try db.rows(endless) }
            Issue.record("an endless query returned")
        } catch let error as SQLiteError {
            #expect(error.isInterrupted)
        }
        // The limit is gone: a query longer than it runs to its end.
        let counted = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT count(*) FROM c"
        #expect(try db.withTimeLimit(.seconds(60)) { try db.rows(counted) }.first?.int64(0) == 300_000)
        #expect(try db.rows(counted).first?.int64(0) == 300_000)
    }

    @Test func aNewDatabaseFileIsReadableByItsOwnerOnly() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("new.sqlite3")
        let db = try SQLiteConnection(path: path)
        try db.executeScript("CREATE TABLE t (a)")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test(arguments: [0, 1, 31, 32, 33, 100])
    func rowsInsertedManyAStatementArriveInOrder(count: Int) throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.executeScript("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT, n INTEGER)")
        // Every row twice, the second time with its final value: a later row replaces an earlier one.
        let rows: [[SQLiteValue]] = (0..<count).flatMap { index in
            [[.integer(Int64(index % 7)), .text("first \(index)"), .integer(Int64(index))],
             [.integer(Int64(index % 7)), .text("nul\u{0}inside \(index)"), .null]]
        }
        try db.insert("INSERT INTO t (k, v, n)", rows: rows,
                      tail: "ON CONFLICT (k) DO UPDATE SET v = excluded.v, n = excluded.n", rowsPerStatement: 8)
        let stored = try db.rows("SELECT k, v, n FROM t ORDER BY k")
        let expected = Dictionary((0..<count).map { ($0 % 7, $0) }, uniquingKeysWith: { max($0, $1) })
        #expect(stored.count == expected.count)
        for row in stored {
            let last = try #require(expected[row.int(0) ?? -1])
            #expect(row.string(1) == "nul\u{0}inside \(last)")
            #expect(row[2] == .null)
        }
    }

    @Test func rowsOfDifferentWidthsAreAnErrorNamingTheSQL() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.executeScript("CREATE TABLE t (a, b)")
        let error = #expect(throws: SQLiteError.self) {
            try db.insert("INSERT INTO t (a, b)", rows: [[.integer(1), .integer(2)], [.integer(3)]])
        }
        #expect(error?.description.contains("INSERT INTO t (a, b) VALUES") == true)
        #expect(try db.firstRow("SELECT count(*) FROM t")?.int(0) == 0)
    }

    /// An error is one line, and names a long statement by its first words, not whole.
    @Test func anErrorShowsTheStatementsFirstWordsOnOneLine() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let columns = (1...40).map { "column_\($0)" }.joined(separator: ",\n    ")
        let error = #expect(throws: SQLiteError.self) {
            try db.executeScript("INSERT INTO nowhere (\n    \(columns))\nVALUES (1)")
        }
        let description = try #require(error?.description)
        #expect(description.contains("in `INSERT INTO nowhere ( column_1, column_2, column_3, …`"),
                "\(description)")
        #expect(!description.contains("\n") && !description.contains("column_40") && description.count < 160)
    }

    /// Closing any descriptor of a file drops every POSIX lock the process holds on it: a
    /// second connection must not open and close the existing file itself, or another
    /// process could take the database from under the first (and delete its log).
    @Test func openingASecondConnectionKeepsTheFirstOnesLocks() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("shared.sqlite3")
        let first = try SQLiteConnection(path: path)
        try first.executeScript("PRAGMA journal_mode = WAL; CREATE TABLE t (a); INSERT INTO t VALUES (1)")
        #expect(try first.firstRow("SELECT count(*) FROM t")?.int(0) == 1)
        let second = try SQLiteConnection(path: path)
        #expect(try second.firstRow("SELECT count(*) FROM t")?.int(0) == 1)
        // Leaving WAL mode needs the file to itself: refused while `first` is open.
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], timeout=0)
            try:
                print(c.execute("PRAGMA journal_mode = DELETE").fetchone()[0])
            except sqlite3.OperationalError as error:
                print(error)
            """, path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) != "delete",
                "another process took the database while this one had it open")
        #expect(try first.firstRow("SELECT count(*) FROM t")?.int(0) == 1)
    }

    @Test func aDatabaseInAMissingDirectoryIsAnErrorNamingThePath() throws {
        let error = #expect(throws: SQLiteError.self) {
            _ = try SQLiteConnection(path: "/nonexistent-dir-for-bulletin/db.sqlite3")
        }
        #expect(error?.description.contains("/nonexistent-dir-for-bulletin/db.sqlite3") == true)
    }

    @Test func aFileThatIsNotADatabaseIsAnError() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(String(repeating: "not a database\n", count: 200), to: "junk.sqlite3")
        let db = try SQLiteConnection(path: path)
        let error = #expect(throws: SQLiteError.self) { try db.executeScript("PRAGMA user_version = 1") }
        #expect(error?.message.contains("not a database") == true)
    }
}
