import FoundationEssentials
import Digest
import Matching
import Models

/// Why one bulletin was or was not tied to each service, as `bulletin explain` prints it
/// (text for people, JSON for scripts): the matcher's verdicts now, the stored tags, and
/// where the digest puts the entry.
struct Explanation {
    let entry: StoredEntry
    let assessment: Assessment?
    let kev: [KnownExploited]
    /// One per service, in inventory order.
    let verdicts: [Verdict]
    /// Where the digest puts the entry, and why (`ExplainCommand.placement`).
    let placement: String
    /// How the stored tags differ from the verdicts ("+nginx:subject", "-curl:mention").
    let changes: [String]

    init(_ entry: StoredEntry, matcher: Matcher, stored: [EntryTag], assessment: Assessment?,
         kev: [KnownExploited], services: [Service] = [], highRisk: Int = 15) {
        self.entry = entry
        self.assessment = assessment
        self.kev = kev
        verdicts = matcher.explain(entry)
        let tagged = verdicts.compactMap { verdict -> (service: String, strength: TagStrength)? in
            guard case .tagged(let strength, _, _) = verdict.outcome else { return nil }
            return (verdict.service, strength)
        }
        placement = ExplainCommand.placement(
            subjects: tagged.filter { $0.strength == .subject }.map(\.service),
            mentions: tagged.filter { $0.strength == .mention }.map(\.service),
            severity: assessment?.severity, kev: !kev.isEmpty || (assessment?.kev ?? false),
            services: services, highRisk: highRisk)
        let current = Set(tagged.map { $0.service + ":" + $0.strength.rawValue })
        let before = Set(stored.map { $0.service + ":" + $0.strength.rawValue })
        changes = current.subtracting(before).sorted().map { "+" + $0 } + before.subtracting(current).sorted().map { "-" + $0 }
    }

    /// For people: the entry, the services it is about and mentions, the digest's place,
    /// the services found but not tagged (`all`: every service).
    func text(all: Bool) -> String {
        var lines = ["Entry \(entry.rowID): \(ShownText.line(entry.entry.title ?? "(untitled)"))"]
        func detail(_ label: String, _ value: String?) {
            if let value { lines.append("  " + (label + ":").padded(to: 12) + ShownText.line(value)) }
        }
        detail("feed", "\(entry.feedTitle) (\(entry.category.rawValue))")
        detail("link", entry.entry.link.map(ShownText.link))
        detail("date", entry.entry.date.map(Timestamp.rfc3339))
        detail("advisories", entry.entry.advisories.isEmpty ? nil : entry.entry.advisories.joined(separator: " "))
        let severity = assessment?.severity.map { severity in
            severity.description + (assessment?.cvss.map { " (CVSS \(Self.format($0)))" } ?? "")
        }
        detail("severity", severity ?? (assessment == nil ? "not assessed yet (run 'bulletin tag')" : "not stated"))
        for record in kev {
            detail("exploited", "\(record.cveID) is in CISA's KEV catalog (added \(record.dateAdded)"
                + (record.dueDate.map { ", due \($0)" } ?? "") + ")")
        }

        let width = min(24, (verdicts.map(\.service.count).max() ?? 0) + 2)
        func tagged(_ strength: TagStrength) -> [(String, String)] {
            verdicts.compactMap { verdict in
                guard case .tagged(strength, let rule, let hit) = verdict.outcome else { return nil }
                return (verdict.service, rule + (hit.map { ": " + Self.describe($0) } ?? ""))
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
        lines.append("Digest: " + placement)
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
                lines.append("  " + verdict.service.padded(to: width) + Self.miss(verdict.outcome))
            }
        }
        if !changes.isEmpty {
            lines.append("")
            lines.append("The stored tags differ (\(changes.joined(separator: " "))): run 'bulletin tag' to update them.")
        }
        return lines.joined(separator: "\n")
    }

    /// For scripts: the same, with every service's verdict (`--format json`).
    var json: JSON {
        func hit(_ hit: Verdict.Hit) -> JSON {
            .object([("phrase", .string(ShownText.line(hit.phrase.text))), ("source", .string(hit.phrase.source.rawValue)),
                     ("match", .string(hit.phrase.match.rawValue)), ("field", .string(hit.field)),
                     ("position", .int(hit.range.lowerBound)), ("snippet", .string(ShownText.line(Self.snippet(hit))))])
        }
        let services: [JSON] = verdicts.map { verdict in
            let (outcome, rule, found, detail): (String, String?, Verdict.Hit?, JSON) = switch verdict.outcome {
            case .tagged(let strength, let rule, let found): (strength.rawValue, rule, found, .null)
            case .notAName(let found, let reason): ("not-a-name", nil, found, .string(reason))
            case .vetoed(let found, let exclude): ("vetoed", nil, found, hit(exclude))
            case .category(let filter, let found): ("category", nil, found, .string(filter.rawValue))
            case .boundary(let found): ("inside-a-word", nil, found, .null)
            case .notMentioned: ("not-mentioned", nil, nil, .null)
            }
            return .object([("service", .string(verdict.service)), ("outcome", .string(outcome)), ("rule", .string(rule)),
                            ("hit", found.map(hit) ?? .null), ("detail", detail)])
        }
        return .object([
            ("entry", .int(Int(entry.rowID))),
            ("title", .string(entry.entry.title.map(ShownText.line))),
            ("feed", .string(ShownText.line(entry.feedTitle))),
            ("category", .string(entry.category.rawValue)),
            ("link", .string(entry.entry.link.flatMap(DisplayText.webLink))),
            ("date", .string(entry.entry.date.map(Timestamp.rfc3339))),
            ("advisories", .strings(entry.entry.advisories)),
            ("assessed", .bool(assessment != nil)),
            ("severity", .string(assessment?.severity?.description)),
            ("cvss", assessment?.cvss.map(JSON.number) ?? .null),
            ("kev", .array(kev.map { record in
                .object([("cve", .string(record.cveID)), ("added", .string(record.dateAdded)), ("due", .string(record.dueDate))])
            })),
            ("services", .array(services)),
            ("digest", .string(placement)),
            ("stored_tags_differ", .strings(changes)),
        ])
    }

    static func describe(_ hit: Verdict.Hit) -> String {
        var kind = hit.phrase.source.rawValue
        if hit.phrase.match != .word { kind += ", " + hit.phrase.match.rawValue }
        return "\"\(hit.phrase.text)\" (\(kind)) in \(hit.field) at \(hit.range.lowerBound): \(snippet(hit))"
    }

    static func miss(_ outcome: Verdict.Outcome) -> String {
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
