import FoundationEssentials
import SQLite

/// A `SearchQuery` in SQLite's terms: one FTS5 MATCH expression for the words (each
/// quoted as a phrase, so no user text is read as FTS5 syntax or a column name) and WHERE
/// conditions whose values are bound, never pasted.
struct SearchSQL {
    let sql: String
    let values: [any SQLiteBindable]
    /// For a search without words, the same search among the newest `newestWindow` entries
    /// only (same values): it walks down the date index and stops at the `limit`-th hit,
    /// where `sql` may sort every entry that passes the filters (every tagged one, every
    /// CVE-2024 one). When it finds `limit` entries, they are the answer; when it finds
    /// fewer, `sql` must run. Its values are its own.
    let newestFirst: Clause?

    static let newestWindow = 2000

    /// A piece of SQL and the values its parameters take, in order.
    typealias Clause = (sql: String, values: [any SQLiteBindable])

    /// The columns every result row has, in this order.
    static let resultColumns = """
        e.id, e.entry_id, f.title, f.category, coalesce(e.published, e.updated, e.first_seen) AS date, %TITLE%,
        e.link, e.advisories, e.revised_at,
        (SELECT group_concat(service, char(10)) FROM (SELECT service FROM tag WHERE entry_id = e.id AND strength = 'subject'
            ORDER BY service)),
        (SELECT group_concat(service, char(10)) FROM (SELECT service FROM tag WHERE entry_id = e.id AND strength = 'mention'
            ORDER BY service))
        """

    /// Marks around matched words in a highlighted title.
    static let matchStart = "\u{1}", matchEnd = "\u{2}"

    init(_ query: SearchQuery, limit: Int, now: Date) {
        // `conditions` look up the entries a filter names; `probes`, the same conditions, test
        // one entry at a time (for the newest entries first, see `newestFirst`).
        var (conditions, probes): ([String], [String]) = ([], [])
        var (values, probeValues): ([any SQLiteBindable], [any SQLiteBindable]) = ([], [])
        let match = query.matchExpression
        if match == nil, let exclusion = query.exclusionExpression {
            conditions.append("NOT \(Store.inFullTextMatches)")
            probes.append(conditions[0])
            values.append(exclusion)
            probeValues.append(exclusion)
        }
        for (filter, negated) in query.filters {
            let (lookup, probe) = Self.condition(filter, now: now, words: match != nil)
            conditions.append(negated ? "NOT (\(lookup.sql))" : lookup.sql)
            probes.append(negated ? "NOT (\(probe.sql))" : probe.sql)
            values += lookup.values
            probeValues += probe.values
        }
        // The inner query finds the page of hits; only then does the outer one compute
        // what is shown (highlights, services), for those rows alone.
        var inner: String
        if let match, conditions.isEmpty {
            // Words alone: FTS5 sorts by rank itself, without reading an entry per match;
            // equal ranks fall back to date within the page.
            inner = "SELECT rowid AS id, \(Self.score) AS score FROM entry_fts WHERE entry_fts MATCH ? "
                + "ORDER BY score LIMIT ?"
            values.insert(match, at: 0)
        } else if let match {
            // Each match's feed and dates come from the small entry_filter index (SQLite
            // would pick the table, whose rows are large: several times the reading).
            inner = "SELECT e.id AS id, \(Self.score) AS score FROM entry_fts "
                + "JOIN entry e INDEXED BY entry_filter ON e.id = entry_fts.rowid JOIN feed f ON f.id = e.feed_id "
                + "WHERE entry_fts MATCH ?"
            values.insert(match, at: 0)
            for condition in conditions { inner += " AND " + condition }
            inner += " ORDER BY score, \(Self.date) DESC, e.id DESC LIMIT ?"
        } else {
            inner = Self.newest(from: "entry e JOIN feed f ON f.id = e.feed_id", conditions)
        }
        values.append(limit)
        probeValues.append(limit)
        self.values = values
        sql = Self.page(inner, words: match != nil)
        // Down the date index from the newest entry, no further than the window's oldest date;
        // it stops at the `limit`-th hit.
        let window = """
            \(Self.date) >= (SELECT coalesce(published, updated, first_seen) FROM entry \
            ORDER BY coalesce(published, updated, first_seen) DESC LIMIT 1 OFFSET \(Self.newestWindow - 1))
            """
        newestFirst = match == nil ? (Self.page(Self.newest(
            from: "entry e INDEXED BY entry_date CROSS JOIN feed f ON f.id = e.feed_id", [window] + probes),
                                                words: false), probeValues) : nil
    }

    /// The newest entries of `entries` (which name the entry `e` and its feed `f`) that meet
    /// `conditions`.
    private static func newest(from entries: String, _ conditions: [String]) -> String {
        var inner = "SELECT e.id AS id FROM \(entries)"
        if !conditions.isEmpty { inner += " WHERE " + conditions.joined(separator: " AND ") }
        return inner + " ORDER BY \(date) DESC, e.id DESC LIMIT ?"
    }

