import Models

/// Where `FeedParser` puts the entries of a document, one at a time as each is finished,
/// in document order. A new collector is made for each reading of the document; for a
/// large document it is made and filled on the thread that finishes the entries, then
/// handed to the caller's (`EntryPipeline`), so its conformance may not be bound to one
/// thread (`SendableMetatype`).
public protocol FeedEntryCollector: SendableMetatype {
    init()
    mutating func append(_ entry: FeedEntry)
}

/// Keeps the entries, for `ParsedFeed.entries`.
extension [FeedEntry]: FeedEntryCollector {}
