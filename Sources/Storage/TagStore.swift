import FoundationEssentials
import Models
import SQLite

/// Tags with their provenance, re-tagging, and what tagging found out about each entry
/// (severity, CVSS, known exploitation).
extension Store {
    // MARK: Entries

    /// The columns `storedEntry(_:)` reads, for `FROM entry e JOIN feed f ON f.id = e.feed_id`.
    static let entryColumns = """
        e.id, f.title, f.category, e.entry_id, e.title, e.link, e.published, e.updated, e.summary,
        e.authors, e.categories, e.advisories
        """

    static func storedEntry(_ row: SQLiteRow) -> StoredEntry {
        let entry = FeedEntry(
            id: row.string(3) ?? "", title: row.string(4), link: row.string(5),
            published: row.int64(6).map(date), updated: row.int64(7).map(date), summary: row.string(8),
            authors: list(row.string(9)), categories: list(row.string(10)), advisories: list(row.string(11)))
        return StoredEntry(rowID: row.int64(0) ?? 0, feedTitle: row.string(1) ?? "",
                           category: row.string(2).flatMap(FeedCategory.init(rawValue:)) ?? .security, entry: entry)
    }

    /// Every stored entry, oldest row first.
    public func allEntries() throws -> [StoredEntry] {
        try db.rows("SELECT \(Self.entryColumns) FROM entry e JOIN feed f ON f.id = e.feed_id ORDER BY e.id")
            .map(Self.storedEntry)
    }

    /// The entry with this row id, if any.
    public func entry(rowID: Int64) throws -> StoredEntry? {
        try db.firstRow("SELECT \(Self.entryColumns) FROM entry e JOIN feed f ON f.id = e.feed_id WHERE e.id = ?",
                        [rowID]).map(Self.storedEntry)
    }

    /// The entries whose advisories include `advisory` (any case), oldest row first: the
    /// candidates entry_fts names (see AdvisoryTerms), else every entry, each checked.
    public func entries(mentioning advisory: String) throws -> [StoredEntry] {
        let exact = "instr(char(10) || upper(e.advisories) || char(10), char(10) || upper(?) || char(10)) > 0"
        let select = "SELECT \(Self.entryColumns) FROM entry e JOIN feed f ON f.id = e.feed_id WHERE "
        guard let expression = AdvisoryTerms.expression(anyOf: [advisory]) else {
            return try db.rows(select + exact + " ORDER BY e.id", [advisory]).map(Self.storedEntry)
        }
        return try db.rows(select + Self.inFullTextMatches + " AND " + exact
                           + " ORDER BY e.id", [expression, advisory]).map(Self.storedEntry)
    }

    // MARK: Tags

    /// Every stored tag, by entry then service.
    public func allTags() throws -> [EntryTag] {
        try db.rows("SELECT \(Self.tagColumns) FROM tag ORDER BY entry_id, service")
            .map { Self.tag($0) }
    }

    /// The stored tags of one entry, by service.
    public func tags(of entryRowID: Int64) throws -> [EntryTag] {
        try db.rows("SELECT \(Self.tagColumns) FROM tag WHERE entry_id = ? ORDER BY service",
                    [entryRowID]).map { Self.tag($0) }
    }

    /// The columns `tag(_:from:)` reads.
    static let tagColumns = "entry_id, service, alias, field, position, length, strength, rule"

    /// A tag from `tagColumns`, read from column `start` on.
    static func tag(_ row: SQLiteRow, from start: Int = 0) -> EntryTag {
        EntryTag(entryRowID: row.int64(start) ?? 0, service: row.string(start + 1) ?? "",
                 strength: row.string(start + 6).flatMap(TagStrength.init(rawValue:)) ?? .subject,
                 rule: row.string(start + 7) ?? "", alias: row.string(start + 2) ?? "",
                 field: row.string(start + 3) ?? "", position: row.int(start + 4), length: row.int(start + 5))
    }

    /// Stores tags with their positions, and the entries' assessments, in one transaction;
    /// a tag for an (entry, service) pair replaces the one stored before. The entries
    /// assessed (every entry tagging looked at has an assessment) leave `untaggedEntries`.
    public func saveTags(_ tags: [EntryTag], assessments: [Assessment] = []) throws {
        try db.transaction {
            try insert(tags)
            try save(assessments)
            try markTagged(assessments.map(\.entryRowID))
        }
    }