    /// What is shown of the page of hits `inner` finds (highlights when there are `words`).
    private static func page(_ inner: String, words: Bool) -> String {
        let columns = resultColumns.replacing(
            "%TITLE%", with: words ? "highlight(entry_fts, 0, char(1), char(2))" : "e.title")
        // CROSS JOIN keeps the page of hits the outer loop: otherwise SQLite may read every
        // match again and join the page to it (an index lookup per match instead of per hit).
        var sql = "SELECT \(columns) FROM (\(inner)) AS hit CROSS JOIN entry e ON e.id = hit.id "
            + "CROSS JOIN feed f ON f.id = e.feed_id "
        if words {
            sql += "CROSS JOIN entry_fts ON entry_fts.rowid = hit.id AND entry_fts MATCH ?1 ORDER BY hit.score, "
        } else {
            sql += "ORDER BY "
        }
        return sql + "\(date) DESC, e.id DESC"
    }

    private static let date = "coalesce(e.published, e.updated, e.first_seen)"

    /// Relevance, best first: a match in the title weighs most, then advisory ids, then the
    /// summary. Called directly: the `rank` column (configured the same) costs 40% more.
    private static let score = "bm25(entry_fts, 10.0, 1.0, 5.0)"

    /// The SQL condition for `filter`, as a lookup of the entries it names and as a test of
    /// one entry `e` (the same where both are the same), each with its values. With `words`,
    /// the entries to test come from the words' match: the lookup is the test.
    private static func condition(_ filter: SearchQuery.Filter, now: Date, words: Bool)
        -> (lookup: Clause, probe: Clause) {
        func anyOf(_ count: Int, _ one: String) -> String {
            Array(repeating: one, count: count).joined(separator: " OR ")
        }
        func both(_ condition: String, _ values: [any SQLiteBindable]) -> (Clause, Clause) {
            ((condition, values), (condition, values))
        }
        switch filter {
        case .service(let names), .mentions(let names):
            // service: what the entry is about; mentions: what it names in passing.
            let strength = if case .service = filter { "subject" } else { "mention" }
            let list = Array(repeating: "?", count: names.count).joined(separator: ", ")
            let tags = "tag WHERE strength = '\(strength)' AND service COLLATE NOCASE IN (\(list))"
            return (("e.id IN (SELECT entry_id FROM \(tags))", names),
                    ("EXISTS (SELECT 1 FROM \(tags) AND entry_id = e.id)", names))
        case .feed(let texts):
            let patterns = texts.map { "%" + likeEscaped($0) + "%" }
            let one = "f.title LIKE ? ESCAPE '\\' OR f.url LIKE ? ESCAPE '\\'"
            return both("(\(anyOf(texts.count, one)))", patterns.flatMap { [$0, $0] })
        case .advisory(let patterns):
            // Each entry's ids are tested; entry_fts names the entries worth testing, unless a
            // pattern starts with `*` (see AdvisoryTerms).
            let tests = patterns.map(AdvisoryTerms.test)
            let probe: Clause = ("(" + tests.map(\.sql).joined(separator: " OR ") + ")", tests.flatMap(\.values))
            let expressions = patterns.compactMap(AdvisoryTerms.expression(matching:))
            guard !words, expressions.count == patterns.count else { return (probe, probe) }
            let lookup: Clause = (Store.inFullTextMatches + " AND " + probe.sql,
                                  [expressions.joined(separator: " OR ")] + probe.values)
            return (lookup, probe)
        case .category(let category):
            return both("f.category = ?", [category.rawValue])
        case .tagged(let yes):
            return both("e.id \(yes ? "IN" : "NOT IN") (SELECT entry_id FROM tag WHERE strength = 'subject')", [])
        case .since(let bound):
            return both("\(date) >= ?", [bound.start(now: now)])
        case .until(let bound):
            return both("\(date) < ?", [bound.end(now: now)])
        }
    }

    /// `text` for LIKE, with its wildcards taken literally.
    private static func likeEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result
    }
}

extension SearchQuery {
    /// The FTS5 expression for the words and phrases, with the excluded ones NOT-ed out;
    /// nil when no word is required.
    public var matchExpression: String? {
        guard !required.isEmpty else { return nil }
        let all = required.map { group in
            group.count == 1 ? group[0].fts5 : "(" + group.map(\.fts5).joined(separator: " OR ") + ")"
        }.joined(separator: " AND ")
        guard let exclusion = exclusionExpression else { return all }
        return (required.count > 1 ? "(\(all))" : all) + " NOT (\(exclusion))"
    }

    /// The excluded words as one FTS5 expression (any of them), nil when none.
    var exclusionExpression: String? {
        excluded.isEmpty ? nil : excluded.map(\.fts5).joined(separator: " OR ")
    }
}

extension SearchQuery.Term {
    /// The term as an FTS5 string, with `*` after it for a prefix. Typed with hyphens, as
    /// an advisory id is (`CVE-2024-3094`), it is also looked for as the index holds an
    /// entry's advisory ids (see AdvisoryTerms).
    var fts5: String {
        let prefix = if case .word(_, prefix: true) = self { true } else { false }
        let own = FTS5Text.quoted(text) + (prefix ? "*" : "")
        guard AdvisoryTerms.term(text) != text, let id = AdvisoryTerms.lookup(text, prefix: prefix) else { return own }
        return "(\(own) OR \(id))"
    }
}
