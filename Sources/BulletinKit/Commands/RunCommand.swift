/// `bulletin run`: the cron job.
enum RunCommand {
    static let spec = CommandSpec(
        name: "run",
        abstract: "Fetch every feed, tag new bulletins and deliver the digest.",
        discussion: """
            The daily job: fetches the catalog's feeds, stores new entries, ties them to the \
            services of the inventory and delivers what each channel has not had yet (standard \
            output when no channel is configured). Fetches only the feeds that are due (see \
            'bulletin fetch'). Exits 3 when some feed has failed often enough to be flagged.
            """,
        options: [.init(name: "--all", value: nil, help: "Fetch every feed, also those backing off.")],
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let configuration = try Configuration.load(invocation.global)
        let pipeline = Pipeline(configuration: configuration, console: invocation.console)
        let feeds = try configuration.loadCatalog()
        let store = try pipeline.openStore()
        var progress = ProgressLine(console: invocation.console)
        let report = try pipeline.refresh(feeds, into: store, everyFeed: invocation.flags.contains("--all")) {
            progress.show($0)
        }
        progress.clear()
        let tags = try pipeline.tag(report.newEntries, in: store)
        pipeline.announce(report)
        invocation.console.detail("\(report.newEntries.count) new entries, \(tags.count) tags")
        try pipeline.deliver(from: store, to: pipeline.channels)
        return report.hasFlaggedFailures ? .partial : .success
    }
}
