import FoundationEssentials
import Models
import Storage

/// `bulletin export [--since WHEN] --format jsonl|csv`: every stored entry with its tags,
/// one per line, for a SIEM, a spreadsheet or a check of the tagging.
enum ExportCommand {
    static let spec = CommandSpec(
        name: "export",
        abstract: "Print every stored bulletin with its tags, one per line (JSON Lines or CSV).",
        discussion: """
            Each line: the feed's title and URL, the entry's id, title, link, dates, advisory \
            ids, severity, whether one of its CVEs is known exploited, and its tags, each with \
            the service, its strength (subject: the bulletin is about it; mention: named in \
            passing), the rule that decided it, the alias that matched, the field and the \
            position. In CSV a row's tags are one column, "service:strength" joined by "; ". \
            --since keeps the entries dated on or after WHEN (7d, 12h, 2w, 1y, 2024-01-01).
            """,
        options: [
            .init(name: "--format", value: "format", help: "jsonl (default) or csv.", choices: ["jsonl", "csv"]),
            .init(name: "--since", value: "when", help: "Only entries dated on or after: 7d, 2w, 1y or 2024-01-01."),
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let console = invocation.console
        var since: Int64?
        if let text = invocation.value("--since") {
            guard let bound = DateBound(text) else {
                console.error("export: '--since \(text)': expected \(DateBound.expected)")
                return .usage
            }
            since = bound.start(now: WallClock.now())
        }
        let configuration = try Configuration.load(invocation.global)
        guard FileManager.default.fileExists(atPath: configuration.databasePath) else {
            throw RuntimeError(message: "export: \(configuration.databasePath): no database yet; "
                + "'bulletin fetch' or 'bulletin run' creates it")
        }
        let store = try Pipeline.openStoreForReading(configuration.databasePath) { try Store(path: configuration.databasePath) }
        let entries = try store.allEntries().filter { stored in
            guard let since else { return true }
            return (stored.entry.date.map { Int64($0.timeIntervalSince1970) } ?? Int64.max) >= since
        }
        let tags = Dictionary(grouping: try store.allTags(), by: \.entryRowID)
        let assessments = try store.assessments(of: entries.map(\.rowID))
        let feedURLs = Dictionary(try store.feedStates().values.map { ($0.title, $0.url) },
                                  uniquingKeysWith: { first, _ in first })
        let rows = entries.map { stored in
            Row(stored: stored, feedURL: feedURLs[stored.feedTitle], tags: tags[stored.rowID] ?? [],
                assessment: assessments[stored.rowID])
        }
        if invocation.value("--format") == "csv" {
            console.print(([Row.csvHeader] + rows.map(\.csvLine)).joined(separator: "\n"))
        } else if !rows.isEmpty {
            console.print(rows.map { $0.json.line() }.joined(separator: "\n"))
        }
        return .success
    }

    /// One exported entry.
    struct Row {
        var stored: StoredEntry
        var feedURL: String?
        var tags: [EntryTag]
        var assessment: Assessment?

        private var entry: FeedEntry { stored.entry }

        private func time(_ date: Date?) -> String? { date.map(Timestamp.rfc3339) }

        var json: JSON {
            .object([
                ("feed", .object([("title", .string(stored.feedTitle)), ("url", .string(feedURL)),
                                  ("category", .string(stored.category.rawValue))])),
                ("rowid", .int(Int(stored.rowID))),
                ("id", .string(entry.id)),
                ("title", .string(entry.title)),
                ("link", .string(entry.link)),
                ("published", .string(time(entry.published))),
                ("updated", .string(time(entry.updated))),
                ("advisories", .strings(entry.advisories)),
                ("severity", .string(assessment?.severity?.description)),
                ("kev", .bool(!(assessment?.exploited.isEmpty ?? true))),
                ("tags", .array(tags.map { tag in
                    .object([
                        ("service", .string(tag.service)), ("strength", .string(tag.strength.rawValue)),
                        ("rule", .string(tag.rule)), ("alias", .string(tag.alias)), ("field", .string(tag.field)),
                        ("position", tag.position.map(JSON.int) ?? .null),
                    ])
                })),
            ])
        }

        static let csvHeader = "feed,feed_url,rowid,id,title,link,published,updated,advisories,severity,kev,tags"

        var csvLine: String {
            let fields: [String] = [
                stored.feedTitle, feedURL ?? "", String(stored.rowID), entry.id, entry.title ?? "", entry.link ?? "",
                time(entry.published) ?? "", time(entry.updated) ?? "", entry.advisories.joined(separator: " "),
                assessment?.severity?.description ?? "", (assessment?.exploited.isEmpty ?? true) ? "no" : "yes",
                tags.map { "\($0.service):\($0.strength.rawValue)" }.joined(separator: "; "),
            ]
            return fields.map(Self.csvField).joined(separator: ",")
        }

        /// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a
        /// leading `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet does not run it.
        static func csvField(_ text: String) -> String {
            var text = text
            if let first = text.first, "=+-@".contains(first) { text = "'" + text }
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
            return "\"" + text.replacing("\"", with: "\"\"") + "\""
        }
    }
}
