/// A service the team runs, from the inventory: the words that name it in a bulletin,
/// who owns it, and its place in the security pillar's risk matrix.
public struct Service: Sendable, Hashable {
    public var name: String
    /// Words and phrases that name the service; the name itself always counts.
    public var aliases: [Alias]
    /// Phrases that veto a match they overlap (`nginx-ui` for `nginx`).
    public var exclude: [String]
    public var owner: String?
    public var version: String?
    /// Free labels (`prod`, `pci`), shown in `explain` and kept for the digest.
    public var tags: [String]
    /// Which feeds' bulletins may be tied to the service.
    public var category: CategoryFilter
    /// Whether the built-in dictionary adds its reviewed aliases (`Postgres` for `PostgreSQL`).
    public var builtinAliases: Bool
    /// Whether the bare name is matched in a bulletin's text (`match_name = false` for a name
    /// that is a common word in your bulletins); it still names the service as a package.
    public var matchName: Bool
    /// 1…5: what a compromise would cost.
    public var impact: Int
    /// 1…5: how exposed the service is.
    public var likelihood: Int

    public init(name: String, aliases: [Alias] = [], exclude: [String] = [], owner: String? = nil,
                version: String? = nil, tags: [String] = [], category: CategoryFilter = .both,
                builtinAliases: Bool = true, matchName: Bool = true, impact: Int = 3, likelihood: Int = 3) {
        self.name = name
        self.aliases = aliases
        self.exclude = exclude
        self.owner = owner
        self.version = version
        self.tags = tags
        self.category = category
        self.builtinAliases = builtinAliases
        self.matchName = matchName
        self.impact = impact
        self.likelihood = likelihood
    }

    /// impact × likelihood, 1…25.
    public var risk: Int { impact * likelihood }

    /// Every phrase that names the service: its name, then its aliases, without repeats.
    public var phrases: [String] {
        var seen = Set<String>()
        return ([name] + aliases.map(\.text)).filter { seen.insert($0.lowercased()).inserted }
    }
}

/// One word or phrase that names a service, and how it must appear in a bulletin.
public struct Alias: Sendable, Hashable, ExpressibleByStringLiteral {
    public var text: String
    public var match: MatchMode

    public init(_ text: String, match: MatchMode = .word) {
        self.text = text
        self.match = match
    }

    public init(stringLiteral text: String) {
        self.init(text)
    }
}

/// How an alias must appear in the (normalized) text of a bulletin.
public enum MatchMode: String, Sendable, Hashable, CaseIterable {
    /// As whole words: `nginx` matches "nginx/1.25", not "nginxinc".
    case word
    /// At the start of a word: `openssl` matches "openssl3".
    case prefix
    /// A regular expression over the normalized text, whose hit must start and end at word boundaries.
    case regex
}

/// The feed categories whose bulletins a service may be tied to.
public enum CategoryFilter: String, Sendable, Hashable, CaseIterable {
    case security
    case announcements
    case both

    public func admits(_ category: FeedCategory) -> Bool {
        switch self {
        case .both: true
        case .security: category == .security
        case .announcements: category == .announcements
        }
    }
}
