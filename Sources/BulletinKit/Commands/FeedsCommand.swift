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
                let title = feed.title.count > width ? feed.title.prefix(width - 1) + "…" : feed.title
                invocation.console.print([title.padded(to: width), feed.category.rawValue.padded(to: 13), feed.url]
                    .joined(separator: "  "))
            }
            return .success
        })
}
