import FoundationEssentials
import Models
import SQLite

/// One entry a search found.
public struct SearchResult: Sendable, Hashable {
    /// A piece of the title, and whether it is one of the words searched for.
    public struct TitlePart: Sendable, Hashable {
        public var text: String
        public var matched: Bool

        public init(text: String, matched: Bool) {
            self.text = text
            self.matched = matched
        }
    }

    public var rowID: Int64
    /// The entry's id in its feed.
    public var entryID: String
    public var feedTitle: String
    public var category: FeedCategory
    /// Published, else updated, else first seen.
    public var date: Date
    /// The title, cut where it matched the query's words.
    public var titleParts: [TitlePart]
    public var link: String?
    /// The services it is about (subject tags), by name.
    public var services: [String]
    /// The services it names in passing (mention tags), by name.
    public var mentions: [String] = []
    public var advisories: [String]
    /// True when the feed changed its title or summary after it was first stored.
    public var revised: Bool
    /// The same advisory as reported by other feeds.
    public var alsoReportedBy: [RelatedEntry] = []

    public var title: String? { titleParts.isEmpty ? nil : titleParts.map(\.text).joined() }
}

extension Store {
    /// The entries matching `query`, by relevance then date (date alone when the query has
    /// no words), at most `limit`, each with the other feeds that reported its advisories.
    /// A feed's repeats of one bulletin (one advisory listed once per affected package: the
    /// same link, title and advisory ids) show once, as in the digest: the first found.
    public func search(_ query: SearchQuery, limit: Int = 20, now: Date = WallClock.now()) throws -> [SearchResult] {
        try search(query, limit: limit, now: now, bounds: SearchBounds())
    }

    /// The bounds a search runs within (tests move them).
    struct SearchBounds {
        var time = Store.searchTimeLimit
        var prefixMatches = Store.maxPrefixMatches
        var prefixWords = Store.maxPrefixWords
    }

    func search(_ query: SearchQuery, limit: Int, now: Date, bounds: SearchBounds) throws -> [SearchResult] {
        do {
            return try db.withTimeLimit(bounds.time) {
                try checkPrefixes(query, bounds: bounds)
                return try unboundedSearch(query, limit: limit, now: now)
            }
        } catch let error as SQLiteError where error.isInterrupted {
            let limit = bounds.time.components
            let seconds = Double(limit.seconds) + Double(limit.attoseconds) / 1e18
            throw SearchQueryError("the search took more than \(seconds) s and was stopped: "
                + "search for rarer words, fewer of them, or add fields (since:, feed:, service:)")
        }
    }

    /// The time a search may take in the database; past it, it is stopped and refused.
    public static let searchTimeLimit: Duration = .milliseconds(800)

    /// The most bulletins the words a prefix (`sec*`) stands for may appear in, together;
    /// and the most such words. FTS5 merges all their lists at once, in one step the time
    /// limit cannot stop, so a prefix past these is refused before the search runs.
    public static let maxPrefixMatches = 100_000
    public static let maxPrefixWords = 20_000

    /// Refuses a prefix that stands for too many words or bulletins (see `maxPrefixMatches`),
    /// counted in the index's vocabulary: the prefix of the term's last word, as FTS5 reads it.
    private func checkPrefixes(_ query: SearchQuery, bounds: SearchBounds) throws {
        let prefixes = (query.required.joined() + query.excluded).compactMap { term -> (String, String)? in
            guard case .word(let text, prefix: true) = term else { return nil }
            return FTS5Text.lastToken(text).map { (text, $0) }
        }
        guard !prefixes.isEmpty else { return }
        try db.executeScript("CREATE VIRTUAL TABLE IF NOT EXISTS temp.entry_vocabulary USING fts5vocab(main, 'entry_fts', 'row')")
        for (text, prefix) in prefixes {
            let row = try db.firstRow("""
                SELECT count(*), coalesce(sum(doc), 0) FROM (SELECT doc FROM temp.entry_vocabulary                 WHERE term >= ?1 AND term < ?1 || char(1114111) LIMIT ?2)
                """, [prefix, bounds.prefixWords + 1])
            let (words, bulletins) = (Int(row?.int64(0) ?? 0), Int(row?.int64(1) ?? 0))
            if words > bounds.prefixWords || bulletins > bounds.prefixMatches {
                throw SearchQueryError("'\(text)*' stands for \(words > bounds.prefixWords ? "more than \(bounds.prefixWords)" : String(words)) "
                    + "words in \(bulletins > bounds.prefixMatches ? "more than \(bounds.prefixMatches)" : String(bulletins)) "
                    + "bulletins: give more of the word" + (text.contains("-") ? " (or search cve:\(text.uppercased())*)" : ""))
            }
        }
    }

