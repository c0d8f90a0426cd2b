/// An entry as the store keeps it: which feed it came from, and its row.
public struct StoredEntry: Sendable, Hashable {
    /// The store's row id.
    public var rowID: Int64
    public var feedTitle: String
    public var category: FeedCategory
    public var entry: FeedEntry

    public init(rowID: Int64, feedTitle: String, category: FeedCategory, entry: FeedEntry) {
        self.rowID = rowID
        self.feedTitle = feedTitle
        self.category = category
        self.entry = entry
    }
}

/// A stored entry tied to a service of the inventory, and why.
public struct EntryTag: Sendable, Hashable {
    public var entryRowID: Int64
    public var service: String
    /// The alias (or name) that matched.
    public var alias: String
    /// Where it matched: "title" or "summary".
    public var field: String

    public init(entryRowID: Int64, service: String, alias: String, field: String) {
        self.entryRowID = entryRowID
        self.service = service
        self.alias = alias
        self.field = field
    }
}
