import FoundationEssentials
import Models

/// What the pipeline and the commands need of a store: every call they make goes through
/// this protocol (`Pipeline.openStore()` returns `any BulletinStore`). `Store` (SQLite) is
/// the one backend; a shared one (PostgreSQL through libpq) would conform to this and
/// change no other module. `SearchQuery` is the backend-neutral form of a search.
/// Callers pass the time (`at:`, `now:`) themselves: the concrete store's defaults are not
/// the protocol's.
public protocol BulletinStore: AnyObject {
    /// Where the store lives, for messages and the run lock.
    var path: String { get }

    // Feeds: fetch state, moves, raw documents
    func feedStates() throws -> [String: FeedState]
    func adoptMovedFeeds(_ sources: [FeedSource]) throws
    func recordNotModified(_ source: FeedSource, at now: Date) throws
    func recordUnchanged(_ source: FeedSource, status: Int, etag: String?, lastModified: String?, at now: Date) throws
    func recordFetches(_ fetches: [DocumentFetch], at now: Date) throws -> [[StoredEntry]]
    func recordReparse(of source: FeedSource, entries: [FeedEntry], checksum: String, at now: Date) throws -> [StoredEntry]
    func recordFailure(of source: FeedSource, status: Int?, error: String, gone: Bool, document: RawDocument?,
                       at now: Date, nextAttempt: (_ failures: Int) -> Date) throws -> Int
    func recordMove(of source: FeedSource, to url: String) throws
    func rawDocument(for url: String) throws -> RawDocument?
    /// Runs `body` as one transaction: the record calls inside it commit together.
    func batch<T>(_ body: () throws -> T) throws -> T
    /// Runs `body`, many batches in a row, with the log copied into the database meanwhile
    /// by another thread rather than by the one writing.
    func checkpointingInBackground<T>(_ body: () throws -> T) throws -> T

    // Entries, tags, assessments
    func entry(rowID: Int64) throws -> StoredEntry?
    func entries(mentioning advisory: String) throws -> [StoredEntry]
    func allEntries() throws -> [StoredEntry]
    func tags(of entryRowID: Int64) throws -> [EntryTag]
    func allTags() throws -> [EntryTag]
    func saveTags(_ tags: [EntryTag], assessments: [Assessment]) throws
    func applyRetag(added: [EntryTag], removed: [EntryTag], assessments: [Assessment]) throws
    func assessment(of entryRowID: Int64) throws -> Assessment?
    func assessments(of rowIDs: [Int64]) throws -> [Int64: Assessment]

    // Known exploited vulnerabilities
    func kevIDs() throws -> Set<String>
    func kevRecord(_ cveID: String) throws -> KnownExploited?
    func kevStatus() throws -> KEVStatus?
    func replaceKEV(_ records: [KnownExploited], location: String, version: String, released: String?,
                    etag: String?, lastModified: String?, at now: Date) throws -> Int
    func touchKEV(at now: Date) throws

    // Acknowledgements
    func addAck(_ target: Ack.Target, service: String?, until: Date?, reason: String?, at now: Date) throws -> Int64
    func removeAck(id: Int64) throws -> Bool
    func acks(includeExpired: Bool, at now: Date) throws -> [Ack]
    func withoutAcknowledged(_ items: [(entry: StoredEntry, tags: [EntryTag])],
                             at now: Date) throws -> [(entry: StoredEntry, tags: [EntryTag])]

    // Digests and deliveries
    func undelivered(on channel: String) throws -> [(entry: StoredEntry, tags: [EntryTag])]
    func hasDelivered(on channel: String) throws -> Bool
    func markDelivered(_ entryRowIDs: [Int64], on channel: String, at now: Date) throws
    func tagged(since: Date?, until: Date?) throws -> [(entry: StoredEntry, tags: [EntryTag])]
    func beginDispatch(channel: String, messageID: String, entries: Int, at now: Date) throws -> Int64
    func confirmDispatch(_ id: Int64, channel: String, entryRowIDs: [Int64], detail: String, at now: Date) throws
    func failDispatch(_ id: Int64, reason: String, at now: Date) throws
    func takeInterruptedDispatches(channel: String, at now: Date) throws -> [Store.Dispatch]

    // Search and retention
    func search(_ query: SearchQuery, limit: Int, now: Date) throws -> [SearchResult]
    func prune(before cutoff: Date, includingTagged: Bool, dryRun: Bool) throws -> PruneReport
    func vacuum() throws
    func fileSize() throws -> Int

    // Runs
    func lockRuns(waitingUpTo seconds: Double, onWait: (_ holder: String) -> Void) throws -> any RunLease
    func beginRun(_ command: String, at now: Date) throws -> Int64
    func finishRun(_ id: Int64, _ summary: RunSummary, at now: Date) throws
}

extension Store: BulletinStore {}
