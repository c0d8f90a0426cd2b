import SQLite

/// An entry of another feed that shares an advisory id with a given entry: the Ubuntu
/// USN and the Debian DSA for the CVE an AWS bulletin names.
public struct RelatedEntry: Sendable, Hashable {
    public var rowID: Int64
    public var feedTitle: String
    public var title: String?
    public var link: String?
    /// The advisory ids the two entries share.
    public var sharedAdvisories: [String]

    public init(rowID: Int64, feedTitle: String, title: String?, link: String?, sharedAdvisories: [String]) {
        self.rowID = rowID
        self.feedTitle = feedTitle
        self.title = title
        self.link = link
        self.sharedAdvisories = sharedAdvisories
    }
}

extension Store {
    /// For each of `rowIDs`, the entries of other feeds that share one of its advisory ids
    /// ("also reported by …"), by feed title. Entries with none are left out.
    public func alsoReported(for rowIDs: [Int64]) throws -> [Int64: [RelatedEntry]] {
        guard !rowIDs.isEmpty else { return [:] }
        let rows = try db.rows("""
            SELECT a.entry_id, e.id, f.title, e.title, e.link, group_concat(b.advisory_id, char(10))
            FROM advisory a
            JOIN advisory b ON b.advisory_id = a.advisory_id AND b.entry_id != a.entry_id
            JOIN entry e ON e.id = b.entry_id
            JOIN entry mine ON mine.id = a.entry_id
            JOIN feed f ON f.id = e.feed_id
            WHERE a.entry_id IN (SELECT value FROM json_each(?)) AND e.feed_id != mine.feed_id
            GROUP BY a.entry_id, e.id
            ORDER BY a.entry_id, f.title, e.id
            """, ["[" + rowIDs.map(String.init).joined(separator: ",") + "]"])
        var related: [Int64: [RelatedEntry]] = [:]
        for row in rows {
            related[row.int64(0)!, default: []].append(RelatedEntry(
                rowID: row.int64(1)!, feedTitle: row.string(2)!, title: row.string(3), link: row.string(4),
                sharedAdvisories: Self.list(row.string(5)).sorted()))
        }
        return related
    }
}
