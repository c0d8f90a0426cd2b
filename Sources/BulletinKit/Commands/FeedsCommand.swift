import FoundationEssentials
import Digest
import Fetching
import Models
import Parsing
import Storage

/// `bulletin feeds …`: the feed catalog and the health of its feeds.
enum FeedsCommand {
    static let spec = CommandSpec(
        name: "feeds",
        abstract: "Show and edit the feed catalog.",
        subcommands: [list, check, add, remove, importFile, export, dump])

    static let list = CommandSpec(
        name: "list",
        abstract: "List the catalog's feeds: title, category and URL.",
        options: [.init(name: "--format", value: "format", help: "Output format.", choices: ["table", "json"])],
        run: { invocation in
            let feeds = try Configuration.load(invocation.global).loadCatalog()
            if invocation.value("--format") == "json" {
                invocation.console.print(JSON.array(feeds.map { feed in
                    .object([("title", .string(feed.title)), ("category", .string(feed.category.rawValue)),
                             ("url", .string(feed.url)), ("site", .string(feed.siteURL))])
                }).rendered())
                return .success
            }
            invocation.console.print(table(feeds.map { [$0.title, $0.category.rawValue, $0.url] }, widths: [40, 13]))
            return .success
        })

    static let check = CommandSpec(
        name: "check",
        abstract: "Show each feed's health: status, last success, next try, last error.",
        discussion: "Exits 3 when some feed is flagged: gone, or failed [fetch] flag_after times in a row.",
        options: [.init(name: "--format", value: "format", help: "Output format.", choices: ["table", "json"])],
        run: { invocation in
            let configuration = try Configuration.load(invocation.global)
            let feeds = try configuration.loadCatalog()
            let states = try Pipeline(configuration: configuration, console: invocation.console).openStore().feedStates()
            let policy = configuration.fetchOptions.retry
            let rows = feeds.map { feed in Health(feed: feed, state: states[feed.url], policy: policy) }
            if invocation.value("--format") == "json" {
                invocation.console.print(JSON.array(rows.map(\.json)).rendered())
            } else {
                invocation.console.print(table([["FEED", "STATUS", "LAST SUCCESS", "NEXT TRY", "LAST ERROR"]]
                    + rows.map(\.columns), widths: [36, 16, 20, 20]))
            }
            return rows.contains(where: \.flagged) ? .partial : .success
        })

    static let add = CommandSpec(
        name: "add",
        abstract: "Add a feed to the catalog.",
        discussion: """
            Writes the first catalog file (the --feeds file when given; it is created when \
            missing). A feed already in any catalog file (same URL, normalized) is refused. The \
            URL is fetched once first: one that fails or is not a feed is not added (exit 1) \
            unless --no-check.
            """,
        arguments: [.init(name: "url", help: "The feed's http(s) URL.")],
        options: [
            .init(name: "--category", value: "category", help: "The digest section.", choices: ["security", "announcements"]),
            .init(name: "--title", value: "title", help: "The feed's name (default: the feed's own title, else its URL)."),
            .init(name: "--no-check", value: nil, help: "Add it without fetching it first (offline, say)."),
        ],
        run: { invocation in
            let url = invocation.arguments[0]
            guard FeedURL.isWeb(url) else {
                throw ConfigurationError(message: "feeds add: \(url): only http and https URLs can be fetched")
            }
            let catalog = try Catalog(invocation.global)
            if let existing = catalog.feeds.feed(named: url) {
                throw ConfigurationError(message: "feeds add: \(url) is already in the catalog as '\(existing.title)'")
            }
            let given = invocation.value("--title").map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
            if let given, !given.isEmpty, catalog.feeds.feed(titled: given) != nil {
                throw ConfigurationError(message: "feeds add: a feed titled '\(given)' is already in the catalog")
            }
            let category = invocation.value("--category").flatMap(FeedCategory.init(rawValue:)) ?? .security
            var feed = FeedSource(title: given.flatMap { $0.isEmpty ? nil : $0 } ?? url, url: url, category: category)
            var entries = ""
            if !invocation.flags.contains("--no-check") {
                let parsed = try check(feed, invocation)
                entries = " (\(parsed.entries.count) entries)"
                // Without --title, the feed's own title (one clean line) names it, as feed
                // readers do, unless another feed of the catalog has it already.
                let own = DisplayText.clean(parsed.title ?? "", limit: ownTitleLimit)
                if given == nil, !own.isEmpty, catalog.feeds.feed(titled: own) == nil { feed.title = own }
            }
            try catalog.append([feed])
            invocation.console.note("added '\(feed.title)' to \(catalog.target)\(entries)")
            return .success
        })

