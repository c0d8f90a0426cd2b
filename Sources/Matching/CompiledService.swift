import Models

/// A service as the matcher sees it: every phrase it is matched by (its name, its aliases,
/// then the built-in aliases it takes), and its excludes.
public struct CompiledService: Sendable, Hashable {
    public struct Phrase: Sendable, Hashable {
        public let text: String
        public let match: MatchMode
        public let source: Source
    }

    /// Where a phrase comes from.
    public enum Source: String, Sendable, Hashable {
        case name
        case alias
        case builtin = "built-in"
    }

    public let name: String
    public let phrases: [Phrase]
    public let excludes: [Phrase]
    public let category: CategoryFilter
    /// The normalized text of each word-mode phrase (the name too, with `match_name = false`),
    /// to compare with packages, distributions and feed topics, and the phrase it is of.
    let keys: [Key]

    struct Key: Sendable, Hashable {
        let key: String
        let text: String
    }
    /// The packages its purls name, as `PackageURL.identity` writes them.
    let packages: [String]
    /// For each phrase, the context that makes it the software when it is an ambiguous
    /// name (`Go`, `Jenkins`), else nil.
    let ambiguity: [AmbiguousNames.Context?]

    public init(_ service: Service) {
        name = service.name
        category = service.category
        var seen = Set<String>()
        var phrases: [Phrase] = []
        func add(_ text: String, _ match: MatchMode, _ source: Source) {
            let key = match == .regex ? "regex:" + text : match.rawValue + ":" + NormalizedText.key(text)
            if seen.insert(key).inserted { phrases.append(Phrase(text: text, match: match, source: source)) }
        }
        add(service.name, .word, .name)
        for alias in service.aliases { add(alias.text, alias.match, .alias) }
        if service.builtinAliases {
            for alias in BuiltinAliases.aliases(for: service) { add(alias, .word, .builtin) }
        }
        // The name still names the service as an advisory's package or a feed's topic.
        keys = phrases.filter { $0.match != .regex }.map { Key(key: NormalizedText.key($0.text), text: $0.text) }
        self.phrases = service.matchName ? phrases : phrases.filter { $0.source != .name }
        excludes = service.exclude.map { Phrase(text: $0, match: .word, source: .alias) }
        packages = service.purls.compactMap(PackageURL.identity)
        ambiguity = self.phrases.map { phrase in
            phrase.match == .word ? AmbiguousNames.table[NormalizedText.key(phrase.text)] : nil
        }
    }

    /// The first phrase whose normalized text `names` accepts (a package's, a distribution's,
    /// a feed topic's), as the inventory writes it.
    func phrase(whoseKey names: (String) -> Bool) -> String? {
        keys.first { names($0.key) }?.text
    }
}

/// What `explain` says about one service and one entry.
public struct Verdict: Sendable, Hashable {
    public let service: String
    public let outcome: Outcome

    public enum Outcome: Sendable, Hashable {
        /// Tied to the service, as a subject or a mention, by a rule (and a hit in the text,
        /// unless the rule is the advisory's package, distribution or feed).
        case tagged(TagStrength, rule: String, Hit?)
        /// A phrase was found where it is not a name (inside a URL, code, …; an ambiguous
        /// name without the context that makes it the software).
        case notAName(Hit, reason: String)
        /// A phrase was found, but an exclude of the service was found too.
        case vetoed(Hit, by: Hit)
        /// A phrase was found, but the service does not take this feed's category.
        case category(CategoryFilter, Hit)
        /// A phrase was found only inside a longer word (the nearest miss).
        case boundary(Hit)
        /// No phrase of the service appears.
        case notMentioned
    }

    /// A phrase found in a field, with the original text around it.
    public struct Hit: Sendable, Hashable {
        public let phrase: CompiledService.Phrase
        public let field: String
        /// The whole field's text.
        public let text: String
        /// Where the hit is in `text`, in UTF-8 bytes.
        public let range: Range<Int>

        /// The words of the bulletin that matched.
        public var matched: String {
            String(decoding: Array(text.utf8)[range], as: UTF8.self)
        }
    }
}
