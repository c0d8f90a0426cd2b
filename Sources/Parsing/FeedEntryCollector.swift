import Models

/// Where `FeedParser` puts the entries of a document, one at a time as the reader finishes
/// each, in document order. A new collector is made for each reading of the document.
public protocol FeedEntryCollector: SendableMetatype {
    init()
    mutating func append(_ entry: FeedEntry)
}

/// Keeps the entries, for `ParsedFeed.entries`.
extension [FeedEntry]: FeedEntryCollector {}
