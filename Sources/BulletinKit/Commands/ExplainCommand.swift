import FoundationEssentials
import Digest
import Matching
import Models
import Storage

/// `bulletin explain ID`: why a bulletin was (or was not) tied to each service.
enum ExplainCommand {
    static let spec = CommandSpec(
        name: "explain",
        abstract: "Show why a bulletin was or was not tagged, service by service.",
        discussion: """
            ID is an entry's number (as 'bulletin tag' prints it) or an advisory id such as \
            CVE-2024-3094 (every stored entry that names it). Prints the entry, each service \
            it is about (subject) or names in passing (mention) with the rule that decided it \
            and the text around the hit, and each service whose name was found but did not \
            count: not a name there (a URL, code, an ambiguous word without context), vetoed \
            by an exclude, a category the service does not take. --all also lists the services \
            not mentioned and hits inside longer words. Positions are byte offsets in the \
            field's text.
            """,
        arguments: [.init(name: "id", help: "An entry number or an advisory id (CVE-…, GHSA-…, USN-…).")],
        options: [.init(name: "--all", value: nil, help: "Also list every service the entry does not name.")],
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let configuration = try Configuration.load(invocation.global)
        let store = try Pipeline(configuration: configuration, console: invocation.console).openStoreForReading()
        let entries = try find(invocation.arguments[0], in: store)
        let matcher = Matcher(services: configuration.services, feedTopics: try configuration.feedTopics())
        let text = try entries.map { stored in
            explain(stored, matcher: matcher, stored: try store.tags(of: stored.rowID),
                    assessment: try store.assessment(of: stored.rowID),
                    kev: try stored.entry.advisories.compactMap { try store.kevRecord($0) },
                    all: invocation.flags.contains("--all"), services: configuration.services,
                    highRisk: configuration.settings.digest.highRisk)
        }
        // Feed text as the digest shows it: no controls, no bidirectional overrides (ShownText).
        invocation.console.print(ShownText.lines(text.joined(separator: "\n\n")))
        return .success
    }

    /// The entries an id names: an entry number, or every entry naming an advisory.
    static func find(_ id: String, in store: Store) throws -> [StoredEntry] {
        if let number = Int64(id) {
            guard let entry = try store.entry(rowID: number) else {
                throw RuntimeError(message: "explain: no entry \(number) in \(store.path)")
            }
            return [entry]
        }
        let entries = try store.entries(mentioning: id)
        guard !entries.isEmpty else {
            throw RuntimeError(message: "explain: no stored entry names '\(id)' (give an entry number or an advisory id)")
        }
        return entries
    }

    static func explain(_ entry: StoredEntry, matcher: Matcher, stored: [EntryTag], assessment: Assessment?,
                        kev: [KnownExploited], all: Bool = false, services: [Service] = [], highRisk: Int = 15) -> String {
        var lines = ["Entry \(entry.rowID): \(ShownText.line(entry.entry.title ?? "(untitled)"))"]
        func detail(_ label: String, _ value: String?) {
            if let value { lines.append("  " + (label + ":").padded(to: 12) + ShownText.line(value)) }
        }
        detail("feed", "\(entry.feedTitle) (\(entry.category.rawValue))")
        detail("link", entry.entry.link.map(ShownText.link))
        detail("date", entry.entry.date.map(Timestamp.rfc3339))
        detail("advisories", entry.entry.advisories.isEmpty ? nil : entry.entry.advisories.joined(separator: " "))
        let severity = assessment?.severity.map { severity in
            severity.description + (assessment?.cvss.map { " (CVSS \(format($0)))" } ?? "")
        }
        detail("severity", severity ?? (assessment == nil ? "not assessed yet (run 'bulletin tag')" : "not stated"))
        for record in kev {
            detail("exploited", "\(record.cveID) is in CISA's KEV catalog (added \(record.dateAdded)"
                + (record.dueDate.map { ", due \($0)" } ?? "") + ")")
        }

        let verdicts = matcher.explain(entry)
        let width = min(24, (verdicts.map(\.service.count).max() ?? 0) + 2)
        func tagged(_ strength: TagStrength) -> [(String, String)] {
            verdicts.compactMap { verdict in
                guard case .tagged(strength, let rule, let hit) = verdict.outcome else { return nil }
                return (verdict.service, rule + (hit.map { ": " + describe($0) } ?? ""))
            }
        }
        let subjects = tagged(.subject), mentions = tagged(.mention)
        lines.append("")
        lines.append(subjects.isEmpty ? "About: none" : "About (subject):")
        for (service, why) in subjects { lines.append("  " + service.padded(to: width) + why) }
        if !mentions.isEmpty {
            lines.append("Mentioned:")
            for (service, why) in mentions { lines.append("  " + service.padded(to: width) + why) }
        }
        lines.append("Digest: " + placement(subjects: subjects.map(\.0), mentions: mentions.map(\.0),
                                            severity: assessment?.severity, kev: !kev.isEmpty || (assessment?.kev ?? false),
                                            services: services, highRisk: highRisk))
        let untagged = verdicts.filter { verdict in
            switch verdict.outcome {
            case .tagged: false
            case .notMentioned, .boundary: all
            case .vetoed, .category, .notAName: true
            }
        }
        if !untagged.isEmpty {
            lines.append("Not tagged:")
            for verdict in untagged {
                lines.append("  " + verdict.service.padded(to: width) + miss(verdict.outcome))
            }
        }
        let current = Set(verdicts.compactMap { verdict -> String? in
            guard case .tagged(let strength, _, _) = verdict.outcome else { return nil }
            return verdict.service + ":" + strength.rawValue
        })
        let before = Set(stored.map { $0.service + ":" + $0.strength.rawValue })
        if current != before {
            let changes = current.subtracting(before).sorted().map { "+" + $0 }
                + before.subtracting(current).sorted().map { "-" + $0 }
            lines.append("")
            lines.append("The stored tags differ (\(changes.joined(separator: " "))): run 'bulletin tag' to update them.")
        }
        return lines.joined(separator: "\n")
    }

