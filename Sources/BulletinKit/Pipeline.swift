import FoundationEssentials
import Delivery
import Digest
import Fetching
import Matching
import Models
import Parsing
import Storage

/// Wires the stages together: fetch → parse → store → tag → digest → deliver.
/// Holds no logic of its own beyond the order of the stages and what they report
/// (a refresh runs its stages at once, on threads: see `refresh` and `RefreshStages`).
struct Pipeline {
    let configuration: Configuration
    let console: Console
    var fetcher: FeedFetcher
    var parser = FeedParser()

    init(configuration: Configuration, console: Console) {
        self.configuration = configuration
        self.console = console
        fetcher = FeedFetcher(options: configuration.fetchOptions)
        // Reading a document is bounded like its transfer.
        parser.timeLimit = .milliseconds(Int64(configuration.fetchOptions.timeout * 1000))
        // --verbose says which configuration, catalog and database this run uses.
        console.detail("config: \(configuration.directory) (from \(configuration.origin)); catalog: "
            + (configuration.catalogFiles.isEmpty ? "none" : configuration.catalogFiles.joined(separator: ", "))
            + "; database: \(configuration.databasePath)")
    }

    /// The time, for the failure policy's schedule (tests pass their own).
    var clock: @Sendable () -> Date = { WallClock.now() }

    /// What one refresh did (`bulletin fetch --format json` prints it; see README.md).
    struct RefreshReport {
        struct Failure {
            var feed: FeedSource
            var error: String
            var status: Int?
            var consecutiveFailures: Int
            /// Failed often enough (or gone) to be shown to the user; exit code 3.
            var flagged: Bool
            var gone: Bool
            /// False for a failing feed this run did not try because it is backing off.
            var attempted: Bool
            var nextAttempt: Date?
        }

        /// A feed stored, but with entries missing (the parser stopped before its end).
        struct Warning {
            var feed: FeedSource
            var warning: String
        }

        struct Move {
            var feed: FeedSource
            var from: String
            var to: String
        }

        var attempted = 0
        /// Feeds not due yet (backing off after failures), not fetched.
        var skipped = 0
        var changed = 0
        /// 304 Not Modified, or a 200 with the same body as before.
        var unchanged = 0
        var failures: [Failure] = []
        var warnings: [Warning] = []
        var moves: [Move] = []
        /// Entries stored for the first time. A count: the entries themselves are tagged
        /// and let go feed by feed, so a refresh's memory does not grow with the catalog.
        var newEntries = 0
        /// Tags the new entries got (their assessments are stored too).
        var tagged = 0
        /// Bytes received, headers included, as they travelled.
        var bytes = 0
        var seconds = 0.0

        /// Some feed failed this run, or is flagged and waiting for its next try, or was
        /// stored with entries missing: exit 3.
        var hasFailures: Bool { !failures.isEmpty || !warnings.isEmpty }
    }

    /// How far a refresh is, for the progress line.
    struct RefreshProgress {
        var done = 0
        var total = 0
        var bytes = 0
        var failures = 0
    }

    /// Opens the database for a command that only reads it (search, explain, a printed
    /// digest): read-only (`Store(readingOnly:)`) when the user may not write the file or its
    /// directory (a read-only mount, a store shared for reading), where opening it as usual
    /// fails on its write-ahead log; else as `openStore()` does.
    func openStoreForReading() throws -> Store {
        try Self.openStoreForReading(configuration.databasePath) { try openStore() }
    }

    static func openStoreForReading(_ path: String, else open: () throws -> Store) throws
        -> Store {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        let files = FileManager.default
        guard files.fileExists(atPath: path), !files.isWritableFile(atPath: path) || !files.isWritableFile(atPath: directory)
        else { return try open() }
        return try Store(readingOnly: path)
    }