    /// The longest title `feeds add` takes from a feed's document.
    static let ownTitleLimit = 120

    /// Fetches and parses `feed` once, as a fetch would: the feed, or an error saying why
    /// it is not added.
    private static func check(_ feed: FeedSource, _ invocation: Invocation) throws -> ParsedFeed {
        let fetcher = FeedFetcher(options: try Configuration.load(invocation.global).fetchOptions)
        var outcome: FetchOutcome?
        try fetcher.fetch([FetchRequest(source: feed)]) { outcome = $0.outcome }
        let why: String
        switch outcome {
        case .fetched(let document):
            do {
                return try FeedParser().parse(document.body, url: document.finalURL, encoding: document.charset)
            } catch {
                why = "\(error)"
            }
        case .failed(let error):
            why = "\(error)"
        default:
            why = "fetch: \(feed.url): no answer"
        }
        throw RuntimeError(message: "feeds add: not added: \(why) (--no-check adds it anyway)")
    }

    static let remove = CommandSpec(
        name: "remove",
        abstract: "Remove a feed from the catalog.",
        discussion: """
            Edits every catalog file that lists the feed. Its stored entries stay in the \
            database.
            """,
        arguments: [.init(name: "name", help: "The feed's title or URL.")],
        run: { invocation in
            let name = invocation.arguments[0]
            let catalog = try Catalog(invocation.global)
            let feed = try catalog.feeds.feed(named: name, for: "feeds remove")
            for file in try catalog.remove(feed) {
                invocation.console.note("removed '\(feed.title)' from \(file)")
            }
            return .success
        })