    private func unboundedSearch(_ query: SearchQuery, limit: Int, now: Date) throws -> [SearchResult] {
        var results: [SearchResult] = []
        // Repeats are rare: asking for more rows is needed only when some were dropped.
        var asked = limit
        while true {
            let rows = try searchRows(SearchSQL(query, limit: asked, now: now), limit: asked)
            results = Self.withoutRepeats(rows.map(Self.result))
            guard results.count < limit, rows.count == asked else { break }
            asked *= 2
        }
        results = Array(results.prefix(limit))
        let related = try alsoReported(for: results.map(\.rowID))
        for index in results.indices {
            results[index].alsoReportedBy = related[results[index].rowID] ?? []
        }
        return results
    }

    private func searchRows(_ statement: SearchSQL, limit: Int) throws -> [SQLiteRow] {
        let newest = try statement.newestFirst.map { try db.rows($0.sql, $0.values) } ?? []
        return newest.count < limit ? try db.rows(statement.sql, statement.values) : newest
    }

    private static func result(_ row: SQLiteRow) -> SearchResult {
        SearchResult(
            rowID: row.int64(0)!, entryID: row.string(1)!, feedTitle: row.string(2)!,
            category: FeedCategory(rawValue: row.string(3)!) ?? .security, date: date(row.int64(4) ?? 0),
            titleParts: row.string(5).map(titleParts) ?? [], link: row.string(6),
            services: list(row.string(9)), mentions: list(row.string(10)), advisories: list(row.string(7)),
            revised: row[8] != .null)
    }

    /// `results` without the later ones that repeat an earlier one of the same feed: same
    /// link, title and advisory ids. Entries without a link are never repeats.
    private static func withoutRepeats(_ results: [SearchResult]) -> [SearchResult] {
        struct Key: Hashable {
            var feed: String, link: String, title: String?, advisories: Set<String>
        }
        var seen: Set<Key> = []
        return results.filter { result in
            guard let link = result.link else { return true }
            return seen.insert(Key(feed: result.feedTitle, link: link, title: result.title,
                                   advisories: Set(result.advisories))).inserted
        }
    }

    /// How SQLite runs `query` (`EXPLAIN QUERY PLAN`, one line per step, indented by depth;
    /// a search without words first looks among the newest entries, then, when it must, at
    /// all): for benchmarks and for checking that a search reads what it should.
    public func searchPlan(_ query: SearchQuery, limit: Int = 20, now: Date = WallClock.now()) throws -> [String] {
        let statement = SearchSQL(query, limit: limit, now: now)
        guard let newest = statement.newestFirst else { return try plan(statement.sql, statement.values) }
        return try ["newest \(SearchSQL.newestWindow) first:"] + plan(newest.sql, newest.values)
            + ["then all:"] + plan(statement.sql, statement.values)
    }

    private func plan(_ sql: String, _ values: [any SQLiteBindable]) throws -> [String] {
        var depth: [Int64: Int] = [:]
        return try db.rows("EXPLAIN QUERY PLAN " + sql, values).map { row in
            let level = (depth[row.int64(1) ?? 0] ?? -1) + 1
            depth[row.int64(0) ?? 0] = level
            return String(repeating: "  ", count: level) + (row.string(3) ?? "")
        }
    }

    /// Splits a title highlighted by FTS5 at its match marks.
    private static func titleParts(_ text: String) -> [SearchResult.TitlePart] {
        var parts: [SearchResult.TitlePart] = []
        var matched = false
        var current = ""
        for character in text {
            let mark = String(character)
            if mark == SearchSQL.matchStart || mark == SearchSQL.matchEnd {
                if !current.isEmpty { parts.append(.init(text: current, matched: matched)) }
                current = ""
                matched = mark == SearchSQL.matchStart
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { parts.append(.init(text: current, matched: matched)) }
        return parts
    }
}
