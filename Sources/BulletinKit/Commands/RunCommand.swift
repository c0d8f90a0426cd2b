import Storage

/// `bulletin run`: the cron job.
enum RunCommand {
    static let spec = CommandSpec(
        name: "run",
        abstract: "Fetch every feed, tag new bulletins and deliver the digest.",
        discussion: """
            The daily job: fetches the catalog's feeds, stores new entries, ties them to the \
            services of the inventory and delivers what each channel has not had yet (standard \
            output when no channel is configured). Fetches only the feeds that are due (see \
            'bulletin fetch'). Exits 3 when some feed failed (or is flagged and waiting for its next \
            try), or a feed was stored with entries missing, or a delivery failed.
            """,
        options: [
            .init(name: "--all", value: nil, help: "Fetch every feed, also those backing off."),
            .init(name: "--alert", value: nil,
                  help: "Deliver only what needs action (high risk, KEV, critical) now; the rest waits."),
            .init(name: "--catch-up", value: nil,
                  help: "Mark everything not delivered yet as delivered on every channel, without sending it."),
            .init(name: "--format", value: "format", help: "How the run reports: the digest as text, or a JSON summary.",
                  choices: ["text", "json"]),
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let configuration = try Configuration.load(invocation.global)
        let pipeline = Pipeline(configuration: configuration, console: invocation.console)
        let feeds = try configuration.loadCatalog()
        let store = try pipeline.openStore()
        // One run at a time: an overlapping one waits, then gives up, and never double-sends.
        let lease = try store.lockRuns(waitingUpTo: Double(configuration.settings.run.lockWait)) { holder in
            invocation.console.note("run: waiting for another bulletin run (\(holder)) to finish")
        }
        defer { lease.release() }
        let runID = try store.beginRun("run", at: pipeline.clock())
        var progress = ProgressLine(console: invocation.console)
        let report = try pipeline.refresh(feeds, into: store, everyFeed: invocation.flags.contains("--all")) {
            progress.show($0)
        }
        progress.clear()
        pipeline.announce(report)
        invocation.console.detail("\(report.newEntries) new entries, \(report.tagged) tags")
        let json = invocation.value("--format") == "json"
        var request = DeliveryRequest()
        request.mode = invocation.flags.contains("--alert") ? .alert : .digest
        request.skipStandardOutput = json
        request.catchUp = invocation.flags.contains("--catch-up")
        let deliveries = try pipeline.deliver(from: store, request)
        let failed = report.hasFailures || deliveries.contains { $0.status == .failed }
        let code: ExitCode = failed ? .partial : .success
        var summary = RunSummary()
        (summary.feeds, summary.changed, summary.unchanged) = (feeds.count, report.changed, report.unchanged)
        (summary.failed, summary.newEntries, summary.tagged) = (report.failures.count, report.newEntries, report.tagged)
        summary.failures = report.failures.map { "\($0.feed.title): \($0.error)" }
        summary.exitCode = code.rawValue
        try store.finishRun(runID, summary, at: pipeline.clock())
        if !json { invocation.console.note(oneLine(feeds: feeds.count, report, deliveries)) }
        if json {
            invocation.console.print(RunJSONSummary(report: report, tags: report.tagged,
                                                    deliveries: deliveries, exitCode: code).json.rendered())
        }
        return code
    }

    /// "run: 38 feeds (1 failed), 12 new entries; ops-mail: 5 rows (7 entries) delivered; stdout: nothing new"
    static func oneLine(feeds: Int, _ report: Pipeline.RefreshReport, _ deliveries: [DeliveryOutcome]) -> String {
        var line = "run: \(feeds) feed\(feeds == 1 ? "" : "s")"
        if !report.failures.isEmpty { line += " (\(report.failures.count) failed)" }
        line += ", \(report.newEntries) new entr\(report.newEntries == 1 ? "y" : "ies")"
        for outcome in deliveries {
            let what: String
            switch outcome.status {
            case .delivered: what = "\(outcome.rows) row\(outcome.rows == 1 ? "" : "s") (\(outcome.entries) entries) delivered"
            case .nothing: what = "nothing new"
            case .failed: what = "failed, everything waits for the next run"
            case .skipped: what = "skipped"
            case .dryRun: what = "dry run"
            case .caughtUp: what = "\(outcome.entries) entries marked delivered without sending"
            }
            line += "; \(outcome.channel): \(what)"
        }
        return line
    }
}
