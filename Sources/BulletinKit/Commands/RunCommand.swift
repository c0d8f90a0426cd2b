import Storage

/// `bulletin run`: the cron job.
enum RunCommand {
    static let spec = CommandSpec(
        name: "run",
        abstract: "Fetch every feed, tag new bulletins and deliver the digest.",
        discussion: """
            The daily job: fetches the catalog's feeds, stores new entries, ties them to the \
            services of the inventory and delivers what each channel has not had yet (standard \
            output when no channel is configured). Exits 3 when some feeds failed.
            """,
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
        let runID = try store.beginRun("run")
        let report = try pipeline.refresh(feeds, into: store)
        let tags = try pipeline.tag(report.newEntries, in: store)
        invocation.console.detail("\(report.newEntries.count) new entries, \(tags.count) tags")
        try pipeline.deliver(from: store, to: pipeline.channels)
        let exit: ExitCode = report.failures.isEmpty ? .success : .partial
        var summary = RunSummary()
        (summary.feeds, summary.changed, summary.unchanged) = (feeds.count, report.changed, report.unchanged)
        (summary.failed, summary.newEntries, summary.tagged) = (report.failures.count, report.newEntries.count, tags.count)
        summary.failures = report.failures.map { "\($0.feed.title): \($0.reason)" }
        summary.exitCode = exit.rawValue
        try store.finishRun(runID, summary)
        return exit
    }
}
