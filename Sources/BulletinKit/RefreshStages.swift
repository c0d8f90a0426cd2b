import Dispatch
import FoundationEssentials
import Fetching
import Models
import Synchronization

/// What the store gets at once: whole feeds (each feed once), and taggings done meanwhile.
struct RefreshBatch {
    var fetches: [ExaminedFetch] = []
    var taggings: [EntryTagging] = []
    /// The entries of the parsed feeds in `fetches`.
    var entryCount = 0

    /// The bytes of bodies the batch holds in the refresh's `FetchWindow`.
    var heldBytes: Int { fetches.reduce(0) { $0 + $1.heldBytes } }

    mutating func append(_ fetch: ExaminedFetch) {
        fetches.append(fetch)
        if case .parsed(let document) = fetch.outcome { entryCount += document.feed.entries.count }
    }
}

/// Runs a refresh on three kinds of thread, so the network, the parser and the store each
/// work while the others wait:
/// - one thread runs libcurl's multi loop and does nothing else;
/// - workers parse what it fetched, and tag what the store stored (`RefreshWorker`);
/// - the calling thread, which owns the store, stores what the workers made, as batches
///   of whatever is ready each time it comes back for more.
enum RefreshStages {
    private enum Job: Sendable {
        case examine(FetchResult)
        case tag([StoredEntry])
        /// A stored batch, freed by the worker that takes it: tens of thousands of parsed
        /// strings, whose release would otherwise cost the store's thread.
        case free(RefreshBatch)
        case stop
    }

    private enum Done: Sendable {
        case examined(ExaminedFetch)
        case tagged(EntryTagging)
        /// The multi loop ended after handing over `delivered` fetches, or failed.
        case fetchEnded(delivered: Int, error: (any Error)?)
    }

    /// The number of worker threads: one a processor. While the store is busy they share
    /// the processors with it; once it waits (the network's pauses, the last feeds) they
    /// have them all.
    static var defaultWorkers: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

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
        let done = WorkQueue<Done>()
        let stopping = StopFlag()
        let window = FetchWindow(limit: heldBytes)
        let threads = DispatchGroup()
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
            done.send(.fetchEnded(delivered: delivered, error: failure))
        }
        for index in 0..<max(1, workers) {
            spawn("bulletin.worker.\(index)", in: threads) {
                while !stopping.isSet() {
                    switch jobs.receive() {
                    case .examine(let result):
                        var examined = worker.examine(result)
                        examined.heldBytes = result.bodyBytes
                        done.send(.examined(examined))
                    case .tag(let entries): done.send(.tagged(worker.tag(entries)))
                    case .free: break
                    case .stop: return
                    }
                }
            }
        }
        defer {
            stopping.set()
            window.open()
            for _ in 0..<max(1, workers) { jobs.send(.stop) }
            threads.wait()
        }

        var expected: Int?
        var examined = 0
        var tagging = 0
        var fetchError: (any Error)?
        var held: Done?
        while expected.map({ examined < $0 }) ?? true || tagging > 0 || held != nil {
            var batch = RefreshBatch()
            var feeds: Set<String> = []
            var next: Done? = held ?? done.receive()
            held = nil
            gather: while let item = next {
                switch item {
                case .examined(let fetch):
                    // recordFetches takes each feed once: a feed listed twice waits for the next batch.
                    guard feeds.insert(fetch.source.url).inserted else {
                        held = item
                        break gather
                    }
                    batch.append(fetch)
                    examined += 1
                case .tagged(let result):
                    batch.taggings.append(result)
                    tagging -= 1
                case .fetchEnded(let delivered, let error):
                    expected = delivered
                    fetchError = error
                }
                if batch.fetches.count >= maxBatch { break }
                next = done.receiveIfAny()
                // A small batch waits a little for more while more can come. Never for
                // long, and never with half the window in it: the fetch thread may be waiting
                // for the bytes the batch holds.
                if next == nil, expected.map({ examined < $0 }) ?? true || tagging > 0,
                   batch.entryCount < batchEntries, batch.heldBytes < heldBytes / 2 {
                    next = done.receive(waitingUpTo: batchPatience)
                }
            }
            guard !batch.fetches.isEmpty || !batch.taggings.isEmpty else { continue }
            let new = try store(batch)
            window.give(batch.heldBytes)
            for start in stride(from: 0, to: new.count, by: taggingChunk) {
                jobs.send(.tag(Array(new[start..<min(start + taggingChunk, new.count)])))
                tagging += 1
            }
            jobs.send(.free(consume batch))
        }
        if let fetchError { throw fetchError }
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
