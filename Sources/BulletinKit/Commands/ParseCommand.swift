import FoundationEssentials
import Fetching
import Models
import Parsing

/// `bulletin parse FILE|URL`: how a feed document is understood.
enum ParseCommand {
    static let spec = CommandSpec(
        name: "parse",
        abstract: "Show how a feed document is understood.",
        arguments: [.init(name: "file-or-url", help: "A feed file, or an http(s) URL to fetch.")],
        options: [.init(name: "--format", value: "format", help: "Output format.", choices: ["text", "json"])],
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let source = invocation.arguments[0]
        let (bytes, url, charset) = try load(source, invocation)
        let feed = try FeedParser().parse(bytes, url: url, encoding: charset)
        let output = invocation.value("--format") == "json" ? json(feed).rendered() : text(feed)
        invocation.console.print(output)
        return .success
    }

    private static func load(_ source: String, _ invocation: Invocation) throws -> ([UInt8], String, String?) {
        let lowered = source.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            guard let data = FileManager.default.contents(atPath: source) else {
                throw RuntimeError(message: "parse: \(source): no such file")
            }
            return ([UInt8](data), source, nil)
        }
        let fetcher = FeedFetcher(options: try Configuration.load(invocation.global).fetchOptions)
        var result: FetchOutcome?
        try fetcher.fetch([FetchRequest(source: FeedSource(title: source, url: source, category: .security))]) {
            result = $0.outcome
        }
        switch result {
        case .fetched(let document): return (document.body, document.finalURL, document.charset)
        case .failed(let error): throw error
        case .notModified, nil: throw RuntimeError(message: "parse: \(source): no document was received")
        }
    }

    /// The stable `--format json` contract (see README.md).
    static func json(_ feed: ParsedFeed) -> JSON {
        .object([
            ("feed", .object([
                ("format", .string(feed.format.rawValue)),
                ("title", .string(feed.title)),
                ("link", .string(feed.link)),
                ("updated", .string(feed.updated.map(timestamp))),
            ])),
            ("entries", .array(feed.entries.map { entry in
                .object([
                    ("id", .string(entry.id)),
                    ("title", .string(entry.title)),
                    ("link", .string(entry.link)),
                    ("published", .string(entry.published.map(timestamp))),
                    ("updated", .string(entry.updated.map(timestamp))),
                    ("summary", .string(entry.summary)),
                    ("authors", .strings(entry.authors)),
                    ("categories", .strings(entry.categories)),
                    ("advisories", .strings(entry.advisories)),
                ])
            })),
        ])
    }

    private static func text(_ feed: ParsedFeed) -> String {
        var lines = ["\(feed.title ?? "(untitled)") [\(feed.format.rawValue)], \(feed.entries.count) entries"]
        for entry in feed.entries {
            let date = entry.date.map(timestamp) ?? "undated"
            lines.append("- \(date)  \(entry.title ?? "(untitled)")")
            if let link = entry.link { lines.append("  \(link)") }
            if !entry.advisories.isEmpty { lines.append("  \(entry.advisories.joined(separator: " "))") }
        }
        return lines.joined(separator: "\n")
    }

    /// RFC 3339 in UTC with `Z` and whole seconds.
    static func timestamp(_ date: Date) -> String {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)).formatted(Date.ISO8601FormatStyle())
    }
}
