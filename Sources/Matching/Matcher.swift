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
    /// Feed title → the names its catalog entry says all its entries are about.
    private let feedTopics: [String: [String]]

    /// A matcher for `services`; `feedTopics` maps a feed's title to what the catalog says
    /// all its entries are about (`about="Amazon Linux"`).
    public init(services: [Service], feedTopics: [String: [String]] = [:]) {
        self.feedTopics = feedTopics
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
    public func tags(for entries: [StoredEntry]) -> [EntryTag] { tags(for: entries[...]) }

    /// The tags for a slice of entries (a refresh tags its new entries in chunks, sharing one list).
    public func tags(for entries: ArraySlice<StoredEntry>) -> [EntryTag] {
        guard !services.isEmpty else { return [] }  // no inventory: nothing to normalize text for
        let compiled = compileRegexes()
        return entries.flatMap { tags(for: $0, using: compiled) }
    }

    private func tags(for stored: StoredEntry, using compiledRegexes: [CompiledRegex]) -> [EntryTag] {
        let fields = Self.fields(of: stored.entry)
        let occurrences = find(in: fields, regexes: compiledRegexes, keepFailures: false)
        return judge(stored, fields: fields, occurrences: occurrences).compactMap { judgement in
            guard case .tagged(let strength, let rule, let finding) = judgement.outcome,
                  services[judgement.service].category.admits(stored.category) else { return nil }
            return EntryTag(entryRowID: stored.rowID, service: services[judgement.service].name, strength: strength,
                            rule: rule, alias: finding.phrase, field: finding.field,
                            position: finding.range?.lowerBound, length: finding.range?.count)
        }
    }

    // MARK: Judging

    /// What ties an entry to a service: a phrase in a field, or the advisory's package,
    /// distribution or feed (then in the title or the feed, without a hit).
    struct Finding {
        var phrase: String
        var field: String
        /// Where in the field's text, in UTF-8 bytes (nil for a feed's declaration).
        var range: Range<Int>?
    }

    struct Judgement {
        enum Outcome {
            case tagged(TagStrength, rule: String, Finding)
            case vetoed(exclude: Occurrence, hit: Occurrence?)
            case notAName(Occurrence, reason: String)
        }
        var service: Int
        var outcome: Outcome
    }

    /// Each service's strongest tie to the entry, in service order: a subject before a
    /// mention, then the earliest hit; a service with an exclude phrase in the entry is vetoed.
    private func judge(_ stored: StoredEntry, fields: [Field], occurrences: [Occurrence]) -> [Judgement] {
        let entry = stored.entry
        // What is known of each service the entry touches, found through an index by
        // service (hashing each hit's service, or a record per service of the inventory,
        // cost more than all the rest of judging).
        struct Record {
            var best: (TagStrength, String, Finding, Occurrence?)?
            var rejected: (Occurrence, String)?
            var veto: Occurrence?
        }
        var recordOf = [Int32](repeating: -1, count: services.count)
        var records: [(service: Int, record: Record)] = []
        func slot(_ service: Int) -> Int {
            if recordOf[service] < 0 {
                recordOf[service] = Int32(records.count)
                records.append((service, Record()))
            }
            return Int(recordOf[service])
        }
        var anyBest = false
        func offer(_ service: Int, _ strength: TagStrength, _ rule: String, _ finding: Finding, _ occurrence: Occurrence?) {
            let index = slot(service)
            if let current = records[index].record.best {
                let stronger = current.0 == .mention && strength == .subject
                let earlier = current.0 == strength && occurrence != nil
                    && (current.3.map { occurrence!.isBetter(than: $0) } ?? false)
                guard stronger || earlier else { return }
            }
            records[index].record.best = (strength, rule, finding, occurrence)
            anyBest = true
        }
        func reject(_ occurrence: Occurrence, _ reason: @autoclosure () -> String) {
            let index = slot(occurrence.service)
            if records[index].record.rejected == nil { records[index].record.rejected = (occurrence, reason()) }
        }

        // Declared subjects: the advisory's package, its distribution, the feed's topics.
        let declaration = DeclaredSubject.read(entry)
        if let declared = declaration {
            for package in declared.packages {
                let keys = PackageName.keys(of: package, naming: declared.naming)
                for (index, service) in services.enumerated() {
                    let purl = declared.naming == .ecosystem
                        ? service.packages.first { PackageURL.names($0, package: package) } : nil
                    guard let phrase = purl.map({ _ in package })
                        ?? service.phrase(whoseKey: { key in keys.contains { $0.names(key) } }) else { continue }
                    let range = entry.title.flatMap { title in
                        title.utf8.firstRange(of: package.utf8).map {
                            title.utf8.distance(from: title.utf8.startIndex, to: $0.lowerBound)
                                ..< title.utf8.distance(from: title.utf8.startIndex, to: $0.upperBound)
                        }
                    }
                    offer(index, .subject, declared.subjectRule(for: package) + (purl == nil ? "" : " (purl)"),
                          Finding(phrase: phrase, field: "title", range: range), nil)
                }
            }
        }
        // A release of a project that is none of the services declares nothing: its title
        // may name the product ("Docker Compose v2.24.0" from docker/compose).
        let declared = declaration?.kind == .release && !anyBest ? nil : declaration
        if let distribution = Distribution.of(entry) {
            for (index, service) in services.enumerated() {
                guard let phrase = service.phrase(whoseKey: { Distribution.names(distribution, $0) }) else { continue }
                let idLength = entry.title.map { $0.utf8.prefix { $0 != 0x20 && $0 != UInt8(ascii: ":") }.count } ?? 0
                offer(index, .subject, "\(distribution.id) id: \(distribution.names[0])",
                      Finding(phrase: phrase, field: "title", range: 0..<idLength), nil)
            }
        }
        for topic in feedTopics[stored.feedTitle] ?? [] {
            let key = NormalizedText.key(topic)
            for (index, service) in services.enumerated() where service.phrase(whoseKey: { $0 == key }) != nil {
                offer(index, .subject, "feed is about \(topic)", Finding(phrase: topic, field: "feed", range: nil), nil)
            }
        }

        // A module path in an advisory's title names its package: "… in github.com/containerd/containerd".
        if declared == nil, stored.category == .security, let title = entry.title, title.utf8.contains(UInt8(ascii: "/")) {
            for word in title.split(separator: " ") where word.contains("/") && word.split(separator: "/").first?.contains(".") == true {
                let module = String(word.trimmingCharacters(in: "()[],;:"))
                let keys = PackageName.keys(of: module, naming: .ecosystem)
                for (index, service) in services.enumerated() {
                    guard let phrase = service.phrase(whoseKey: { key in keys.contains { $0.names(key) } }) else { continue }
                    let start = title.utf8.distance(from: title.utf8.startIndex, to: word.utf8.startIndex)
                    offer(index, .subject, "title names its module: \(module)",
                          Finding(phrase: phrase, field: "title", range: start..<start + word.utf8.count), nil)
                }
            }
        }

        // Hits in the text: where they are names, and how strongly.
        let title = fields.first { $0.name == "title" }
        let isSecurity = stored.category == .security
        var textual: [(Occurrence, Range<Int>, Bool)] = []  // occurrence, original range, compound
        var titleNamesSomethingElse = false
        // Only the first name-like hit of a service in each field counts, and in the summary
        // also the first that may make it the topic: the others change nothing.
        // field * services.count + service → where its first hit starts (a longer phrase
        // starting there is still a better hit), and those whose topic hit is found.
        var firstHit = [Int32](repeating: -1, count: fields.count * services.count)
        var topicHit = [Bool](repeating: false, count: fields.count * services.count)
        // In reading order (regular-expression hits come after the automaton's): earlier
        // field, earlier start, longer first.
        for occurrence in occurrences.sorted(by: { $0.isBetter(than: $1) }) {
            if occurrence.kind == .exclude {
                let index = slot(occurrence.service)
                if records[index].record.veto == nil { records[index].record.veto = occurrence }
                continue
            }
            let slot = occurrence.field * services.count + occurrence.service
            let field = fields[occurrence.field]
            let seen = firstHit[slot] >= 0 && firstHit[slot] != Int32(occurrence.range.lowerBound)
            if seen && (field.name == "title" || topicHit[slot]) { continue }
            let range = field.normalized.originalRange(of: occurrence.range, in: field.text)
            let mayBeTopic = field.name == "summary" && (range.upperBound <= field.firstSentenceEnd
                || ProseTopic.isFixedRelease(field.normalized.bytes, range: occurrence.range))
            if seen && !mayBeTopic { continue }
            let original = field.bytes
            if let reason = NameContext.notAName(in: original, range: range, code: field.code) {
                reject(occurrence, reason)
                // "Updates to docs.python.org" is about the site, not about Python.
                if field.name == "title" { titleNamesSomethingElse = true }
                continue
            }
            if let context = services[occurrence.service].ambiguity[occurrence.phrase], !AmbiguousNames.hasContext(
                context, range: occurrence.range, normalized: field.normalized.bytes,
                originalFirstByte: range.isEmpty ? nil : original[range.lowerBound]) {
                reject(occurrence, "\"\(services[occurrence.service].phrases[occurrence.phrase].text)\" is also a "
                    + "common word or name, and nothing around it makes it the software")
                continue
            }
            let compound = NameContext.isCompound(in: original, range: range)
            if !compound {
                if firstHit[slot] < 0 { firstHit[slot] = Int32(occurrence.range.lowerBound) }
                if mayBeTopic { topicHit[slot] = true }
            }
            textual.append((occurrence, range, compound))
        }
        let titleServices = Set(textual.filter { fields[$0.0.field].name == "title" && !$0.2 }.map(\.0.service))
        // Read only when a hit needs them: most entries name their subject in the title.
        let declaresSubject = anyBest  // an advisory's package, distribution, feed or module
        lazy var summaryTopicAllowed = declared == nil && titleServices.isEmpty && !declaresSubject && !titleNamesSomethingElse
            && !ProseTopic.namesOtherProduct(title?.text ?? "", hits: textual.filter { fields[$0.0.field].name == "title" }.map(\.1))
        lazy var titleIsNews = isSecurity
            || ProseTopic.isNews(original: title?.bytes ?? [], normalized: title?.normalized.bytes ?? [])
        for (occurrence, range, compound) in textual {
            let field = fields[occurrence.field]
            let phrase = services[occurrence.service].phrases[occurrence.phrase].text
            let finding = Finding(phrase: phrase, field: field.name, range: range)
            let (strength, rule): (TagStrength, String)
            if compound {
                (strength, rule) = (.mention, "part of a compound word")
            } else if let declared {
                (strength, rule) = (.mention, declared.othersRule)
            } else if field.name == "title" {
                let news = titleIsNews || ProseTopic.isNewBefore(field.normalized.bytes, range: occurrence.range)
                (strength, rule) = news ? (.subject, "title") : (.mention, "title, but not news of it")
            } else if summaryTopicAllowed, titleIsNews, range.upperBound <= field.firstSentenceEnd {
                (strength, rule) = (.subject, "summary's first sentence")
            } else if summaryTopicAllowed, isSecurity, ProseTopic.isFixedRelease(field.normalized.bytes, range: occurrence.range) {
                (strength, rule) = (.subject, "summary names the release that fixes it")
            } else {
                (strength, rule) = (.mention, "summary")
            }
            offer(occurrence.service, strength, rule, finding, occurrence)
        }
        // A release whose title names nothing ("3.2.1 Release Candidate 2 Released") is of the
        // product its feed is named for ("Python Insider"), when the feed names one.
        if declared == nil, !declaresSubject, titleServices.isEmpty, !titleNamesSomethingElse, let title,
           ProseTopic.isBareRelease(original: title.bytes, normalized: title.normalized.bytes),
           let (service, phrase) = serviceNamed(byFeedTitle: stored.feedTitle) {
            offer(service, .subject, "a release, in a feed named for it",
                  Finding(phrase: phrase, field: "feed", range: nil), nil)
        }

        var judgements: [Judgement] = []
        for (index, record) in records.sorted(by: { $0.service < $1.service }) {
            if let veto = record.veto, let best = record.best {
                judgements.append(Judgement(service: index, outcome: .vetoed(exclude: veto, hit: best.3)))
            } else if let (strength, rule, finding, _) = record.best {
                judgements.append(Judgement(service: index, outcome: .tagged(strength, rule: rule, finding)))
            } else if let (occurrence, reason) = record.rejected {
                judgements.append(Judgement(service: index, outcome: .notAName(occurrence, reason: reason)))
            }
        }
        return judgements
    }

    /// The one service a feed's title names as its software ("Python Insider": Python): nil
    /// when it names none, several, or one by an alias that is also a common word ("Go").
    private func serviceNamed(byFeedTitle feedTitle: String) -> (service: Int, phrase: String)? {
        let field = Field(name: "feed", text: feedTitle)
        var named: [Int: String] = [:]
        for occurrence in find(in: [field], regexes: [], keepFailures: false) where occurrence.kind == .alias {
            let range = field.normalized.originalRange(of: occurrence.range, in: field.text)
            guard NameContext.notAName(in: field.bytes, range: range, code: field.code) == nil,
                  !NameContext.isCompound(in: field.bytes, range: range) else { continue }
            guard services[occurrence.service].ambiguity[occurrence.phrase] == nil else { return nil }
            named[occurrence.service] = services[occurrence.service].phrases[occurrence.phrase].text
        }
        guard named.count == 1, let (service, phrase) = named.first else { return nil }
        return (service, phrase)
    }

    // MARK: Explain

    /// For every service, whether the entry is tied to it and why, or its nearest miss.
    public func explain(_ stored: StoredEntry) -> [Verdict] {
        let fields = Self.fields(of: stored.entry)
        let compiled = compileRegexes()
        let judgements = judge(stored, fields: fields, occurrences: find(in: fields, regexes: compiled, keepFailures: false))
        let nearMisses = find(in: fields, regexes: compiled, keepFailures: true).filter { !$0.boundaryHolds }
        func hit(_ occurrence: Occurrence) -> Verdict.Hit {
            let field = fields[occurrence.field]
            let service = services[occurrence.service]
            let phrase = occurrence.kind == .alias ? service.phrases[occurrence.phrase] : service.excludes[occurrence.phrase]
            return Verdict.Hit(phrase: phrase, field: field.name, text: field.text,
                               range: field.normalized.originalRange(of: occurrence.range, in: field.text))
        }
        func hit(_ finding: Finding, of service: CompiledService) -> Verdict.Hit? {
            guard let range = finding.range else { return nil }
            let text = finding.field == "title" ? stored.entry.title ?? "" : stored.entry.summary ?? ""
            let phrase = service.phrases.first { $0.text == finding.phrase }
                ?? CompiledService.Phrase(text: finding.phrase, match: .word, source: .name)
            return Verdict.Hit(phrase: phrase, field: finding.field, text: text, range: range)
        }
        let byService = Dictionary(judgements.map { ($0.service, $0.outcome) }, uniquingKeysWith: { first, _ in first })
        return services.indices.map { index in
            let service = services[index]
            let outcome: Verdict.Outcome
            switch byService[index] {
            case .tagged(let strength, let rule, let finding):
                if service.category.admits(stored.category) {
                    outcome = .tagged(strength, rule: rule, hit(finding, of: service))
                } else if let found = hit(finding, of: service) {
                    outcome = .category(service.category, found)
                } else {
                    outcome = .notMentioned
                }
            case .vetoed(let exclude, let first):
                outcome = .vetoed(first.map(hit) ?? hit(exclude), by: hit(exclude))
            case .notAName(let occurrence, let reason):
                outcome = .notAName(hit(occurrence), reason: reason)
            case nil:
                if let miss = nearMisses.filter({ $0.service == index && $0.kind == .alias })
                    .min(by: { $0.isBetter(than: $1) }) {
                    outcome = .boundary(hit(miss))
                } else {
                    outcome = .notMentioned
                }
            }
            return Verdict(service: service.name, outcome: outcome)
        }
    }

    // MARK: Finding

    /// A field of the entry: its text, normalized for the automaton; the rest is read only
    /// for a field with a hit (most entries have none).
    final class Field {
        let name: String
        let text: String
        let normalized: NormalizedText
        /// `text` as UTF-8, where code spans lie in it, and where its first sentence ends.
        private(set) lazy var bytes: [UInt8] = Array(text.utf8)
        private(set) lazy var code: [Range<Int>] = NameContext.codeSpans(in: bytes)
        private(set) lazy var firstSentenceEnd: Int = ProseTopic.firstSentenceEnd(bytes)

        init(name: String, text: String) {
            self.name = name
            self.text = text
            normalized = NormalizedText(text)
        }
    }

    static func fields(of entry: FeedEntry) -> [Field] {
        [("title", entry.title), ("summary", entry.summary)].compactMap { name, text in
            text.map { Field(name: name, text: $0) }
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
            // At most `inputLimit` bytes (cut at a character's start): the bound on a regex's time.
            var limit = min(text.count, RegexAliasCheck.inputLimit)
            while limit < text.count, limit > 0, text[limit] & 0xC0 == 0x80 { limit -= 1 }
            let string = String(decoding: text[..<limit], as: UTF8.self)
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
            RegexAliasCheck.compiled(use.pattern).map { CompiledRegex(use: use, regex: $0) }
        }
    }
}

/// One place a phrase of a service was found, in normalized bytes.
struct Occurrence {
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

struct Use: Sendable {
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
