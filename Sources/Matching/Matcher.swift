import Models

/// Ties entries to the inventory's services. All the aliases and excludes of all the
/// services are compiled into one Aho–Corasick automaton over normalized text (see
/// ``NormalizedText``), so a field is read once whatever the size of the inventory;
/// word boundaries are checked on each hit, excludes applied after. Pure: no I/O.
///
/// A service is tagged when one of its phrases appears in the title or the summary (the
/// title's first hit wins, else the summary's), as its match mode asks, no exclude phrase
/// of the service appears in either field, and its category filter admits the feed's category.
public struct Matcher: Sendable {
    /// The services, with the phrases each is matched by.
    public let services: [CompiledService]
    /// The distinct normalized phrases, by pattern id, and their lengths.
    private let patterns: [[UInt8]]
    private let patternLengths: [Int]
    /// The patterns, each after a space (see `init`).
    private let automaton: AhoCorasick
    private let startState: Int
    /// The (service, phrase) pairs that use pattern `id` are `uses[useStart[id]..<useStart[id + 1]]`.
    private let uses: [Use]
    private let useStart: [Int]
    private let regexes: [RegexUse]

    public init(services: [Service]) {
        var patternID: [[UInt8]: Int] = [:]
        var patterns: [[UInt8]] = []
        var uses: [[Use]] = []
        var regexes: [RegexUse] = []
        var compiled: [CompiledService] = []
        for (serviceIndex, service) in services.enumerated() {
            let entry = CompiledService(service)
            for (phraseIndex, phrase) in (entry.phrases + entry.excludes).enumerated() {
                let kind: Use.Kind = phraseIndex < entry.phrases.count ? .alias : .exclude
                let index = kind == .alias ? phraseIndex : phraseIndex - entry.phrases.count
                if phrase.match == .regex {
                    regexes.append(RegexUse(service: serviceIndex, phrase: index, pattern: phrase.text))
                    continue
                }
                let bytes = NormalizedText(phrase.text).bytes
                guard !bytes.isEmpty else { continue }
                let id = patternID[bytes] ?? {
                    patterns.append(bytes)
                    uses.append([])
                    patternID[bytes] = patterns.count - 1
                    return patterns.count - 1
                }()
                uses[id].append(Use(service: Int32(serviceIndex), phrase: Int32(index), kind: kind, mode: phrase.match))
            }
            compiled.append(entry)
        }
        self.services = compiled
        self.patterns = patterns
        self.patternLengths = patterns.map(\.count)
        // Every phrase starts a word, so the automaton reads each pattern after a space and
        // the text as if a space came first: hits start at word starts only, and inside words
        // that start no phrase the automaton rests in its start state.
        self.automaton = AhoCorasick(patterns.map { [0x20] + $0 })
        self.startState = automaton.state(after: [0x20])
        self.useStart = uses.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        self.uses = uses.flatMap { $0 }
        self.regexes = regexes
    }

    /// How many distinct phrases the automaton holds, and its states (for reports).
    public var size: (patterns: Int, states: Int) { (patterns.count, automaton.stateCount) }

    // MARK: Tags

    /// The tags for one stored entry, one per matching service, with where and why.
    public func tags(for stored: StoredEntry) -> [EntryTag] {
        tags(for: stored, using: compileRegexes())
    }

    /// The tags for many entries (regular-expression aliases are compiled once).
    public func tags(for entries: [StoredEntry]) -> [EntryTag] {
        guard !services.isEmpty else { return [] }  // no inventory: nothing to normalize text for
        let compiled = compileRegexes()
        return entries.flatMap { tags(for: $0, using: compiled) }
    }

    private func tags(for stored: StoredEntry, using compiledRegexes: [CompiledRegex]) -> [EntryTag] {
        let fields = Self.fields(of: stored.entry)
        let occurrences = find(in: fields, regexes: compiledRegexes, keepFailures: false)
        // Few services match one entry: a sorted array of the best hit per service beats hashing.
        var vetoed: [Int] = []
        var best: [Occurrence] = []
        for occurrence in occurrences {
            if occurrence.kind == .exclude {
                vetoed.append(occurrence.service)
            } else if let index = best.firstIndex(where: { $0.service == occurrence.service }) {
                if occurrence.isBetter(than: best[index]) { best[index] = occurrence }
            } else {
                best.append(occurrence)
            }
        }
        best.sort { $0.service < $1.service }
        return best.compactMap { occurrence in
            let service = services[occurrence.service]
            guard !vetoed.contains(occurrence.service), service.category.admits(stored.category) else { return nil }
            let field = fields[occurrence.field]
            let range = field.normalized.originalRange(of: occurrence.range, in: field.text)
            return EntryTag(entryRowID: stored.rowID, service: service.name,
                            alias: service.phrases[occurrence.phrase].text, field: field.name,
                            position: range.lowerBound, length: range.count)
        }
    }

    // MARK: Explain

