import FoundationEssentials
import Models

/// What the pipeline and the commands need of a store. `Store` (SQLite) is the one
/// backend; a shared one (PostgreSQL through libpq) would conform to this and change no
/// other module. `SearchQuery` is the backend-neutral form of a search.
public protocol BulletinStore: AnyObject {
    // Feeds and entries
    func validators(for url: String) throws -> (etag: String?, lastModified: String?)
    func storeFetchChanges(of source: FeedSource, entries: [FeedEntry], status: Int, etag: String?,
                           lastModified: String?, at now: Date) throws -> EntryChanges
    func storeNotModified(_ source: FeedSource, at now: Date) throws
    func storeFailure(of source: FeedSource, status: Int?, error: String, at now: Date) throws

    // Tags, deliveries, clusters
    func addTags(_ tags: [EntryTag]) throws
    func undelivered(on channel: String) throws -> [(entry: StoredEntry, tags: [EntryTag])]
    func markDelivered(_ entryRowIDs: [Int64], on channel: String, at now: Date) throws
    func alsoReported(for rowIDs: [Int64]) throws -> [Int64: [RelatedEntry]]

    // Search and retention
    func search(_ query: SearchQuery, limit: Int, now: Date) throws -> [SearchResult]
    func prune(before cutoff: Date, includingTagged: Bool, dryRun: Bool) throws -> PruneReport
    func vacuum() throws

    // Runs
    func lockRuns(waitingUpTo seconds: Double, onWait: (_ holder: String) -> Void) throws -> any RunLease
    func beginRun(_ command: String, at now: Date) throws -> Int64
    func finishRun(_ id: Int64, _ summary: RunSummary, at now: Date) throws
}

extension Store: BulletinStore {}
