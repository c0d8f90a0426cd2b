import Dispatch
import FoundationEssentials
import Fetching
import Models
import Synchronization

/// Runs a refresh on three kinds of thread, so the network, the parser and the store each
/// work while the others wait:
///
///     fetch thread ──results──▶ jobs ──▶ workers ──examined fetches, tags──▶ arrivals
///                                ▲                                              │
///                                └── new entries to tag ◀── store (the caller) ◀┘
///
/// - one thread runs libcurl's multi loop and does nothing else (`startFetching`);
/// - workers parse what it fetched, and tag what the store stored (`startWorkers`, `RefreshWorker`);
/// - the calling thread, which owns the store, stores what the workers made, in batches
///   of whatever is ready each time it comes back for more (`BatchGatherer`).
///
/// Memory is bounded by `FetchWindow`: the fetch thread waits while the bodies not yet
/// stored pass its limit.
enum RefreshStages {
    /// What the workers are given to do.
    private enum Job: Sendable {
        case examine(FetchResult)
        /// Entries to tag: a slice of the store's list, sharing its storage (no entry copied).
        case tag(ArraySlice<StoredEntry>)
        /// A stored batch, freed by the worker that takes it: tens of thousands of parsed
        /// strings, whose release would otherwise cost the store's thread.
        case free(RefreshBatch)
        case stop
    }

    /// The number of worker threads: one a processor. While the store is busy they share
    /// the processors with it; once it waits (the network's pauses, the last feeds) they
    /// have them all.
    static var defaultWorkers: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// How much nicer the workers are than the store's thread. The store is the one stage
    /// that cannot be shared out, and every batch waits for it: where the workers and the
    /// store compete for too few processors (two workers and the store on two), the store
    /// should not wait for a worker that is parsing ahead. The workers still have every
    /// processor the store leaves idle. (Benchmarks/fetch: a cold fetch of the shared bed on
    /// two cores took 5–15% less time; see docs/design.md.)
    static let workerNiceness: Int32 = 10

    /// The most entries one tagging job takes, so the workers share the tagging of a large batch.
    static let taggingChunk = 1000

    /// The entries a store batch gathers before it is stored, while more can come: each
    /// transaction writes its new entries' full-text index as a segment of its own (which
    /// FTS5 merges with others later), so a store that keeps up with the workers and takes
    /// each feed as it comes spends a third more than one taking twenty feeds at a time.
    static let batchEntries = 2000

    /// How long the store waits for more to gather into a small batch, when nothing is
    /// ready, before it stores what it has.
    static let batchPatience = Duration.milliseconds(20)

    /// The bytes of fetched bodies held at once, between their arrival and their feed's
    /// storing (`FetchWindow`): enough to keep the workers and the store busy, and to make
    /// store batches of many feeds; memory stays flat however many feeds the catalog has.
    static let defaultHeldBytes = 8 << 20

    /// Fetches `requests`, has each result examined by a worker, and calls `store` on the
    /// calling thread with batches of at most `maxBatch` feeds; `store` returns the entries
    /// it stored as new, which workers then tag for a later batch. Returns once every fetch
    /// and every tagging is stored. When `store` throws, the other threads are stopped and
    /// the error is thrown; a failing multi loop's error is thrown once what it fetched is stored.
    static func run(_ requests: [FetchRequest], fetcher: FeedFetcher, worker: RefreshWorker,
                    workers: Int = defaultWorkers, maxBatch: Int = 500, heldBytes: Int = defaultHeldBytes,
                    store: (RefreshBatch) throws -> [StoredEntry]) throws {
        let jobs = WorkQueue<Job>()
        let arrivals = WorkQueue<BatchGatherer.Arrival>()
        let window = FetchWindow(limit: heldBytes)
        let stopping = StopFlag()
        let threads = DispatchGroup()
        startFetching(requests, fetcher: fetcher, window: window, jobs: jobs, arrivals: arrivals,
                      stopping: stopping, in: threads)
        let workerCount = max(1, workers)
        startWorkers(workerCount, worker: worker, jobs: jobs, arrivals: arrivals, stopping: stopping, in: threads)
        defer {
            stopping.set()
            window.open()
            for _ in 0..<workerCount { jobs.send(.stop) }
            threads.wait()
        }

        var gatherer = BatchGatherer(arrivals: arrivals, maxFeeds: maxBatch, maxEntries: batchEntries,
                                     maxHeldBytes: heldBytes / 2, patience: batchPatience)
        while gatherer.hasMore {
            let batch = gatherer.next()
            guard !batch.isEmpty else { continue }
            let new = try store(batch)
            window.give(batch.heldBytes)
            for start in stride(from: 0, to: new.count, by: taggingChunk) {
                jobs.send(.tag(new[start..<min(start + taggingChunk, new.count)]))
                gatherer.taggingSent()
            }
            jobs.send(.free(consume batch))
        }
        if let error = gatherer.fetchError { throw error }
    }

    /// Starts the thread of libcurl's multi loop: each result takes its body's bytes from
    /// the window (waiting while it is full) and goes to the workers; at the end, the store
    /// learns how many results there were.
    private static func startFetching(_ requests: [FetchRequest], fetcher: FeedFetcher, window: FetchWindow,
                                      jobs: WorkQueue<Job>, arrivals: WorkQueue<BatchGatherer.Arrival>,
                                      stopping: StopFlag, in threads: DispatchGroup) {
        spawn("bulletin.fetch", in: threads) {
            var delivered = 0
            var failure: (any Error)?
            do {
                try fetcher.fetch(requests, until: stopping.isSet) { result in
                    window.take(result.bodyBytes)
                    jobs.send(.examine(result))
                    delivered += 1
                }
            } catch {
                failure = error
            }
            arrivals.send(.fetchEnded(delivered: delivered, error: failure))
        }
    }

    /// Starts `count` workers, each doing one job after another until told to stop.
    private static func startWorkers(_ count: Int, worker: RefreshWorker, jobs: WorkQueue<Job>,
                                     arrivals: WorkQueue<BatchGatherer.Arrival>, stopping: StopFlag,
                                     in threads: DispatchGroup) {
        for index in 0..<count {
            NicerThread.start("bulletin.worker.\(index)", niceness: workerNiceness, in: threads) {
                while !stopping.isSet() {
                    switch jobs.receive() {
                    case .examine(let result):
                        var examined = worker.examine(result)
                        examined.heldBytes = result.bodyBytes
                        arrivals.send(.examined(examined))
                    case .tag(let entries): arrivals.send(.tagged(worker.tag(entries)))
                    case .free: break  // the batch is released here, as this case ends
                    case .stop: return
                    }
                }
            }
        }
    }

    /// Runs `body` on a thread of its own (a serial queue's: it may block without starving others).
    private static func spawn(_ name: String, in group: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
        DispatchQueue(label: name).async(group: group, execute: body)
    }
}

/// A flag set once, from any thread.
private final class StopFlag: Sendable {
    private let value = Atomic(false)

    func set() { value.store(true, ordering: .releasing) }
    func isSet() -> Bool { value.load(ordering: .acquiring) }
}

private extension FetchResult {
    /// The bytes of the body this result holds, as `FetchWindow` counts them.
    var bodyBytes: Int {
        if case .fetched(let document) = outcome { document.body.count } else { 0 }
    }
}