    /// Opens the database, creating its directory when missing.
    func openStore() throws -> Store {
        let path = configuration.databasePath
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try FileManager.default.createDirectory(atPath: String(path[..<slash]), withIntermediateDirectories: true)
        }
        return try Store(path: path)
    }

    /// A feed not tried this run that is still failing and flagged: shown all the same,
    /// so a broken feed never goes quiet while it backs off.
    static func standingFailure(_ feed: FeedSource, _ state: FeedState, _ policy: RetryPolicy)
        -> RefreshReport.Failure? {
        guard policy.isFlagged(failures: state.consecutiveFailures, gone: state.gone) else { return nil }
        return .init(feed: feed, error: state.lastError ?? "failed", status: state.lastStatus,
                     consecutiveFailures: state.consecutiveFailures, flagged: true, gone: state.gone,
                     attempted: false, nextAttempt: state.nextAttempt)
    }

    /// Parses each feed's last fetched document again, stores the entries not stored
    /// before and tags them, without fetching (`bulletin fetch --reparse`, after a parser fix).
    func reparse(_ feeds: [FeedSource], in store: Store) throws -> RefreshReport {
        let started = ContinuousClock.now
        var report = RefreshReport()
        var newEntries: [StoredEntry] = []
        for feed in feeds {
            // A feed whose document cannot be read or parsed fails alone; the others are re-parsed.
            func fail(_ error: String, status: Int?) {
                report.failures.append(.init(feed: feed, error: error, status: status, consecutiveFailures: 0,
                                             flagged: true, gone: false, attempted: true))
            }
            let stored: RawDocument?
            do {
                stored = try store.rawDocument(for: feed.url)
            } catch let error as StoreError {  // corrupt, or an unknown encoding
                report.attempted += 1
                fail(error.description, status: nil)
                continue
            }
            guard let raw = stored else {
                report.skipped += 1
                continue
            }
            report.attempted += 1
            report.bytes += raw.body.count
            do {
                let charset = raw.header("Content-Type").flatMap(FeedFetcher.charset(of:))
                let parsed = try parser.parse(raw.body, url: raw.url, encoding: charset)
                let new = try store.recordReparse(of: feed, entries: parsed.entries, checksum: BodyChecksum.of(raw.body),
                                                  at: clock())
                if let missing = parsed.missingEntries {
                    report.warnings.append(.init(feed: feed, warning: "parse: \(raw.url): some entries may be missing: \(missing)"))
                }
                report.changed += 1
                newEntries += new
                report.newEntries += new.count
            } catch let error as ParseError {
                fail(error.description, status: raw.status)
            }
        }
        let tagging = try worker(for: store, feeds: feeds).tag(newEntries[...])
        try store.saveTags(tagging.tags, assessments: tagging.assessments)
        report.tagged = tagging.tags.count
        report.seconds = Self.seconds(since: started)
        return report
    }

    /// Tells the user what a refresh found that needs them: every failure (a warning, shown
    /// even with `--quiet`) and feeds that moved for good.
    func announce(_ report: RefreshReport) {
        for move in report.moves {
            console.note("note: feed '\(move.feed.title)' moved permanently to \(move.to); fetching it there from now on "
                + "(the catalog still says \(move.from): edit it when convenient)")
        }
        for failure in report.failures {
            var context = "feed '\(failure.feed.title)'"
            if failure.gone {
                context += " is gone: remove it with 'bulletin feeds remove \"\(failure.feed.title)\"'"
            } else if failure.consecutiveFailures > 1 {
                context += ", failed \(failure.consecutiveFailures) times in a row"
            }
            if !failure.attempted, let next = failure.nextAttempt {
                context += "; not tried this run, next try after \(Timestamp.rfc3339(next))"
            }
            console.warning("\(failure.error) (\(context))")
        }
        for warning in report.warnings {
            console.warning("\(warning.warning) (feed '\(warning.feed.title)': its other entries were stored)")
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Sends each channel the digest of what it has not had yet (see `DigestDelivery`).
    func deliver(from store: Store, _ request: DeliveryRequest = DeliveryRequest()) throws -> [DeliveryOutcome] {
        try DigestDelivery(configuration: configuration, console: console).deliver(from: store, request)
    }
}
