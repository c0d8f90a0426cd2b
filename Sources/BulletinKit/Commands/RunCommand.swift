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
        let report = try pipeline.refresh(feeds, into: store)
        let tags = try pipeline.tag(report.newEntries, in: store)
        invocation.console.detail("\(report.newEntries.count) new entries, \(tags.count) tags")
        try pipeline.deliver(from: store, to: pipeline.channels)
        return report.failures.isEmpty ? .success : .partial
    }
}
