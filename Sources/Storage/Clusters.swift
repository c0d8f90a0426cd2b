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
        // Each entry's feed and ids (upper case: ids are compared in any case).
        let mine = try db.rows("""
            SELECT id, feed_id, advisories FROM entry
            WHERE id IN (SELECT value FROM json_each(?)) AND advisories != ''
            """, [Self.json(rowIDs)]).map {
            (rowID: $0.int64(0)!, feedID: $0.int64(1)!, ids: Self.upperCased(Self.list($0.string(2))))
        }
        // Every entry with one of those ids, by id: candidates from entry_fts, confirmed here.
        var reporting: [String: [(feedID: Int64, entry: RelatedEntry)]] = [:]
        if let expression = AdvisoryTerms.expression(anyOf: Set(mine.flatMap(\.ids))) {
            for row in try db.rows("""
                SELECT e.id, e.feed_id, f.title, e.title, e.link, e.advisories FROM entry_fts
                JOIN entry e ON e.id = entry_fts.rowid JOIN feed f ON f.id = e.feed_id
                WHERE entry_fts MATCH ?
                """, [expression]) {
                let entry = RelatedEntry(rowID: row.int64(0)!, feedTitle: row.string(2)!, title: row.string(3),
                                         link: row.string(4), sharedAdvisories: [])
                for id in Self.upperCased(Self.list(row.string(5))) {
                    reporting[id, default: []].append((row.int64(1)!, entry))
                }
            }
        }
        var related: [Int64: [RelatedEntry]] = [:]
        for (rowID, feedID, ids) in mine {
            var shared: [Int64: RelatedEntry] = [:]
            for id in ids {
                for (otherFeed, entry) in reporting[id] ?? [] where otherFeed != feedID {
                    shared[entry.rowID, default: entry].sharedAdvisories.append(id)
                }
            }
            guard !shared.isEmpty else { continue }
            related[rowID] = shared.values.map { entry in
                var entry = entry
                entry.sharedAdvisories.sort()
                return entry
            }.sorted { ($0.feedTitle, $0.rowID) < ($1.feedTitle, $1.rowID) }
        }
        return related
    }

    private static func upperCased(_ ids: [String]) -> Set<String> { Set(ids.map { $0.uppercased() }) }
}
