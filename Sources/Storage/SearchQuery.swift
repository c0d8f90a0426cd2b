import Models

/// A search as users type it, read into words and filters. Any text reads into a query
/// or a `SearchQueryError`; nothing a user types reaches SQL or FTS5 unquoted.
///
/// The language: words and `"phrases"` must all appear (`word*` for a prefix); `a OR b`
/// lets either do; `-word` (or `NOT word`) must not appear; fields filter:
/// `service:`, `mentions:`, `feed:`, `cve:` (`advisory:`), `category:`, `tagged:`, `since:`, `until:`.
/// Fields take comma-separated alternatives (`service:nginx,openssl`) and `-` negates them.
public struct SearchQuery: Sendable, Hashable {
    /// A word or phrase to look for in title, summary and advisory ids.
    public enum Term: Sendable, Hashable {
        case word(String, prefix: Bool)
        case phrase(String)
    }

    /// A condition on an entry's fields.
    public enum Filter: Sendable, Hashable {
        /// About one of these services (a subject tag; any case).
        case service([String])
        /// Naming one of these services in passing (a mention tag; any case).
        case mentions([String])
        /// From a feed whose title or URL contains one of these (any case).
        case feed([String])
        /// With one of these advisory ids; `*` matches any characters (`CVE-2024-*`).
        case advisory([String])
        case category(FeedCategory)
        case tagged(Bool)
        case since(DateBound)
        case until(DateBound)
    }

    /// Every group must match; within a group, any term will do (`a OR b`).
    public var required: [[Term]] = []
    /// No term may match.
    public var excluded: [Term] = []
    /// Every filter must hold (a negated one must not).
    public var filters: [(filter: Filter, negated: Bool)] = []

    public init() {}

    /// True when the query asks for nothing at all.
    public var isEmpty: Bool { required.isEmpty && excluded.isEmpty && filters.isEmpty }

    public static func == (lhs: SearchQuery, rhs: SearchQuery) -> Bool {
        lhs.required == rhs.required && lhs.excluded == rhs.excluded
            && lhs.filters.map(\.filter) == rhs.filters.map(\.filter)
            && lhs.filters.map(\.negated) == rhs.filters.map(\.negated)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(required)
        hasher.combine(excluded)
        for (filter, negated) in filters {
            hasher.combine(filter)
            hasher.combine(negated)
        }
    }

    /// The most distinct words and phrases a query may hold (required and excluded): each
    /// costs FTS5 a pass over its matches, and a common one's pass is long.
    public static let maxTerms = 16
    /// The most words (index tokens) all of a query's words and phrases hold together.
    public static let maxTokens = 32
    /// The most filters (`service:` …) a query may hold, and values one may list.
    public static let maxFilters = 16
    public static let maxFieldValues = 16

    /// The field names, in the order the help lists them.
    public static let fieldNames = ["service", "mentions", "feed", "cve", "advisory", "category", "tagged", "since",
                                    "until"]

    /// Reads `text`. Unknown `name:value` words are plain words; a known field with a bad
    /// value is an error.
    public init(parsing text: String) throws(SearchQueryError) {
        var pendingOr = false
        var negateNext = false
        var lastWasTerm = false
        for token in Self.tokens(of: text) {
            switch token {
            case .or:
                // `a OR b`: only between two terms; a dangling OR is ignored.
                pendingOr = lastWasTerm
            case .not:
                negateNext = true
            case .term(let term, let negated):
                let excluded = negated != negateNext
                negateNext = false
                guard term.hasTokens else { continue }
                if excluded {
                    self.excluded.append(term)
                    lastWasTerm = false
                } else if pendingOr, !required.isEmpty {
                    required[required.count - 1].append(term)
                    lastWasTerm = true
                } else {
                    required.append([term])
                    lastWasTerm = true
                }
                pendingOr = false
            case .field(let name, let value, let negated):
                if pendingOr {
                    throw SearchQueryError("OR joins words and phrases, not '\(name):'; "
                        + "give a field several values with commas (\(name):a,b)")
                }
                try addFilter(name, value, negated: negated != negateNext)
                negateNext = false
                lastWasTerm = false
            }
        }
        removeRepeats()
        try checkBounds()
    }

    /// Drops words and phrases given twice (`a a` is `a`; `a OR b` and `b OR a` are one
    /// group): a repeat changes no result and costs a pass over its matches.
    private mutating func removeRepeats() {
        var groups: Set<Set<Term>> = []
        required = required.compactMap { group in
            var seen: Set<Term> = []
            let terms = group.filter { seen.insert($0).inserted }
            return groups.insert(Set(terms)).inserted ? terms : nil
        }
        var seen: Set<Term> = []
        excluded = excluded.filter { seen.insert($0).inserted }
    }

    /// Refuses a query past the bounds (`maxTerms`, `maxTokens`, `maxFilters`), saying which.
    private func checkBounds() throws(SearchQueryError) {
        let terms = Set(required.joined()).union(excluded)
        if terms.count > Self.maxTerms {
            throw SearchQueryError("too many words and phrases: \(terms.count) different ones, at most \(Self.maxTerms); "
                + "search for the rarest few")
        }
        let tokens = terms.reduce(0) { $0 + FTS5Text.tokenCount($1.text) }
        if tokens > Self.maxTokens {
            throw SearchQueryError("too many words: \(tokens) in the words and phrases, at most \(Self.maxTokens)")
        }
        if filters.count > Self.maxFilters {
            throw SearchQueryError("too many fields: \(filters.count), at most \(Self.maxFilters)")
        }
    }