    /// Where the digest puts the entry, and why (`DigestBuilder.actionNeeded`).
    static func placement(subjects: [String], mentions: [String], severity: Severity?, kev: Bool,
                          services: [Service], highRisk: Int) -> String {
        guard !subjects.isEmpty else {
            return mentions.isEmpty ? "not shown (it is about none of your services)"
                : "one line under Also mentioned (it only mentions \(mentions.joined(separator: ", ")))"
        }
        let risks = Dictionary(services.map { ($0.name, $0.risk) }, uniquingKeysWith: max)
        let riskiest = subjects.max { risks[$0, default: 0] < risks[$1, default: 0] } ?? subjects[0]
        let risk = risks[riskiest, default: 0]
        switch DigestBuilder.actionNeeded(kev: kev, severity: severity, risk: risk, highRisk: highRisk) {
        case .exploited: return "Action needed: one of its CVEs is in CISA's KEV catalog"
        case .critical: return "Action needed: critical severity"
        case .highOnHighRisk:
            return "Action needed: \(severity!) severity on \(riskiest), whose risk \(risk) is at or above \(highRisk)"
        case nil:
            let why = severity.map { severity in
                severity >= .high ? "\(severity) severity, but \(riskiest)'s risk \(risk) is below \(highRisk)"
                    : "\(severity) severity"
            } ?? "no severity stated"
            return "a row under \(riskiest), not Action needed (\(why); KEV-listed, critical, or high on a service "
                + "at or above risk \(highRisk) would be)"
        }
    }

    private static func describe(_ hit: Verdict.Hit) -> String {
        var kind = hit.phrase.source.rawValue
        if hit.phrase.match != .word { kind += ", " + hit.phrase.match.rawValue }
        return "\"\(hit.phrase.text)\" (\(kind)) in \(hit.field) at \(hit.range.lowerBound): \(snippet(hit))"
    }

    private static func miss(_ outcome: Verdict.Outcome) -> String {
        switch outcome {
        case .tagged(let strength, let rule, let hit):
            return strength.rawValue + ", " + rule + (hit.map { ": " + describe($0) } ?? "")
        case .notAName(let hit, let reason):
            return "not a name here (\(reason)): \(describe(hit))"
        case .vetoed(let hit, let exclude):
            return "vetoed by exclude \"\(exclude.phrase.text)\" in \(exclude.field) at \(exclude.range.lowerBound): "
                + "\(snippet(exclude)); the hit was \(describe(hit))"
        case .category(let filter, let hit):
            return "takes only \(filter.rawValue) bulletins; the hit was \(describe(hit))"
        case .boundary(let hit):
            return "only inside a longer word: \(describe(hit))"
        case .notMentioned:
            return "not mentioned"
        }
    }

    /// The text around a hit, the hit in «», cut to about 40 characters each side.
    static func snippet(_ hit: Verdict.Hit, context: Int = 40) -> String {
        let utf8 = Array(hit.text.utf8)
        let before = String(decoding: utf8[..<hit.range.lowerBound], as: UTF8.self)
        let matched = String(decoding: utf8[hit.range], as: UTF8.self)
        let after = String(decoding: utf8[hit.range.upperBound...], as: UTF8.self)
        func flat(_ text: some StringProtocol) -> String {
            String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        }
        let head = before.count > context ? "…" + flat(before.suffix(context)) : flat(before)
        let tail = after.count > context ? flat(after.prefix(context)) + "…" : flat(after)
        return head + "«" + flat(matched) + "»" + tail
    }

    static func format(_ score: Double) -> String {
        let tenths = Int((score * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
