import Digest
import FoundationEssentials
import Matching
import Models
import Storage

/// `bulletin tag [--dry-run]`: re-match every stored entry against the current inventory.
enum TagCommand {
    static let spec = CommandSpec(
        name: "tag",
        abstract: "Re-tag every stored bulletin against the current inventory.",
        discussion: """
            After an inventory edit: matches every stored entry again, stores the new tags \
            and severities, and prints each tag added (+) or removed (-). With --dry-run, \
            prints the same lines and writes nothing: what the edit would change.
            """,
        options: [
            .init(name: "--dry-run", value: nil, help: "Show what would change; write nothing."),
            .init(name: "--days", value: "n", help: "The window of the per-service count (default 90)."),
            .init(name: "--format", value: "format", help: "Output format.", choices: ["text", "json"]),
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let days = try invocation.value("--days").map { try positiveInteger($0, option: "--days", in: spec) } ?? 90
        let dryRun = invocation.flags.contains("--dry-run")
        let configuration = try Configuration.load(invocation.global)
        let store = try Pipeline(configuration: configuration, console: invocation.console).openStore()
        let entries = try store.allEntries()
        let computed = Matcher(services: configuration.services, feedTopics: try configuration.feedTopics())
            .tags(for: entries)
        let diff = TagDiff(stored: try store.allTags(), computed: computed)
        let assessor = Assessor(knownExploited: try store.kevIDs())
        if !dryRun {
            try store.applyRetag(added: diff.added + diff.updated, removed: diff.removed,
                                 assessments: entries.map(assessor.assess))
        }
        if invocation.value("--format") == "json" {
            invocation.console.print(json(diff, entries: entries, dryRun: dryRun).rendered())
        } else {
            invocation.console.print(report(diff, computed: computed, entries: entries, days: days, dryRun: dryRun))
        }
        return .success
    }

    /// `--format json`: each tag added and removed, and the totals.
    static func json(_ diff: TagDiff, entries: [StoredEntry], dryRun: Bool) -> JSON {
        func tags(_ tags: [EntryTag]) -> JSON {
            .array(tags.sorted { ($0.service, $0.entryRowID) < ($1.service, $1.entryRowID) }.map { tag in
                .object([("entry", .int(Int(tag.entryRowID))), ("service", .string(tag.service)),
                         ("strength", .string(tag.strength.rawValue)), ("rule", .string(tag.rule)),
                         ("alias", .string(ShownText.line(tag.alias))), ("field", .string(tag.field))])
            })
        }
        return .object([("dry_run", .bool(dryRun)), ("entries", .int(entries.count)),
                         ("added", tags(diff.added)), ("removed", tags(diff.removed))])
    }

    /// The change lines (the same with and without --dry-run), then a line per service that
    /// changed, then the totals.
    static func report(_ diff: TagDiff, computed: [EntryTag], entries: [StoredEntry], days: Int,
                       dryRun: Bool, now: Date = WallClock.now()) -> String {
        let byID = Dictionary(entries.map { ($0.rowID, $0) }, uniquingKeysWith: { first, _ in first })
        func line(_ sign: String, _ tag: EntryTag) -> String {
            let title = byID[tag.entryRowID].map { ShownText.line($0.entry.title ?? $0.entry.link ?? $0.entry.id) } ?? "?"
            return "\(sign) \(tag.service): entry \(tag.entryRowID) \"\(title)\" (\(tag.field), \"\(tag.alias)\")"
        }
        var lines = (diff.added.map { (0, $0) } + diff.removed.map { (1, $0) })
            .sorted { ($0.1.service, $0.1.entryRowID, $0.0) < ($1.1.service, $1.1.entryRowID, $1.0) }
            .map { line($0.0 == 0 ? "+" : "-", $0.1) }
        let since = now.addingTimeInterval(-Double(days) * 86_400)
        let changedServices = Set((diff.added + diff.removed).map(\.service)).sorted()
        if !changedServices.isEmpty { lines.append("") }
        for service in changedServices {
            let tagged = computed.filter { $0.service == service }
            let recent = tagged.filter { (byID[$0.entryRowID]?.entry.date).map { $0 >= since } ?? false }
            let plus = diff.added.filter { $0.service == service }.count
            let minus = diff.removed.filter { $0.service == service }.count
            let verb = dryRun ? "would have matched" : "matches"
            lines.append("\(service): \(verb) \(recent.count) bulletin\(recent.count == 1 ? "" : "s") in the last "
                + "\(days) days (\(tagged.count) in all; +\(plus) -\(minus))")
        }
        let counts = "\(diff.added.count) tag\(diff.added.count == 1 ? "" : "s")"
        let summary = dryRun
            ? "Would add \(counts) and remove \(diff.removed.count) over \(entries.count) entries (dry run: nothing written)."
            : "Added \(counts) and removed \(diff.removed.count) over \(entries.count) entries."
        lines.append((changedServices.isEmpty ? "" : "\n") + summary)
        return lines.joined(separator: "\n")
    }

    /// A whole number above 0 given to `option`, or a usage error.
    static func positiveInteger(_ text: String, option: String, in spec: CommandSpec) throws -> Int {
        guard let value = Int(text), value > 0 else {
            throw UsageError(message: "The value '\(text)' is invalid for '\(option)'; use a whole number above 0",
                             path: [BulletinMain.root, spec])
        }
        return value
    }
}
