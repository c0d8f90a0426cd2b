import FoundationEssentials
import Models
import Storage

/// `bulletin prune --older-than AGE`: retention.
enum PruneCommand {
    static let spec = CommandSpec(
        name: "prune",
        abstract: "Delete old bulletins from the database.",
        discussion: """
            Deletes the bulletins dated before --older-than (2y, 26w, 90d or a date such as \
            2024-01-01), with their tags, deliveries and advisory ids, and the run summaries and \
            records of sends started before it; a deleted bulletin its feed still lists is not stored again. \
            Bulletins tagged with one of your services, delivered or not, are kept unless --all. \
            The file does not shrink until --vacuum rewrites it. Give --older-than, --vacuum or \
            both; --dry-run changes nothing.
            """,
        options: [
            .init(name: "--older-than", value: "when", help: "Delete bulletins dated before this: 2y, 90d, 2024-01-01."),
            .init(name: "--all", value: nil, help: "Delete tagged bulletins too."),
            .init(name: "--dry-run", value: nil, help: "Count what would be deleted; delete nothing."),
            .init(name: "--vacuum", value: nil, help: "Then compact the database file (slow; needs free disk)."),
            .init(name: "--format", value: "format", help: "Output format.", choices: ["text", "json"]),
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let console = invocation.console
        let vacuum = invocation.flags.contains("--vacuum")
        var cutoff: Date?
        if let text = invocation.value("--older-than") {
            guard let bound = DateBound(text) else {
                console.error("prune: '--older-than \(text)': expected \(DateBound.expected)")
                return .usage
            }
            cutoff = Date(timeIntervalSince1970: TimeInterval(bound.start(now: WallClock.now())))
        }
        guard cutoff != nil || vacuum else {
            if invocation.flags.contains("--dry-run") {
                console.error("prune: --dry-run counts what --older-than <when> would delete; give --older-than")
            } else {
                console.error("prune: give --older-than <when>, --vacuum, or both")
            }
            return .usage
        }
        let configuration = try Configuration.load(invocation.global)
        guard FileManager.default.fileExists(atPath: configuration.databasePath) else {
            throw RuntimeError(message: "prune: \(configuration.databasePath): no database")
        }
        let store = try Store(path: configuration.databasePath)
        let dryRun = invocation.flags.contains("--dry-run")
        let asJSON = invocation.value("--format") == "json"
        var fields: [(String, JSON)] = [("dry_run", .bool(dryRun)), ("cutoff", .string(cutoff.map(Timestamp.rfc3339)))]
        var mergeFailed = false
        if let cutoff {
            let report = try store.prune(before: cutoff, includingTagged: invocation.flags.contains("--all"),
                                         dryRun: dryRun)
            // Merged after a deletion; null when nothing was deleted (or with --dry-run).
            let merged: JSON = dryRun || report.removed == 0 ? .null : .bool(report.mergeFailure == nil)
            fields += [("deleted", .int(report.removed)), ("kept_tagged", .int(report.keptTagged)),
                       ("index_merged", merged)]
            if let failure = report.mergeFailure {
                mergeFailed = true
                console.warning("prune: the deletion is done, but the search index could not be merged to give "
                    + "its space back (\(failure)); the next prune tries again")
            }
            if !asJSON {
                console.print("\(dryRun ? "would delete" : "deleted") \(report.removed) bulletins dated before "
                    + Timestamp.day(cutoff)
                    + (report.keptTagged > 0 ? "; kept \(report.keptTagged) tagged ones (--all deletes them too)" : ""))
            }
        }
        if vacuum {
            let before = try store.fileSize()
            if !dryRun { try store.vacuum() }
            let after = dryRun ? nil : try store.fileSize()
            fields += [("bytes_before", .int(before)), ("bytes_after", after.map(JSON.int) ?? .null)]
            if !asJSON {
                console.print(after.map { "vacuumed: \(before / 1_048_576) MiB -> \($0 / 1_048_576) MiB" }
                    ?? "would vacuum: the file is \(before / 1_048_576) MiB now")
            }
        }
        if asJSON { console.print(JSON.object(fields).rendered()) }
        return mergeFailed ? .partial : .success
    }
}
