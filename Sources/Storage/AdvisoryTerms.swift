import SQLite

/// Finding entries by advisory id (clusters, `cve:`) without an index of their own.
///
/// entry_fts indexes each entry's ids (`entry.advisory_terms`, migration 8) with their
/// hyphens removed, so `CVE-2024-3094` is the single term `cve20243094` (`RHSA-2024:1234`,
/// the two terms `rhsa2024 1234`: other punctuation still splits). An FTS5 expression made
/// here names candidates: every entry with a matching id, and perhaps a few more
/// (`CVE-2024-30941` and `CVE-20243-0941` are the same term). Each candidate is confirmed
/// against its `advisories` (one id a line) before it counts.
enum AdvisoryTerms {
    /// `id` as entry_fts indexes it: without hyphens, as migration 8's `advisory_terms`.
    /// (Each more character removed there would be one more `replace` on every stored
    /// entry, about 1% of a bulk load.)
    static func term(_ id: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: id.unicodeScalars.lazy.filter { $0 != "-" })
        return String(scalars)
    }

    /// The FTS5 expression for entries with an id that is `text` or, with `prefix`, starts
    /// with it; nil when `text` has no letter or digit to look up.
    static func lookup(_ text: String, prefix: Bool) -> String? {
        let term = term(text)
        guard FTS5Text.hasTokens(term) else { return nil }
        return "{advisory_terms} : " + FTS5Text.quoted(term) + (prefix ? "*" : "")
    }

    /// The FTS5 expression for entries with any of `ids`, nil when none has a letter or
    /// digit to look up.
    static func expression(anyOf ids: some Sequence<String>) -> String? {
        let phrases = ids.map(term).filter(FTS5Text.hasTokens).map(FTS5Text.quoted)
        guard !phrases.isEmpty else { return nil }
        return "{advisory_terms} : (" + phrases.joined(separator: " OR ") + ")"
    }

    /// The FTS5 expression for entries with an id `pattern` (`*` for any characters) may
    /// match: its text before the first `*`, as a term or a term's prefix. Nil when that
    /// text has no letter or digit (`*-3094`): then only reading every entry will do.
    static func expression(matching pattern: String) -> String? {
        let literal = pattern.prefix { $0 != "*" }
        return lookup(String(literal), prefix: literal.count < pattern.count)
    }

    /// Whether one of `advisories` (one id a line), upper-cased, matches `pattern`, in which
    /// `*` matches any characters and every other character itself.
    static func matches(_ advisories: String, pattern: String) -> Bool {
        let wanted = Array(pattern.utf8)
        return advisories.split(separator: "\n").contains { wildcardMatch(Array($0.uppercased().utf8), wanted) }
    }

    /// The SQL test of entry `e`'s ids against `pattern`, with its values. An ASCII pattern
    /// is first tried in C on the whole list, upper-cased, as a GLOB (`*` matches across
    /// lines there: a superset), so that most entries cost no call into Swift; not on a list
    /// with a NUL in it, where GLOB would stop reading.
    static func test(_ pattern: String) -> SearchSQL.Clause {
        let exact = "bulletin_advisory_glob(e.advisories, ?)"
        guard pattern.utf8.allSatisfy({ $0 < 0x80 }) else { return (exact, [pattern]) }
        var glob = "*"
        for character in pattern {
            switch character {
            case "?": glob += "[?]"
            case "[": glob += "[[]"
            default: glob.append(character)
            }
        }
        return ("((instr(e.advisories, char(0)) OR upper(e.advisories) GLOB ?) AND \(exact))", [glob + "*", pattern])
    }

    /// Registers `bulletin_advisory_glob(advisories, pattern)` (`matches`) on `db`.
    static func register(on db: SQLiteConnection) throws {
        try db.createFunction("bulletin_advisory_glob", argumentCount: 2) { arguments in
            guard let advisories = arguments[0].string, let pattern = arguments[1].string else { return .integer(0) }
            return .integer(matches(advisories, pattern: pattern) ? 1 : 0)
        }
    }

    /// `text` against `pattern` where only `*` is special: greedy, and on a mismatch the last
    /// `*` takes one more byte (linear for one `*`, never exponential).
    private static func wildcardMatch(_ text: [UInt8], _ pattern: [UInt8]) -> Bool {
        let star = UInt8(ascii: "*")
        var (t, p) = (0, 0)
        var (lastStar, resume): (Int?, Int) = (nil, 0)
        while t < text.count {
            if p < pattern.count && pattern[p] == star {
                (lastStar, resume) = (p, t)
                p += 1
            } else if p < pattern.count && pattern[p] == text[t] {
                (t, p) = (t + 1, p + 1)
            } else if let star = lastStar {
                resume += 1
                (t, p) = (resume, star + 1)
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == star { p += 1 }
        return p == pattern.count
    }
}
