/// `bulletin run`: the cron job.
enum RunCommand {
    static let spec = CommandSpec(
        name: "run",
        abstract: "Fetch every feed, tag new bulletins and deliver the digest.",
        discussion: """
            The daily job: fetches the catalog's feeds, stores new entries, ties them to the \
            services of the inventory and delivers what each channel has not had yet (standard \
            output when no channel is configured). Exits 3 when some feeds or deliveries failed.
            """,
        options: [
            .init(name: "--alert", value: nil,
                  help: "Deliver only what needs action (high risk, KEV, critical) now; the rest waits."),
            .init(name: "--format", value: "format", help: "How the run reports: the digest as text, or a JSON summary.",
                  choices: ["text", "json"]),
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let configuration = try Configuration.load(invocation.global)
        let pipeline = Pipeline(configuration: configuration, console: invocation.console)
        let feeds = try configuration.loadCatalog()
        let store = try pipeline.openStore()
        let report = try pipeline.refresh(feeds, into: store)
        let tags = try pipeline.tag(report.newEntries, in: store)
        invocation.console.detail("\(report.newEntries.count) new entries, \(tags.count) tags")
        let json = invocation.value("--format") == "json"
        var request = DeliveryRequest()
        request.mode = invocation.flags.contains("--alert") ? .alert : .digest
        request.skipStandardOutput = json
        let deliveries = try pipeline.deliver(from: store, request)
        let failed = !report.failures.isEmpty || deliveries.contains { $0.status == .failed }
        let code: ExitCode = failed ? .partial : .success
        if json {
            invocation.console.print(RunSummary(feeds: feeds.count, report: report, tags: tags.count,
                                                deliveries: deliveries, exitCode: code).json.rendered())
        }
        return code
    }
}