    /// Entries stored but never tagged, by row, from `rowID` on: those of a refresh killed
    /// between storing its entries and saving their tags, or whose tags the store refused
    /// (a full disk). A refresh tags them before its own.
    public func untaggedEntries(from rowID: Int64 = 0, limit: Int = 1000) throws -> [StoredEntry] {
        try db.rows("""
            SELECT \(Self.entryColumns) FROM untagged_entry u JOIN entry e ON e.id = u.entry_id
            JOIN feed f ON f.id = e.feed_id WHERE u.entry_id >= ? ORDER BY u.entry_id LIMIT ?
            """, [rowID, limit]).map(Self.storedEntry)
    }

    private func markTagged(_ rowIDs: [Int64]) throws {
        guard !rowIDs.isEmpty else { return }
        try db.execute("DELETE FROM untagged_entry WHERE entry_id IN (SELECT value FROM json_each(?))",
                       [Self.json(rowIDs)])
    }

    /// Applies a re-tagging in one transaction: removes `removed`, stores `added` (which
    /// replace what an (entry, service) pair had), saves the assessments.
    public func applyRetag(added: [EntryTag], removed: [EntryTag], assessments: [Assessment]) throws {
        try db.transaction {
            for tag in removed {
                try db.execute("DELETE FROM tag WHERE entry_id = ? AND service = ?", [tag.entryRowID, tag.service])
            }
            try insert(added)
            try save(assessments)
            try markTagged(assessments.map(\.entryRowID))
        }
    }

    /// Stores tags in order, many rows a statement (a run saves one tag or more per entry).
    private func insert(_ tags: [EntryTag]) throws {
        try db.insert("INSERT INTO tag (\(Self.tagColumns))", rows: tags.map { tag in
            [.integer(tag.entryRowID), .text(tag.service), .text(tag.alias), .text(tag.field),
             tag.position.sqliteValue, tag.length.sqliteValue, .text(tag.strength.rawValue), .text(tag.rule)]
        }, tail: """
            ON CONFLICT (entry_id, service) DO UPDATE SET alias = excluded.alias, field = excluded.field,
                position = excluded.position, length = excluded.length, strength = excluded.strength,
                rule = excluded.rule
            """)
    }

    // MARK: Assessments

    /// Stores assessments in order, many rows a statement (a run saves one per new entry).
    private func save(_ assessments: [Assessment]) throws {
        try db.insert("INSERT INTO assessment (entry_id, severity, cvss, exploited)", rows: assessments.map { assessment in
            [.integer(assessment.entryRowID), (assessment.severity?.description).sqliteValue,
             assessment.cvss.sqliteValue, .text(Self.list(assessment.exploited))]
        }, tail: """
            ON CONFLICT (entry_id) DO UPDATE SET severity = excluded.severity, cvss = excluded.cvss,
                exploited = excluded.exploited
            """, rowsPerStatement: 64)
    }

    /// What tagging found out about an entry, if it was assessed.
    public func assessment(of entryRowID: Int64) throws -> Assessment? {
        try db.firstRow("SELECT severity, cvss, exploited FROM assessment WHERE entry_id = ?", [entryRowID]).map { row in
            Assessment(entryRowID: entryRowID, severity: row.string(0).flatMap(Severity.init(name:)),
                       cvss: row.double(1), exploited: Self.list(row.string(2)))
        }
    }

    /// The assessments of the entries `rowIDs`, by entry (a digest's, not the whole store's).
    public func assessments(of rowIDs: [Int64]) throws -> [Int64: Assessment] {
        var result: [Int64: Assessment] = [:]
        for row in try db.rows("""
            SELECT entry_id, severity, cvss, exploited FROM assessment WHERE entry_id IN (SELECT value FROM json_each(?))
            """, [Self.json(rowIDs)]) {
            let id = row.int64(0) ?? 0
            result[id] = Assessment(entryRowID: id, severity: row.string(1).flatMap(Severity.init(name:)),
                                    cvss: row.double(2), exploited: Self.list(row.string(3)))
        }
        return result
    }
}
