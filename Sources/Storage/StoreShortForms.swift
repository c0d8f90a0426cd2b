import FoundationEssentials
import Models

/// Shorter forms of the store's writes, for tests (`@testable import Storage`): the one
/// write path the code takes (`recordFetches`, `saveTags`), without the parts a test of
/// something else does not care about (a raw document, a checksum, assessments).
extension Store {
    /// Stores a successful fetch without a document: the feed's state and every entry not
    /// stored before, in one transaction. Returns the entries that are new.
    @discardableResult
    func storeFetch(of source: FeedSource, entries: [FeedEntry], status: Int = 200, etag: String? = nil,
                    lastModified: String? = nil, at now: Date = WallClock.now()) throws -> [StoredEntry] {
        try storeFetchChanges(of: source, entries: entries, status: status, etag: etag,
                              lastModified: lastModified, at: now).new
    }

    /// The same, with what storing changed: the new entries, and the revised ones (changed
    /// title or summary) updated in place. Entries the feed no longer lists are kept.
    @discardableResult
    func storeFetchChanges(of source: FeedSource, entries: [FeedEntry], status: Int = 200, etag: String? = nil,
                           lastModified: String? = nil, at now: Date = WallClock.now()) throws -> EntryChanges {
        try storeFetches([FetchedFeed(source: source, entries: entries, status: status, etag: etag,
                                      lastModified: lastModified)], at: now)[0]
    }

    /// Several successful fetches without documents (each feed once), in one transaction.
    @discardableResult
    func storeFetches(_ fetches: [FetchedFeed], at now: Date = WallClock.now()) throws -> [EntryChanges] {
        try writeFetches(fetches.map { ($0, nil) }, at: now)
    }

    /// `recordFetches` of one document.
    @discardableResult
    func recordFetch(of source: FeedSource, entries: [FeedEntry], document: RawDocument, etag: String?,
                     lastModified: String?, checksum: String, at now: Date = WallClock.now()) throws -> [StoredEntry] {
        let feed = FetchedFeed(source: source, entries: entries, status: document.status, etag: etag,
                               lastModified: lastModified)
        return try recordFetches([DocumentFetch(feed: feed, document: document, checksum: checksum)], at: now)[0]
    }

    /// Tags without assessments (`saveTags`).
    func addTags(_ tags: [EntryTag]) throws {
        try saveTags(tags, assessments: [])
    }

    /// The validators of the feed's last response, as a conditional request sends them.
    func validators(for url: String) throws -> (etag: String?, lastModified: String?) {
        let state = try feedState(for: url)
        return (state?.etag, state?.lastModified)
    }
}
