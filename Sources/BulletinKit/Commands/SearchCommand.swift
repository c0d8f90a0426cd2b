import Digest
import FoundationEssentials
import Models
import Storage

/// `bulletin search QUERY`: the stored bulletins that match, best first.
enum SearchCommand {
    static let spec = CommandSpec(
        name: "search",
        abstract: "Search the stored bulletins.",
        discussion: """
            Words and "phrases" must all appear in the title, summary or advisory ids (word* \
            for a prefix); a OR b lets either do; -word excludes. Fields filter: \
            service:NAME (about it), mentions:NAME (names it in passing), feed:TEXT, cve:CVE-2024-* (advisory:), category:security|announcements, \
            tagged:yes|no, since:7d|2024-01-01, until:…; a field takes several values with \
            commas (service:nginx,openssl) and -field:value excludes. Results are sorted by \
            relevance, then date.
            """,
        arguments: [.init(name: "query", help: "Words, \"phrases\", OR, -word and field:value filters.",
                          isOptional: true, isRepeating: true)],
        options: [
            .init(name: "--service", value: "name", help: "Only bulletins tagged with this service (service:)."),
            .init(name: "--feed", value: "text", help: "Only bulletins from feeds whose title or URL contains this (feed:)."),
            .init(name: "--since", value: "when", help: "Only bulletins dated on or after: 7d, 12h, 2w, 1y or 2024-01-01."),
            .init(name: "--until", value: "when", help: "Only bulletins dated on or before (until:)."),
            .init(name: "--limit", value: "n", help: "Show at most <n> results (default 20, at most 10000)."),
            .init(name: "--format", value: "format", help: "Output format.", choices: ["table", "json"]),
        ],
        dashWordsAreArguments: true,
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let console = invocation.console
        let text = invocation.arguments.joined(separator: " ")
        var query: SearchQuery
        do {
            query = try SearchQuery(parsing: text)
            for (option, field) in [("--service", "service"), ("--feed", "feed"), ("--since", "since"),
                                    ("--until", "until")] {
                if let value = invocation.value(option) { try query.addFilter(field, value) }
            }
        } catch {
            console.error(error.description)
            return .usage
        }
        guard !query.isEmpty else {
            console.error("search: nothing to search for; give words, \"phrases\" or fields such as service:NAME")
            return .usage
        }
        let limit = invocation.value("--limit").map { Int($0) } ?? 20
        guard let limit, (1...10_000).contains(limit) else {
            console.error("search: --limit must be a whole number from 1 to 10000")
            return .usage
        }
        let configuration = try Configuration.load(invocation.global)
        guard FileManager.default.fileExists(atPath: configuration.databasePath) else {
            throw RuntimeError(message: "search: \(configuration.databasePath): no database yet; "
                + "'bulletin fetch' or 'bulletin run' creates it")
        }
        let store = try Pipeline.openStoreForReading(configuration.databasePath) { try Store(path: configuration.databasePath) }
        if let match = query.matchExpression { console.detail("search: FTS5 MATCH \(match)") }
        let results: [SearchResult]
        do {
            results = try store.search(query, limit: limit, now: WallClock.now())
        } catch let error as SearchQueryError {  // refused for taking too long
            console.error(error.description)
            return .usage
        }
        if results.isEmpty, let unknown = unknownServices(in: query, configuration.services).first {
            // A typo finds nothing; say which name the inventory does not know.
            let known = configuration.services.map(\.name).sorted { $0.lowercased() < $1.lowercased() }
            console.error("search: no service named '\(ShownText.line(unknown))' in \(configuration.inventoryFile)"
                + (known.isEmpty ? " (it has none)" : "; it has: " + known.prefix(12).joined(separator: ", ")
                    + (known.count > 12 ? ", …" : "")))
            return .usage
        }
        if invocation.value("--format") == "json" {
            console.print(json(text, results).rendered())
        } else if results.isEmpty {
            console.note("search: no bulletin matches")
        } else {
            let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap { Int($0) }
            console.print(table(results, highlight: console.output.isTerminal, titleWidth: titleWidth(columns: columns)))
        }
        return .success
    }

    /// The names `service:` and `mentions:` give that are no service of the inventory.
    static func unknownServices(in query: SearchQuery, _ services: [Service]) -> [String] {
        let known = Set(services.map { $0.name.lowercased() })
        return query.filters.flatMap { filter, _ -> [String] in
            switch filter {
            case .service(let names), .mentions(let names): names.filter { !known.contains($0.lowercased()) }
            default: []
            }
        }
    }