    /// For every service, whether the entry is tied to it and why, or its nearest miss.
    public func explain(_ stored: StoredEntry) -> [Verdict] {
        let fields = Self.fields(of: stored.entry)
        let occurrences = find(in: fields, regexes: compileRegexes(), keepFailures: true)
        func hit(_ occurrence: Occurrence) -> Verdict.Hit {
            let field = fields[occurrence.field]
            let service = services[occurrence.service]
            let phrase = occurrence.kind == .alias ? service.phrases[occurrence.phrase] : service.excludes[occurrence.phrase]
            return Verdict.Hit(phrase: phrase, field: field.name, text: field.text,
                               range: field.normalized.originalRange(of: occurrence.range, in: field.text))
        }
        return services.indices.map { index in
            let service = services[index]
            let mine = occurrences.filter { $0.service == index }
            let accepted = mine.filter { $0.kind == .alias && $0.boundaryHolds }
            let excludes = mine.filter { $0.kind == .exclude && $0.boundaryHolds }
            let outcome: Verdict.Outcome
            if let first = accepted.min(by: { $0.isBetter(than: $1) }) {
                if let exclude = excludes.min(by: { $0.isBetter(than: $1) }) {
                    outcome = .vetoed(hit(first), by: hit(exclude))
                } else if !service.category.admits(stored.category) {
                    outcome = .category(service.category, hit(first))
                } else {
                    outcome = .tagged(hit(first))
                }
            } else if let failed = mine.filter({ $0.kind == .alias }).min(by: { $0.isBetter(than: $1) }) {
                outcome = .boundary(hit(failed))
            } else {
                outcome = .notMentioned
            }
            return Verdict(service: service.name, outcome: outcome)
        }
    }

    // MARK: Finding

    struct Field {
        let name: String
        let text: String
        let normalized: NormalizedText
    }

    static func fields(of entry: FeedEntry) -> [Field] {
        [("title", entry.title), ("summary", entry.summary)].compactMap { name, text in
            text.map { Field(name: name, text: $0, normalized: NormalizedText($0)) }
        }
    }

    /// Every occurrence of every phrase in `fields`; with `keepFailures`, also those whose
    /// word boundaries do not hold.
    private func find(in fields: [Field], regexes: [CompiledRegex], keepFailures: Bool) -> [Occurrence] {
        var found: [Occurrence] = []
        // Explain also wants the hits inside words, which the anchored automaton never reports.
        let inside = keepFailures ? AhoCorasick(patterns) : nil
        for (fieldIndex, field) in fields.enumerated() {
            let text = field.normalized.bytes
            func report(_ id: Int, _ end: Int) {
                let start = end - patternLengths[id]
                let left = start == 0 || text[start - 1] == 0x20
                let right = end == text.count || text[end] == 0x20
                for use in uses[useStart[id]..<useStart[id + 1]] {
                    let holds = left && (use.mode == .prefix || right)
                    guard holds || keepFailures else { continue }
                    found.append(Occurrence(field: fieldIndex, range: start..<end, service: Int(use.service),
                                            phrase: Int(use.phrase), kind: use.kind, boundaryHolds: holds))
                }
            }
            (inside ?? automaton).scan(text, from: inside == nil ? startState : 0, found: report)
            guard !regexes.isEmpty else { continue }
            let string = String(decoding: text, as: UTF8.self)
            for regex in regexes {
                for match in string.matches(of: regex.regex) where !match.range.isEmpty {
                    let start = string.utf8.distance(from: string.startIndex, to: match.range.lowerBound)
                    let end = string.utf8.distance(from: string.startIndex, to: match.range.upperBound)
                    let holds = (start == 0 || text[start - 1] == 0x20) && (end == text.count || text[end] == 0x20)
                    guard holds || keepFailures else { continue }
                    found.append(Occurrence(field: fieldIndex, range: start..<end, service: regex.use.service,
                                            phrase: regex.use.phrase, kind: regex.use.kind, boundaryHolds: holds))
                }
            }
        }
        return found
    }

    private func compileRegexes() -> [CompiledRegex] {
        regexes.compactMap { use in
            // The text is in lower case: a pattern with no capital letter needs no (slow)
            // case-insensitive matching to find the same.
            (try? Regex(use.pattern)).map { regex in
                CompiledRegex(use: use, regex: use.pattern.contains(where: \.isUppercase) ? regex.ignoresCase() : regex)
            }
        }
    }
}

/// One place a phrase of a service was found, in normalized bytes.
private struct Occurrence {
    let field: Int
    let range: Range<Int>
    let service: Int
    let phrase: Int
    let kind: Use.Kind
    let boundaryHolds: Bool

    /// Earlier field first, then earlier in the field, then longer.
    func isBetter(than other: Occurrence) -> Bool {
        (field, range.lowerBound, -range.count) < (other.field, other.range.lowerBound, -other.range.count)
    }
}

private struct Use: Sendable {
    enum Kind: Sendable { case alias, exclude }
    let service: Int32
    let phrase: Int32
    let kind: Kind
    let mode: MatchMode
}

private struct RegexUse: Sendable {
    let service: Int
    let phrase: Int
    let pattern: String
    var kind: Use.Kind { .alias }
}

/// Not `Sendable` (Swift's `Regex` is not), so compiled per call, not kept in the matcher.
private struct CompiledRegex {
    let use: RegexUse
    let regex: Regex<AnyRegexOutput>
}
