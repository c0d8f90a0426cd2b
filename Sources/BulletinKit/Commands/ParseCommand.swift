import Digest
import FoundationEssentials
import Fetching
import Models
import Parsing
#if canImport(Glibc)
import Glibc
#endif

/// `bulletin parse FILE|URL`: how a feed document is understood.
enum ParseCommand {
    static let spec = CommandSpec(
        name: "parse",
        abstract: "Show how a feed document is understood.",
        arguments: [.init(name: "file-or-url", help: "A feed file, - for standard input, or an http(s) URL to fetch.")],
        options: [.init(name: "--format", value: "format", help: "Output format.", choices: ["text", "json"])],
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let source = invocation.arguments[0]
        // The document's bytes are released before the output is written.
        if invocation.value("--format") == "json" {
            // Each entry is written as JSON as the parser finishes it; the feed's own fields,
            // which come first, are known only at the end.
            let (feed, entries) = try parse(source, invocation, collecting: EntryJSONWriter.self)
            for note in feed.notes { invocation.console.note("parse: \(source): \(note)") }
            var head = Array("{\n  \"feed\": ".utf8)
            feedJSON(feed).write(into: &head, indent: Array("  ".utf8))
            head.append(literal: ",\n  \"entries\": ")
            try invocation.console.output.write(bytes: head)
            try entries.write(to: invocation.console.output)
            try invocation.console.output.write(bytes: Array("\n}\n".utf8))
        } else {
            var (feed, entries) = try parse(source, invocation, collecting: [FeedEntry].self)
            feed.entries = entries
            // Feed text as the digest shows it: no controls, no bidirectional overrides (ShownText).
            invocation.console.print(ShownText.lines(text(feed)))
        }
        return .success
    }

    /// A local file is mapped and read in place; `-` is standard input; a URL is fetched.
    private static func parse<Entries: FeedEntryCollector>(
        _ source: String, _ invocation: Invocation, collecting: Entries.Type
    ) throws -> (feed: ParsedFeed, entries: Entries) {
        if source == "-" {
            return try FeedParser().parse(StandardInput.readAll(stage: "parse"), url: source, collecting: collecting)
        }
        let lowered = source.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            let file = try MappedFile(path: source)
            return try withExtendedLifetime(file) { try FeedParser().parse(file.bytes, url: source, collecting: collecting) }
        }
        let fetcher = FeedFetcher(options: try Configuration.load(invocation.global).fetchOptions)
        var result: FetchOutcome?
        try fetcher.fetch([FetchRequest(source: FeedSource(title: source, url: source, category: .security))]) {
            result = $0.outcome
        }
        switch result {
        case .fetched(let document):
            return try FeedParser().parse(document.body, url: document.finalURL, encoding: document.charset,
                                          collecting: collecting)
        case .failed(let error): throw error
        case .notModified, nil: throw RuntimeError(message: "parse: \(source): no document was received")
        }
    }

    /// The feed's own fields in the stable `--format json` contract (see README.md); its
    /// entries: `EntryJSONWriter`.
    private static func feedJSON(_ feed: ParsedFeed) -> JSON {
        .object([
            ("format", .string(feed.format.rawValue)),
            ("title", .string(feed.title)),
            ("link", .string(feed.link)),
            ("updated", .string(feed.updated.map(Timestamp.rfc3339))),
        ])
    }

    /// What was understood, for a person: the feed, what had to be repaired, each entry.
    private static func text(_ feed: ParsedFeed) -> String {
        var lines = ["\(ShownText.line(feed.title ?? "(untitled)")) [\(feed.format.rawValue), \(feed.encoding ?? "UTF-8")], "
            + "\(feed.entries.count) \(feed.entries.count == 1 ? "entry" : "entries")"]
        if let link = feed.link { lines.append("  link: \(ShownText.link(link))") }
        if let updated = feed.updated { lines.append("  updated: \(Timestamp.rfc3339(updated))") }
        if feed.notes.isEmpty {
            lines.append("  read cleanly: no repairs")
        } else {
            lines.append("  repairs and notes:")
            lines += feed.notes.map { "    - \($0)" }
        }
        for entry in feed.entries {
            lines.append("")
            lines.append("- \(ShownText.line(entry.title ?? "(untitled)"))")
            lines.append("  id: \(ShownText.line(entry.id))")
            if let link = entry.link { lines.append("  link: \(ShownText.link(link))") }
            lines.append("  published: \(entry.published.map(Timestamp.rfc3339) ?? "-")  updated: \(entry.updated.map(Timestamp.rfc3339) ?? "-")")
            if !entry.authors.isEmpty { lines.append("  authors: \(ShownText.line(entry.authors.joined(separator: ", ")))") }
            if !entry.categories.isEmpty {
                lines.append("  categories: \(ShownText.line(entry.categories.joined(separator: ", ")))")
            }
            if !entry.advisories.isEmpty { lines.append("  advisories: \(entry.advisories.joined(separator: " "))") }
            if let summary = entry.summary {
                lines.append("  summary: " + ShownText.line(summary.count > 200 ? summary.prefix(200) + "…" : summary))
            }
        }
        return lines.joined(separator: "\n")
    }
}
