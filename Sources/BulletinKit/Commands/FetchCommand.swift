import Models

/// `bulletin fetch [FEED…]`: fetch and store only.
enum FetchCommand {
    static let spec = CommandSpec(
        name: "fetch",
        abstract: "Fetch feeds and store their new entries, without a digest.",
        arguments: [.init(name: "feed", help: "A feed's title or URL from the catalog (default: every feed).",
                          isOptional: true, isRepeating: true)],
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let configuration = try Configuration.load(invocation.global)
        let pipeline = Pipeline(configuration: configuration, console: invocation.console)
        let feeds = try select(invocation.arguments, from: configuration.loadCatalog())
        let store = try pipeline.openStore()
        let report = try pipeline.refresh(feeds, into: store)
        let tags = try pipeline.tag(report.newEntries, in: store)
        invocation.console.print("""
            \(feeds.count) feeds: \(report.changed) changed, \(report.unchanged) unchanged, \
            \(report.failures.count) failed; \(report.newEntries.count) new entries, \(tags.count) tagged
            """)
        return report.failures.isEmpty ? .success : .partial
    }

    /// The catalog's feeds named by title (any case) or URL; all of them when none is named.
    static func select(_ names: [String], from catalog: [FeedSource]) throws -> [FeedSource] {
        guard !names.isEmpty else { return catalog }
        return try names.map { name in
            guard let feed = catalog.first(where: { $0.url == name || $0.title.lowercased() == name.lowercased() })
            else {
                throw ConfigurationError(message: "fetch: no feed named '\(name)' in the catalog "
                    + "(see 'bulletin feeds list')")
            }
            return feed
        }
    }
}
