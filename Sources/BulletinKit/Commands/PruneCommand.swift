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
        if let cutoff {
            let report = try store.prune(before: cutoff, includingTagged: invocation.flags.contains("--all"),
                                         dryRun: dryRun)
            let day = String(Timestamp.rfc3339(cutoff).prefix(10))
            console.print("\(dryRun ? "would delete" : "deleted") \(report.removed) bulletins dated before \(day)"
                + (report.keptTagged > 0 ? "; kept \(report.keptTagged) tagged ones (--all deletes them too)" : ""))
        }
        if vacuum && !dryRun {
            let before = try store.fileSize()
            try store.vacuum()
            console.print("vacuumed: \(before / 1_048_576) MiB -> \(try store.fileSize() / 1_048_576) MiB")
        } else if vacuum {
            console.print("would vacuum: the file is \(try store.fileSize() / 1_048_576) MiB now")
        }
        return .success
    }
}
