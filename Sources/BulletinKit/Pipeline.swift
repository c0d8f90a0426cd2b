import FoundationEssentials
import Delivery
import Digest
import Fetching
import Matching
import Models
import Parsing
import Storage

/// Wires the stages together: fetch → parse → store → tag → digest → deliver.
/// Holds no logic of its own beyond the order of the stages and what they report.
struct Pipeline {
    let configuration: Configuration
    let console: Console
    var fetcher: FeedFetcher
    var parser = FeedParser()

    init(configuration: Configuration, console: Console) {
        self.configuration = configuration
        self.console = console
        fetcher = FeedFetcher(options: configuration.fetchOptions)
    }

    /// The time, for the failure policy's schedule (tests pass their own).
    var clock: @Sendable () -> Date = { Date() }

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
        var moves: [Move] = []
        var newEntries: [StoredEntry] = []
        /// Bytes received, headers included, as they travelled.
        var bytes = 0
        var seconds = 0.0

        /// True when some feed's failure should reach the user (exit code 3).
        /// Some feed failed this run, or is flagged and waiting for its next try: exit 3.
        var hasFailures: Bool { !failures.isEmpty }
    }

    /// How far a refresh is, for the progress line.
    struct RefreshProgress {
        var done = 0
        var total = 0
        var bytes = 0
        var failures = 0
    }

    /// Opens the database, creating its directory when missing.
    func openStore() throws -> Store {
        let path = configuration.databasePath
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try FileManager.default.createDirectory(atPath: String(path[..<slash]), withIntermediateDirectories: true)
        }
        return try Store(path: path)
    }

    /// Fetches the feeds that are due (all of `feeds` when `everyFeed`), parses what
    /// changed and stores the entries; the single path `run` and `fetch` share. A feed
    /// that fails is recorded and tried again after a backoff; the others go on.
    func refresh(_ feeds: [FeedSource], into store: Store, everyFeed: Bool = false,
                 progress: (RefreshProgress) -> Void = { _ in }) throws -> RefreshReport {
        let started = ContinuousClock.now
        let now = clock()
        let policy = configuration.fetchOptions.retry
        var report = RefreshReport()
        try store.adoptMovedFeeds(feeds)
        let states = try store.feedStates()
        var requests: [FetchRequest] = []
        for feed in feeds {
            let state = states[feed.url]
            guard everyFeed || state?.isDue(at: now) != false, let state else {
                if let state {
                    report.skipped += 1
                    if let failure = Self.standingFailure(feed, state, policy) { report.failures.append(failure) }
                } else {
                    requests.append(FetchRequest(source: feed))
                }
                continue
            }
            requests.append(FetchRequest(source: feed, movedURL: state.movedURL, etag: state.etag,
                                         lastModified: state.lastModified))
        }
        report.attempted = requests.count
        var status = RefreshProgress(total: requests.count)
        progress(status)
        var storeError: (any Error)?
        try fetcher.fetch(requests) { result in
            guard storeError == nil else { return }
            do {
                let failuresBefore = report.failures.count
                try record(result, state: states[result.request.source.url], in: store, policy: policy, runStart: now,
                           report: &report)
                status.done += 1
                status.bytes += result.bytes
                status.failures += report.failures.count - failuresBefore
                report.bytes += result.bytes
                progress(status)
            } catch {
                storeError = error
            }
        }
        if let storeError { throw storeError }
        report.seconds = Self.seconds(since: started)
        return report
    }

    /// Stores what one fetch brought and adds it to the report.
    private func record(_ result: FetchResult, state: FeedState?, in store: Store, policy: RetryPolicy,
                        runStart: Date, report: inout RefreshReport) throws {
        try recordOutcome(result, state: state, in: store, policy: policy, runStart: runStart, report: &report)
        // After the outcome, so a feed seen for the first time has its record.
        if let movedTo = result.movedTo, movedTo != result.request.url {
            try store.recordMove(of: result.request.source, to: movedTo)
            report.moves.append(.init(feed: result.request.source, from: result.request.url, to: movedTo))
        }
    }

    /// Schedules a failing feed's next attempt from `runStart`, so the run a backoff
    /// later (the next day's, say) finds it due.
    private func recordOutcome(_ result: FetchResult, state: FeedState?, in store: Store, policy: RetryPolicy,
                               runStart: Date, report: inout RefreshReport) throws {
        let feed = result.request.source
        let now = clock()
        func fail(_ error: String, status: Int?, gone: Bool = false, retryAfter: Double? = nil,
                  document: RawDocument? = nil) throws {
            var next: Date?
            let failures = try store.recordFailure(of: feed, status: status, error: error, gone: gone, document: document,
                                                   at: now) { failures in
                let delay = gone ? policy.maxDelay
                    : policy.delay(afterFailures: failures, retryAfter: retryAfter, jitter: RetryPolicy.randomJitter())
                next = runStart.addingTimeInterval(delay)
                return next!
            }
            report.failures.append(.init(feed: feed, error: error, status: status, consecutiveFailures: failures,
                                         flagged: gone || policy.isFlagged(failures: failures), gone: gone,
                                         attempted: true, nextAttempt: next))
        }
        switch result.outcome {
        case .notModified:
            report.unchanged += 1
            try store.recordNotModified(feed, at: now)
            console.detail("\(feed.title): not modified")
        case .failed(let error):
            try fail(error.description, status: error.status, gone: error.isGone, retryAfter: error.retryAfter)
        case .fetched(let document):
            let checksum = BodyChecksum.of(document.body)
            if checksum == state?.bodyChecksum {
                report.unchanged += 1
                try store.recordUnchanged(feed, status: document.status, etag: document.etag,
                                          lastModified: document.lastModified, at: now)
                console.detail("\(feed.title): same document as before")
                return
            }
            let raw = RawDocument(url: document.finalURL, fetchedAt: now, status: document.status,
                                  headers: document.headers,
                                  body: document.body)
            let parsed: ParsedFeed
            do {
                parsed = try parser.parse(document.body, url: document.finalURL, encoding: document.charset)
            } catch {
                try fail(error.description, status: document.status, document: raw)
                return
            }
            let new = try store.recordFetch(of: feed, entries: parsed.entries, document: raw, etag: document.etag,
                                            lastModified: document.lastModified, checksum: checksum, at: now)
            report.changed += 1
            report.newEntries += new
            console.detail("\(feed.title): \(parsed.entries.count) entries, \(new.count) new")
        }
    }

    /// A feed not tried this run that is still failing and flagged: shown all the same,
    /// so a broken feed never goes quiet while it backs off.
    private static func standingFailure(_ feed: FeedSource, _ state: FeedState, _ policy: RetryPolicy)
        -> RefreshReport.Failure? {
        guard state.consecutiveFailures > 0, state.gone || policy.isFlagged(failures: state.consecutiveFailures)
        else { return nil }
        return .init(feed: feed, error: state.lastError ?? "failed", status: state.lastStatus,
                     consecutiveFailures: state.consecutiveFailures, flagged: true, gone: state.gone,
                     attempted: false, nextAttempt: state.nextAttempt)
    }

    /// Parses each feed's last fetched document again and stores the entries not stored
    /// before, without fetching (`bulletin fetch --reparse`, after a parser fix).
    func reparse(_ feeds: [FeedSource], in store: Store) throws -> RefreshReport {
        let started = ContinuousClock.now
        var report = RefreshReport()
        for feed in feeds {
            guard let raw = try store.rawDocument(for: feed.url) else {
                report.skipped += 1
                continue
            }
            report.attempted += 1
            report.bytes += raw.body.count
            do {
                let charset = raw.header("Content-Type").flatMap(FeedFetcher.charset(of:))
                let parsed = try parser.parse(raw.body, url: raw.url, encoding: charset)
                let new = try store.recordReparse(of: feed, entries: parsed.entries, document: raw,
                                                  checksum: BodyChecksum.of(raw.body))
                report.changed += 1
                report.newEntries += new
            } catch let error as ParseError {
                report.failures.append(.init(feed: feed, error: error.description, status: raw.status,
                                             consecutiveFailures: 0, flagged: true, gone: false, attempted: true))
            }
        }
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
                context += "; not tried this run, next try after \(ParseCommand.timestamp(next))"
            }
            console.warning("\(failure.error) (\(context))")
        }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Tags entries against the inventory, assesses their severity and known exploitation,
    /// and stores both.
    func tag(_ entries: [StoredEntry], in store: Store) throws -> [EntryTag] {
        let tags = Matcher(services: configuration.services).tags(for: entries)
        let assessor = Assessor(knownExploited: try store.kevIDs())
        try store.saveTags(tags, assessments: entries.map(assessor.assess))
        return tags
    }

    /// Sends each channel the digest of what it has not had yet (see `DigestDelivery`).
    func deliver(from store: Store, _ request: DeliveryRequest = DeliveryRequest()) throws -> [DeliveryOutcome] {
        try DigestDelivery(configuration: configuration, console: console).deliver(from: store, request)
    }
}
