internal import CSQLite3

extension SQLiteConnection {
    /// Inserts `rows` in order by statements of many rows each: `head` (`INSERT INTO t (a, b)`),
    /// then `VALUES (?, ?), (?, ?), …`, then `tail` (an `ON CONFLICT …` clause, say).
    ///
    /// Each statement that writes costs more than a small row: SQLite opens and closes a
    /// statement savepoint, on every virtual table of the transaction too (FTS5's included).
    /// Rows go `rowsPerStatement` at a time, the rest in halves (32, 16, …, 1), so a handful
    /// of statements are compiled per connection whatever the count of rows.
    public func insert(_ head: String, rows: [[SQLiteValue]], tail: String = "",
                       rowsPerStatement: Int = 32) throws(SQLiteError) {
        guard let width = rows.first?.count else { return }
        if let odd = rows.first(where: { $0.count != width }) {
            throw SQLiteError(code: SQLITE_RANGE, message: "rows of \(width) values and of \(odd.count)",
                              sql: head + " VALUES …", path: path)
        }
        let placeholders = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
        func sql(rows count: Int) -> String {
            head + " VALUES " + Array(repeating: placeholders, count: count).joined(separator: ", ")
                + (tail.isEmpty ? "" : " " + tail)
        }
        var start = 0
        var size = max(1, rowsPerStatement)
        var prepared: (size: Int, statement: SQLiteStatement)?
        while start < rows.count {
            while rows.count - start < size { size /= 2 }
            if prepared?.size != size { prepared = (size, try statement(sql(rows: size))) }
            var values: [SQLiteValue] = []
            values.reserveCapacity(size * width)
            for row in rows[start..<start + size] { values += row }
            try prepared!.statement.execute(values: values)
            start += size
        }
    }
}
