import FoundationEssentials

/// The syndication formats the parser tells apart.
public enum FeedFormat: String, Sendable, Hashable, Codable {
    case rss09x = "rss0.9x"
    case rss10 = "rss1.0"
    case rss20 = "rss2.0"
    case atom03 = "atom0.3"
    case atom10 = "atom1.0"
}

/// What the parser understood of one feed document.
public struct ParsedFeed: Sendable, Hashable {
    public var format: FeedFormat
    public var title: String?
    public var link: String?
    public var updated: Date?
    public var entries: [FeedEntry]
    /// The character encoding the document was read in (e.g. "UTF-8", "windows-1252").
    public var encoding: String?
    /// What the parser had to do to read the document: repairs of broken XML, encodings
    /// that were not what the document declared, truncations at a limit. Empty for a clean feed.
    public var notes: [String]
    /// Why some of the document's entries may be missing (the reader stopped before its
    /// end: a fault libxml2 could not recover from, a bound on entries or time), or nil
    /// when every entry was read. The entries before the stop are in `entries`; `fetch`
    /// reports such a feed as a warning (exit 3).
    public var missingEntries: String?

    public init(format: FeedFormat, title: String? = nil, link: String? = nil, updated: Date? = nil,
                entries: [FeedEntry] = [], encoding: String? = nil, notes: [String] = []) {
        self.format = format
        self.title = title
        self.link = link
        self.updated = updated
        self.entries = entries
        self.encoding = encoding
        self.notes = notes
    }
}
