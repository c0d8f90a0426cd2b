import FoundationEssentials
import Models

/// `bulletin fetch [FEED…]`: fetch and store only.
enum FetchCommand {
    static let spec = CommandSpec(
        name: "fetch",
        abstract: "Fetch feeds and store their new entries, without a digest.",
        discussion: """
            Fetches the feeds that are due: every feed, except those backing off after \
            failures (see 'bulletin feeds check'). Named feeds and --all are fetched whether \
            due or not. Exits 3 when some feed failed (or is flagged and waiting for its next try), \
            or was stored with entries missing (the parser stopped before its end).
            """,
        arguments: [.init(name: "feed", help: "A feed's title or URL from the catalog (default: the feeds that are due).",
                          isOptional: true, isRepeating: true)],
        options: [
            .init(name: "--all", value: nil, help: "Fetch every feed, also those backing off."),
            .init(name: "--reparse", value: nil, help: "Parse each feed's last fetched document again; fetch nothing."),
            .init(name: "--format", value: "format", help: "Summary format.", choices: ["text", "json"]),
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let configuration = try Configuration.load(invocation.global)
        let pipeline = Pipeline(configuration: configuration, console: invocation.console)
        let feeds = try configuration.loadCatalog().selecting(invocation.arguments, for: "fetch")
        let store = try pipeline.openStore()
        let report: Pipeline.RefreshReport
        if invocation.flags.contains("--reparse") {
            report = try pipeline.reparse(feeds, in: store)
        } else {
            var progress = ProgressLine(console: invocation.console)
            report = try pipeline.refresh(feeds, into: store, everyFeed: invocation.flags.contains("--all")
                                          || !invocation.arguments.isEmpty) { progress.show($0) }
            progress.clear()
        }
        pipeline.announce(report)
        if invocation.value("--format") == "json" {
            invocation.console.print(json(report, tagged: report.tagged).rendered())
        } else {
            invocation.console.print(summary(report, tagged: report.tagged))
        }
        return report.hasFailures ? .partial : .success
    }

    /// The one-line summary for people.
    static func summary(_ report: Pipeline.RefreshReport, tagged: Int) -> String {
        let failed = report.failures.filter(\.attempted).count
        var line = "\(report.attempted) feeds: \(report.changed) changed, \(report.unchanged) unchanged, \(failed) failed"
        if !report.warnings.isEmpty { line += ", \(report.warnings.count) incomplete" }
        if report.skipped > 0 { line += ", \(report.skipped) not due" }
        if !report.moves.isEmpty { line += ", \(report.moves.count) moved" }
        line += "; \(report.newEntries) new entries, \(tagged) tagged; "
        line += "\(ProgressLine.bytes(report.bytes)) in \(String(format2: report.seconds)) s"
        return line
    }

    /// The stable `--format json` summary (keys documented in README.md).
    static func json(_ report: Pipeline.RefreshReport, tagged: Int) -> JSON {
        .object(RefreshJSON.fields(report, tagged: tagged))
    }
}

extension String {
    /// `value` with two decimals, e.g. "0.84".
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let fraction = String(hundredths % 100)
        self = "\(hundredths / 100)." + (fraction.count == 1 ? "0" + fraction : fraction)
    }
}
