import Fetching
import Models

/// What the store gets at once: whole feeds (each feed once), and taggings done meanwhile.
struct RefreshBatch {
    var fetches: [ExaminedFetch] = []
    var taggings: [EntryTagging] = []
    /// The entries of the parsed feeds in `fetches`.
    var entryCount = 0

    var isEmpty: Bool { fetches.isEmpty && taggings.isEmpty }

    /// The bytes of bodies the batch holds in the refresh's `FetchWindow`.
    var heldBytes: Int { fetches.reduce(0) { $0 + $1.heldBytes } }

    mutating func append(_ fetch: ExaminedFetch) {
        fetches.append(fetch)
        if case .parsed(let document) = fetch.outcome { entryCount += document.feed.entries.count }
    }
}

/// The store thread's side of a refresh (`RefreshStages`): it counts what the other threads
/// still owe it, and makes batches of what they send.
///
/// A batch takes whatever has arrived. While it is small and more can come, it waits a
/// little (`patience`) for more: each transaction writes its new entries' full-text index
/// as a segment of its own, so many small batches cost more than a few large ones. A batch
/// ends at `maxFeeds` feeds; at a feed it holds already (the store takes a feed once a
/// batch: the second waits for the next); and it stops waiting once it holds `maxHeldBytes`
/// of bodies, because the fetch thread may be waiting for those bytes to be given back.
struct BatchGatherer {
    /// What the other threads send the store's thread.
    enum Arrival: Sendable {
        /// A fetch, parsed or otherwise examined by a worker.
        case examined(ExaminedFetch)
        /// The tags a worker found for entries stored earlier.
        case tagged(EntryTagging)
        /// The multi loop ended after handing over `delivered` fetches, or failed.
        case fetchEnded(delivered: Int, error: (any Error)?)
    }

    let arrivals: WorkQueue<Arrival>
    let maxFeeds: Int
    let maxEntries: Int
    let maxHeldBytes: Int
    let patience: Duration

    /// The fetches the fetch thread handed over; nil while it still runs.
    private var delivered: Int?
    /// The fetches received from the workers.
    private var examined = 0
    /// Tagging jobs sent to the workers whose tags have not come back.
    private var taggingsOut = 0
    /// What arrived but could not join the last batch: the first of the next one.
    private var held: Arrival?
    /// Why the multi loop failed, thrown once everything it fetched is stored.
    private(set) var fetchError: (any Error)?

    init(arrivals: WorkQueue<Arrival>, maxFeeds: Int, maxEntries: Int, maxHeldBytes: Int, patience: Duration) {
        self.arrivals = arrivals
        self.maxFeeds = maxFeeds
        self.maxEntries = maxEntries
        self.maxHeldBytes = maxHeldBytes
        self.patience = patience
    }

    /// Whether anything is still to be stored: the refresh is over when this is false.
    var hasMore: Bool { held != nil || moreCanArrive }

    /// Fetches not examined yet (or the fetch thread still running), or taggings not back.
    private var moreCanArrive: Bool { delivered.map { examined < $0 } ?? true || taggingsOut > 0 }

    /// Counts a tagging job the store's thread sent to the workers: its tags will arrive.
    mutating func taggingSent() { taggingsOut += 1 }

    /// The next batch, waiting for its first arrival. It may be empty: the arrival was the
    /// end of the fetching.
    mutating func next() -> RefreshBatch {
        var batch = RefreshBatch()
        var feeds: Set<String> = []
        var arrival: Arrival? = held ?? arrivals.receive()
        held = nil
        while let item = arrival {
            switch item {
            case .examined(let fetch):
                guard feeds.insert(fetch.source.url).inserted else {
                    held = item
                    return batch
                }
                batch.append(fetch)
                examined += 1
            case .tagged(let tagging):
                batch.taggings.append(tagging)
                taggingsOut -= 1
            case .fetchEnded(let count, let error):
                delivered = count
                fetchError = error
            }
            if batch.fetches.count >= maxFeeds { break }
            arrival = arrivals.receiveIfAny()
            if arrival == nil, moreCanArrive, batch.entryCount < maxEntries, batch.heldBytes < maxHeldBytes {
                arrival = arrivals.receive(waitingUpTo: patience)
            }
        }
        return batch
    }
}
