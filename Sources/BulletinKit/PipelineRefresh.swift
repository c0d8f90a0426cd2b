import FoundationEssentials
import Fetching
import Matching
import Models
import Storage

extension Pipeline {
    /// Fetches the feeds that are due (all of `feeds` when `everyFeed`), parses what
    /// changed, stores the entries and tags the new ones; the single path `run` and `fetch`
    /// share. A feed that fails is recorded and tried again after a backoff; the others go on.
    ///
    /// The stages overlap (`RefreshStages`): while libcurl waits for servers, workers parse
    /// and tag, and this thread stores whole feeds in batches, one transaction a batch. A
    /// batch that fails to store is stored again feed by feed, so a feed the store refuses
    /// is recorded as failed and costs no other feed its entries.
    func refresh(_ feeds: [FeedSource], into store: Store, everyFeed: Bool = false,
                 progress: (RefreshProgress) -> Void = { _ in }) throws -> RefreshReport {
        let started = ContinuousClock.now
        let runStart = clock()
        let policy = configuration.fetchOptions.retry
        var report = RefreshReport()
        try store.adoptMovedFeeds(feeds)
        let states = try store.feedStates()
        var requests: [FetchRequest] = []
        for feed in feeds {
            let state = states[feed.url]
            guard everyFeed || state?.isDue(at: runStart) != false, let state else {
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
        let worker = try worker(for: store, feeds: feeds, checksums: states.compactMapValues(\.bodyChecksum))
        report.tagged += try tagUntagged(in: store, worker: worker)
        try store.checkpointingInBackground {
            try RefreshStages.run(requests, fetcher: fetcher, worker: worker) { batch in
                let recorded = try record(batch, in: store, policy: policy, runStart: runStart)
                for line in recorded.details { console.detail(line) }
                report.add(recorded.report)
                if !batch.fetches.isEmpty {  // a batch of taggings alone changes nothing shown
                    status.done += batch.fetches.count
                    status.bytes += recorded.report.bytes
                    status.failures += recorded.report.failures.count
                    progress(status)
                }
                return recorded.newEntries
            }
        }
        // The revised entries, whose old tags their revision dropped (and any whose tags the
        // store refused just now), so this run's digest sees them as they are now.
        report.tagged += try tagUntagged(in: store, worker: worker)
        report.seconds = Self.seconds(since: started)
        return report
    }

    /// Tags the entries stored but not tagged: by an earlier refresh killed between the two
    /// or whose tags the disk refused, or revised in this one; so that this run's digest
    /// carries them. Returns the tags saved. Tags the store refuses again wait for the next
    /// refresh.
    func tagUntagged(in store: Store, worker: RefreshWorker) throws -> Int {
        var (next, entries, tags): (Int64, Int, Int) = (0, 0, 0)
        while true {
            let batch = try store.untaggedEntries(from: next, limit: RefreshStages.taggingChunk)
            guard let last = batch.last else { break }
            next = last.rowID + 1
            let tagging = worker.tag(batch[...])
            do {
                try store.saveTags(tagging.tags, assessments: tagging.assessments)
            } catch {
                console.warning("store: the tags of \(batch.count) entries stored by an earlier run could not be "
                    + "saved (\(error)); the next run tries again")
                break
            }
            entries += batch.count
            tags += tagging.tags.count
        }
        if entries > 0 {
            console.note("note: tagged \(entries) entries an earlier run stored but did not tag (it was stopped, or the "
                + "disk was full)")
        }
        return tags
    }

    /// The worker of a refresh: the parser, and the tagger with the inventory and the
    /// store's catalog of known exploited vulnerabilities.
    func worker(for store: Store, feeds: [FeedSource], checksums: [String: String] = [:]) throws -> RefreshWorker {
        let topics = Dictionary(feeds.filter { !$0.about.isEmpty }.map { ($0.title, $0.about) },
                                uniquingKeysWith: { first, _ in first })
        return RefreshWorker(parser: parser, checksums: checksums,
                             matcher: Matcher(services: configuration.services, feedTopics: topics),
                             assessor: Assessor(knownExploited: try store.kevIDs()), clock: clock)
    }

    /// What storing a batch added to the report, with a line for `--verbose` per feed.
    struct RecordedBatch {
        var report = RefreshReport()
        var details: [String] = []
        /// The entries stored for the first time, for the workers to tag.
        var newEntries: [StoredEntry] = []
    }

    /// Stores a batch in one transaction; when that fails, each of its feeds (and its
    /// taggings) in a transaction of its own, and a feed that still fails is recorded as
    /// failed, or only reported when even that cannot be stored; taggings that cannot be
    /// stored are a warning. Does not throw for what the store refuses.
    func record(_ batch: RefreshBatch, in store: Store, policy: RetryPolicy, runStart: Date) throws -> RecordedBatch {
        do {
            return try store.batch { try write(batch, in: store, policy: policy, runStart: runStart) }
        } catch where batch.fetches.count + batch.taggings.count > 1 {
            var recorded = RecordedBatch()
            for part in batch.fetches.map({ RefreshBatch(fetches: [$0]) })
                + batch.taggings.map({ RefreshBatch(taggings: [$0]) }) {
                recorded.add(try record(part, in: store, policy: policy, runStart: runStart))
            }
            return recorded
        } catch let error where batch.fetches.count == 1 {
            let fetch = batch.fetches[0]
            let message = "store: \(fetch.request.url): \(error)"
            let outcome = ExaminedFetch.Outcome.failed(error: message, status: fetch.status, gone: false,
                                                       retryAfter: nil, document: nil)
            let failed = ExaminedFetch(request: fetch.request, outcome: outcome, bytes: fetch.bytes)
            do {
                return try store.batch { try write(RefreshBatch(fetches: [failed]), in: store, policy: policy,
                                                   runStart: runStart) }
            } catch {
                // Not even the failure can be stored (a full disk): it is reported, not
                // recorded, and the other feeds go on; the feed is fetched again next run.
                var recorded = RecordedBatch()
                recorded.report.bytes = fetch.bytes
                recorded.report.failures.append(.init(
                    feed: fetch.source, error: message, status: fetch.status, consecutiveFailures: 1, flagged: true,
                    gone: false, attempted: true, nextAttempt: nil))
                return recorded
            }
        } catch let error where batch.fetches.isEmpty && batch.taggings.count == 1 {
            // The entries are stored; only their tags are not (a full disk): said, and the
            // refresh goes on. They stay listed as untagged, and the next refresh tags them.
            console.warning("store: the tags of \(batch.taggings[0].assessments.count) new entries could not be "
                + "saved (\(error)); the next run tags them")
            return RecordedBatch()
        }
    }

    /// Records each fetch of `batch` and saves its taggings, inside the caller's transaction.
    private func write(_ batch: RefreshBatch, in store: Store, policy: RetryPolicy,
                       runStart: Date) throws -> RecordedBatch {
        var recorded = RecordedBatch()
        let now = clock()
        var parsed: [DocumentFetch] = []
        for fetch in batch.fetches {
            let feed = fetch.source
            recorded.report.bytes += fetch.bytes
            switch fetch.outcome {
            case .notModified:
                recorded.report.unchanged += 1
                try store.recordNotModified(feed, at: now)
                recorded.details.append("\(feed.title): not modified")
            case .unchanged(let status, let etag, let lastModified):
                recorded.report.unchanged += 1
                try store.recordUnchanged(feed, status: status, etag: etag, lastModified: lastModified, at: now)
                recorded.details.append("\(feed.title): same document as before")
            case .parsed(let document):
                parsed.append(document)
                if let warning = fetch.warning { recorded.report.warnings.append(.init(feed: feed, warning: warning)) }
            case .failed(let error, let status, let gone, let retryAfter, let document):
                var next: Date?
                let failures = try store.recordFailure(of: feed, status: status, error: error, gone: gone,
                                                       document: document, at: now) { failures in
                    let delay = gone ? policy.maxDelay
                        : policy.delay(afterFailures: failures, retryAfter: retryAfter,
                                       jitter: RetryPolicy.randomJitter())
                    next = runStart.addingTimeInterval(delay)
                    return next!
                }
                recorded.report.failures.append(.init(
                    feed: feed, error: error, status: status, consecutiveFailures: failures,
                    flagged: policy.isFlagged(failures: failures, gone: gone), gone: gone, attempted: true, nextAttempt: next))
            }
        }
        for (document, new) in zip(parsed, try store.recordFetches(parsed, at: now)) {
            recorded.report.changed += 1
            recorded.newEntries += new
            recorded.report.newEntries += new.count
            recorded.details.append("\(document.feed.source.title): \(document.feed.entries.count) entries, \(new.count) new")
        }
        // After the outcomes, so a feed seen for the first time has its record.
        for fetch in batch.fetches {
            guard let movedTo = fetch.movedTo, movedTo != fetch.request.url else { continue }
            try store.recordMove(of: fetch.source, to: movedTo)
            recorded.report.moves.append(.init(feed: fetch.source, from: fetch.request.url, to: movedTo))
        }
        for tagging in batch.taggings {
            try store.saveTags(tagging.tags, assessments: tagging.assessments)
            recorded.report.tagged += tagging.tags.count
        }
        return recorded
    }
}

extension Pipeline.RefreshReport {
    /// Adds what `other` counted (a part of the same refresh) to this report.
    mutating func add(_ other: Self) {
        attempted += other.attempted
        skipped += other.skipped
        changed += other.changed
        unchanged += other.unchanged
        failures += other.failures
        warnings += other.warnings
        moves += other.moves
        newEntries += other.newEntries
        tagged += other.tagged
        bytes += other.bytes
    }
}

extension Pipeline.RecordedBatch {
    mutating func add(_ other: Self) {
        report.add(other.report)
        details += other.details
        newEntries += other.newEntries
    }
}

extension ExaminedFetch {
    /// The HTTP status of the response, when one came.
    var status: Int? {
        switch outcome {
        case .notModified: 304
        case .unchanged(let status, _, _): status
        case .parsed(let document): document.document.status
        case .failed(_, let status, _, _, _): status
        }
    }
}