    /// Adds the filter `name:value`, as the command line's `--service S` and the like do.
    public mutating func addFilter(_ name: String, _ value: String, negated: Bool = false) throws(SearchQueryError) {
        filters.append((try Self.filter(name, value), negated))
        try checkBounds()
    }

    private static func filter(_ name: String, _ value: String) throws(SearchQueryError) -> Filter {
        let values = value.split(separator: ",").map { $0.trimming(\.isWhitespace) }.filter { !$0.isEmpty }
        guard !values.isEmpty else {
            throw SearchQueryError("'\(name):' needs a value")
        }
        guard values.count <= maxFieldValues else {
            throw SearchQueryError("'\(name):' lists \(values.count) values, at most \(maxFieldValues)")
        }
        switch name {
        case "service": return .service(values)
        case "mentions": return .mentions(values)
        case "feed": return .feed(values)
        case "cve", "advisory": return .advisory(values.map { $0.uppercased() })
        case "category":
            guard values.count == 1, let category = FeedCategory(rawValue: values[0].lowercased()) else {
                throw SearchQueryError("'category:\(value)': expected one of "
                    + FeedCategory.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return .category(category)
        case "tagged":
            switch values.count == 1 ? values[0].lowercased() : "" {
            case "yes", "true": return .tagged(true)
            case "no", "false": return .tagged(false)
            default: throw SearchQueryError("'tagged:\(value)': expected yes or no")
            }
        case "since", "until":
            guard values.count == 1, let bound = DateBound(values[0]) else {
                throw SearchQueryError("'\(name):\(value)': expected \(DateBound.expected)")
            }
            return name == "since" ? .since(bound) : .until(bound)
        default:
            throw SearchQueryError("unknown field '\(name):'; fields are "
                + fieldNames.map { $0 + ":" }.joined(separator: ", "))
        }
    }

    // MARK: Reading the text

    private enum Token {
        case term(Term, negated: Bool)
        case field(name: String, value: String, negated: Bool)
        case or
        case not
    }

    /// Splits `text` at white space; `"…"` is one phrase (to the end when unclosed); a
    /// leading `-` negates; `name:value` is a field when `name` is one.
    private static func tokens(of text: String) -> [Token] {
        var tokens: [Token] = []
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            cleaned.append(scalar.properties.generalCategory == .control ? " " : scalar)
        }
        var rest = Substring(String(cleaned))
        while let first = rest.first {
            if first.isWhitespace {
                rest = rest.dropFirst()
                continue
            }
            var negated = false
            if first == "-" {
                negated = true
                rest = rest.dropFirst()
            }
            if rest.first == "\"" {
                let (phrase, after) = quoted(rest)
                tokens.append(.term(.phrase(phrase), negated: negated))
                rest = after
                continue
            }
            let end = rest.firstIndex { $0.isWhitespace || $0 == "\"" } ?? rest.endIndex
            let word = String(rest[..<end])
            rest = rest[end...]
            if !negated, word == "OR" { tokens.append(.or); continue }
            if !negated, word == "AND" { continue }
            if !negated, word == "NOT" { tokens.append(.not); continue }
            if let colon = word.firstIndex(of: ":"), fieldNames.contains(word[..<colon].lowercased()) {
                var value = String(word[word.index(after: colon)...])
                if value.isEmpty, rest.first == "\"" {
                    // service:"Node.js" — the value is the quoted text.
                    (value, rest) = quoted(rest)
                }
                tokens.append(.field(name: word[..<colon].lowercased(), value: value, negated: negated))
                continue
            }
            if word.hasSuffix("*") {
                tokens.append(.term(.word(word.trimming { $0 == "*" }, prefix: true), negated: negated))
            } else {
                tokens.append(.term(.word(word, prefix: false), negated: negated))
            }
        }
        return tokens
    }

    /// The text between the quote that starts `text` and the next one (or the end).
    private static func quoted(_ text: Substring) -> (String, Substring) {
        let body = text.dropFirst()
        guard let close = body.firstIndex(of: "\"") else { return (String(body), body[body.endIndex...]) }
        return (String(body[..<close]), body[body.index(after: close)...])
    }
}

extension SearchQuery.Term {
    public var text: String {
        switch self {
        case .word(let text, _), .phrase(let text): text
        }
    }

    /// True when the full-text index would find a token in it; a term without one would
    /// match nothing, so it is dropped.
    var hasTokens: Bool { FTS5Text.hasTokens(text) }
}

/// A query that cannot be read; the message says which part and what was expected.
public struct SearchQueryError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { "search: \(message)" }
}

extension StringProtocol {
    /// The text without the characters at either end for which `predicate` holds.
    func trimming(_ predicate: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !predicate($0) }), let last = lastIndex(where: { !predicate($0) })
        else { return "" }
        return String(self[first...last])
    }
}