    static let importFile = CommandSpec(
        name: "import",
        abstract: "Add the feeds of an OPML file to the catalog, without duplicates.",
        discussion: """
            Appends to the first catalog file (or the --feeds file) every feed whose URL \
            (normalized) is not in the catalog yet; feeds that are not http(s) are skipped.
            """,
        arguments: [.init(name: "file", help: "An OPML file, as feed readers export them.")],
        run: { invocation in
            let file = invocation.arguments[0]
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ConfigurationError(message: "feeds import: \(file): cannot read the file")
            }
            let incoming: [FeedSource]
            do {
                incoming = try OPMLReader().read([UInt8](data), file: file)
            } catch {
                throw ConfigurationError(message: "feeds import: \(error)")
            }
            let catalog = try Catalog(invocation.global)
            var known = Set(catalog.feeds.map { FeedURL.normalized($0.url) })
            var added: [FeedSource] = []
            var duplicates = 0
            for feed in incoming {
                guard FeedURL.isWeb(feed.url) else {
                    invocation.console.warning("feeds import: \(file): skipped '\(feed.title)': not an http(s) URL")
                    continue
                }
                guard known.insert(FeedURL.normalized(feed.url)).inserted else {
                    duplicates += 1
                    continue
                }
                added.append(feed)
            }
            if !added.isEmpty { try catalog.append(added) }
            invocation.console.note("imported \(added.count) feeds into \(catalog.target); "
                + "\(duplicates) already in the catalog")
            return .success
        })

    static let export = CommandSpec(
        name: "export",
        abstract: "Print the whole catalog as one OPML 2.0 document.",
        run: { invocation in
            let feeds = try Configuration.load(invocation.global).loadCatalog()
            try invocation.console.output.write(bytes: OPMLWriter.document(title: "Bulletin feeds", feeds: feeds))
            return .success
        })

    static let dump = CommandSpec(
        name: "dump",
        abstract: "Print a feed's last fetched document with its response headers.",
        discussion: """
            For bug reports: the request line, when it was fetched, the status and headers, a \
            blank line, then the body byte for byte (--body: the body only). On a terminal, \
            control characters are shown as ^X instead; redirect to a file for the exact bytes.
            """,
        arguments: [.init(name: "name", help: "The feed's title or URL.")],
        options: [.init(name: "--body", value: nil, help: "Print only the body.")],
        run: { invocation in
            let configuration = try Configuration.load(invocation.global)
            let name = invocation.arguments[0]
            let feed = try configuration.loadCatalog().feed(named: name, for: "feeds dump")
            let store = try Pipeline(configuration: configuration, console: invocation.console).openStore()
            guard let document = try store.rawDocument(for: feed.url) else {
                throw RuntimeError(message: "feeds dump: '\(feed.title)' has no stored document yet "
                    + "(see 'bulletin fetch \"\(feed.title)\"')")
            }
            var output: [UInt8] = []
            if !invocation.flags.contains("--body") {
                var head = "GET \(document.url)\nFetched: \(Timestamp.rfc3339(document.fetchedAt))\n"
                head += "HTTP \(document.status)\n" + document.headers.map { "\($0.name): \($0.value)\n" }.joined() + "\n"
                output = Array(head.utf8)
            }
            output += document.body
            // On a terminal the feed's bytes could drive it: show its control characters instead.
            if invocation.console.output.isTerminal {
                let shown = TerminalSafeText.visible(output)
                output = shown.bytes
                if shown.escaped {
                    invocation.console.note("feeds dump: control characters shown as ^X; redirect to a file for the exact bytes")
                }
            }
            try invocation.console.output.write(bytes: output)
            return .success
        })

    /// Rows as columns, each but the last cut or padded to its width.
    private static func table(_ rows: [[String]], widths: [Int]) -> String {
        rows.map { row in
            row.enumerated().map { column, text in
                guard column < widths.count else { return text }
                let width = min(widths[column], rows.map { $0[column].columns }.max() ?? 0)
                return text.cut(to: width).padded(to: width)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// One feed's line of `feeds check`.
private struct Health {
    let feed: FeedSource
    let state: FeedState?
    let policy: RetryPolicy

    var status: String {
        guard let state, state.lastAttempt != nil else { return "never fetched" }
        if state.gone { return "gone (410)" }
        if state.consecutiveFailures > 0 { return "failing (\(state.consecutiveFailures))" }
        return state.movedURL == nil ? "ok" : "ok, moved"
    }

    var flagged: Bool {
        guard let state else { return false }
        return policy.isFlagged(failures: state.consecutiveFailures, gone: state.gone)
    }

    var columns: [String] {
        var error = state?.lastError ?? ""
        if let moved = state?.movedURL { error = "moved to \(moved)" + (error.isEmpty ? "" : "; " + error) }
        return [feed.title, status + (flagged ? " !" : ""),
                state?.lastSuccess.map(Timestamp.rfc3339) ?? "-",
                state?.nextAttempt.map(Timestamp.rfc3339) ?? "next run", error]
    }

    var json: JSON {
        .object([
            ("feed", .string(feed.title)),
            ("url", .string(feed.url)),
            ("moved_to", .string(state?.movedURL)),
            ("status", .string(status)),
            ("flagged", .bool(flagged)),
            ("last_attempt", .string(state?.lastAttempt.map(Timestamp.rfc3339))),
            ("last_success", .string(state?.lastSuccess.map(Timestamp.rfc3339))),
            ("last_status", state?.lastStatus.map(JSON.int) ?? .null),
            ("last_error", .string(state?.lastError)),
            ("consecutive_failures", .int(state?.consecutiveFailures ?? 0)),
            ("next_attempt", .string(state?.nextAttempt.map(Timestamp.rfc3339))),
        ])
    }
}