    /// The `--format json` contract (see README.md). Feed text is made safe as the digest's
    /// is (`ShownText`): no control or bidirectional formatting characters; a link that is
    /// not `http`/`https` is null.
    static func json(_ query: String, _ results: [SearchResult]) -> JSON {
        .object([
            ("query", .string(query)),
            ("results", .array(results.map { result in
                .object([
                    ("rowid", .int(Int(result.rowID))),
                    ("id", .string(result.entryID)),
                    ("feed", .string(ShownText.line(result.feedTitle))),
                    ("category", .string(result.category.rawValue)),
                    ("date", .string(Timestamp.rfc3339(result.date))),
                    ("title", .string(result.title.map(ShownText.line))),
                    ("link", .string(DisplayText.webLink(result.link))),
                    ("services", .strings(result.services)),
                    ("mentions", .strings(result.mentions)),
                    ("advisories", .strings(result.advisories)),
                    ("revised", .bool(result.revised)),
                    ("also_reported_by", .array(result.alsoReportedBy.map { related in
                        .object([
                            ("rowid", .int(Int(related.rowID))),
                            ("feed", .string(ShownText.line(related.feedTitle))),
                            ("title", .string(related.title.map(ShownText.line))),
                            ("link", .string(DisplayText.webLink(related.link))),
                            ("advisories", .strings(related.sharedAdvisories)),
                        ])
                    })),
                ])
            })),
        ])
    }

    /// One line per result: its entry number (what `explain` and `ack` take), date, feed,
    /// title (matched words in bold on a terminal), services (those only mentioned in
    /// parentheses), advisory ids, link. Control characters from feeds are shown as spaces,
    /// bidirectional formatting characters are dropped, and a link that is not
    /// `http`/`https` is shown as "-" (`ShownText`).
    /// The TITLE column's width: 50, or what a wider terminal (`COLUMNS`) leaves beside the
    /// other columns and a 40-character link, up to 200.
    static func titleWidth(columns: Int?) -> Int {
        let others = 6 + 10 + 20 + 14 + 32 + 6 * 2 + 40
        return min(200, max(50, (columns ?? 0) - others))
    }

    static func table(_ results: [SearchResult], highlight: Bool, titleWidth: Int = 50) -> String {
        let header = ["#".padded(to: 6), "DATE".padded(to: 10), "FEED".padded(to: 20), "TITLE".padded(to: titleWidth),
                      "SERVICES".padded(to: 14), "ADVISORIES".padded(to: 32), "LINK"]
        var lines = [header.joined(separator: "  ")]
        for result in results {
            var advisories = result.advisories.prefix(2).joined(separator: " ")
            if result.advisories.count > 2 { advisories += " +\(result.advisories.count - 2)" }
            lines.append([
                String(result.rowID).padded(to: 6),
                String(Timestamp.rfc3339(result.date).prefix(10)),
                cell([.init(text: result.feedTitle, matched: false)], width: 20, highlight: false),
                cell(result.titleParts, width: titleWidth, highlight: highlight),
                cell([.init(text: (result.services + result.mentions.map { "(\($0))" }).joined(separator: ","),
                            matched: false)], width: 14, highlight: false),
                cell([.init(text: advisories, matched: false)], width: 32, highlight: false),
                DisplayText.webLink(result.link) ?? "-",
            ].joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }

    /// `parts` cut to `width` terminal columns (with "…") and padded to it; matched parts in bold.
    private static func cell(_ parts: [SearchResult.TitlePart], width: Int, highlight: Bool) -> String {
        let parts = parts.map { SearchResult.TitlePart(text: ShownText.line($0.text), matched: $0.matched) }
        let total = parts.reduce(0) { $0 + $1.text.columns }
        var room = total > width ? width - 1 : width
        var text = "", used = 0
        for part in parts where room > 0 {
            var piece = ""
            for character in part.text {
                let columns = character.description.columns
                guard columns <= room else { room = 0; break }
                piece.append(character)
                room -= columns
                used += columns
            }
            text += part.matched && highlight ? "\u{1b}[1m" + piece + "\u{1b}[0m" : piece
        }
        if total > width { text += "…"; used += 1 }
        return text + String(repeating: " ", count: max(0, width - used))
    }
}
