import Models

/// An entry's columns as the store writes them: the content hash and the lists joined.
/// `FetchedFeed` makes them where the feed is made (in a fetch, on a worker thread), so the
/// store's one thread, which every batch waits for, only writes.
struct StagedEntry: Sendable {
    let contentHash: String
    let authors: String
    let categories: String
    let advisories: String

    init(_ entry: FeedEntry) {
        contentHash = ContentHash.of(title: entry.title, summary: entry.summary)
        authors = Store.list(entry.authors)
        categories = Store.list(entry.categories)
        advisories = Store.list(entry.advisories)
    }
}
