import FoundationEssentials
import Fetching
import Matching
import Models
import Storage

/// `bulletin kev update [FILE|URL]`, `bulletin kev status`: CISA's Known Exploited
/// Vulnerabilities catalog, joined to stored bulletins on their CVE ids.
enum KEVCommand {
    static let catalogURL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"

    static let spec = CommandSpec(
        name: "kev",
        abstract: "Load CISA's Known Exploited Vulnerabilities catalog.",
        subcommands: [update, status])

    static let update = CommandSpec(
        name: "update",
        abstract: "Fetch (or read) the KEV catalog and flag the stored bulletins it lists.",
        discussion: """
            Fetches CISA's JSON catalog as a feed is fetched (the [fetch] settings, a \
            conditional request when it was fetched before), or reads a local copy, stores \
            it, and flags every stored entry that names one of its CVEs as known exploited. \
            Entries tagged later are flagged as they are tagged. Run it before 'bulletin run'.
            """,
        arguments: [.init(name: "file-or-url", help: "A catalog file or URL (default: CISA's).", isOptional: true)],
        run: runUpdate)

    static let status = CommandSpec(
        name: "status",
        abstract: "Show which KEV catalog is stored and when it was loaded.",
        options: [.init(name: "--format", value: "format", help: "Output format.", choices: ["text", "json"])],
        run: { invocation in
            let configuration = try Configuration.load(invocation.global)
            let store = try Pipeline(configuration: configuration, console: invocation.console).openStore()
            if invocation.value("--format") == "json" {
                let status = try store.kevStatus()
                invocation.console.print((status.map { status in
                    JSON.object([("version", .string(status.version)), ("released", .string(status.released)),
                                 ("vulnerabilities", .int(status.count)), ("location", .string(status.location)),
                                 ("loaded", .string(Timestamp.rfc3339(status.loadedAt)))])
                } ?? .null).rendered())
                return .success
            }
            guard let status = try store.kevStatus() else {
                invocation.console.print("kev: no catalog loaded yet; run 'bulletin kev update'")
                return .success
            }
            invocation.console.print("""
                kev: catalog \(status.version)\(status.released.map { " (released \($0))" } ?? ""), \
                \(status.count) vulnerabilities, from \(status.location), loaded \(Timestamp.rfc3339(status.loadedAt))
                """)
            return .success
        })

    static func runUpdate(_ invocation: Invocation) throws -> ExitCode {
        let location = invocation.arguments.first ?? catalogURL
        let configuration = try Configuration.load(invocation.global)
        let store = try Pipeline(configuration: configuration, console: invocation.console).openStore()
        var etag: String?
        var lastModified: String?
        let bytes: [UInt8]
        let lowered = location.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            let previous = try store.kevStatus().flatMap { $0.location == location ? $0 : nil }
            let request = FetchRequest(source: FeedSource(title: "KEV catalog", url: location, category: .security),
                                       etag: previous?.etag, lastModified: previous?.lastModified)
            var outcome: FetchOutcome?
            try FeedFetcher(options: configuration.fetchOptions).fetch([request]) { outcome = $0.outcome }
            switch outcome {
            case .fetched(let document):
                (bytes, etag, lastModified) = (document.body, document.etag, document.lastModified)
            case .notModified:
                try store.touchKEV(at: WallClock.now())
                invocation.console.print("kev: \(location) has not changed (catalog \(previous?.version ?? "?"))")
                return .success
            case .failed(let error):
                throw RuntimeError(message: error.description)
            case nil:
                throw RuntimeError(message: "kev: \(location): no answer")
            }
        } else {
            guard let data = FileManager.default.contents(atPath: location) else {
                throw RuntimeError(message: "kev: \(location): cannot read the file")
            }
            bytes = [UInt8](data)
        }
        let catalog: KEVCatalog
        do {
            catalog = try KEVCatalog(json: bytes, source: location)
        } catch {
            throw RuntimeError(message: error.description)
        }
        let records = catalog.vulnerabilities
        let flagged = try store.replaceKEV(records, location: location, version: catalog.version,
                                           released: catalog.released, etag: etag, lastModified: lastModified, at: WallClock.now())
        invocation.console.print("kev: catalog \(catalog.version), \(records.count) vulnerabilities; "
            + "\(flagged) stored entr\(flagged == 1 ? "y names" : "ies name") a known exploited CVE")
        return .success
    }
}
