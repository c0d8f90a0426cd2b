/// `bulletin feeds …`: the feed catalog.
enum FeedsCommand {
    static let spec = CommandSpec(
        name: "feeds",
        abstract: "Show the feed catalog.",
        subcommands: [list])

    static let list = CommandSpec(
        name: "list",
        abstract: "List the catalog's feeds: title, category and URL.",
        run: { invocation in
            let feeds = try Configuration.load(invocation.global).loadCatalog()
            let width = min(40, feeds.map(\.title.count).max() ?? 0)
            for feed in feeds {
                let title = feed.title.count > width ? String(feed.title.prefix(width - 1)) + "…" : feed.title
                let padded = title + String(repeating: " ", count: max(0, width - title.count))
                let category = feed.category.rawValue
                invocation.console.print("\(padded)  \(category)\(String(repeating: " ", count: 13 - category.count)) \(feed.url)")
            }
            return .success
        })
}
