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

/// How strongly a bulletin is tied to a service.
public enum TagStrength: String, Sendable, Hashable, CaseIterable {
    /// The bulletin is about the service: a structured advisory's package, an advisory id's
    /// distribution, a feed declared to be about it, a title in prose. Only subjects make
    /// digest rows.
    case subject
    /// The service is named in passing.
    case mention
}

/// A stored entry tied to a service of the inventory, and why.
public struct EntryTag: Sendable, Hashable {
    public var entryRowID: Int64
    public var service: String
    public var strength: TagStrength
    /// The rule that set the strength, as `explain` and `export` show it ("ALAS id: Amazon Linux").
    public var rule: String
    /// The alias (or name) that matched, as the inventory writes it.
    public var alias: String
    /// Where it matched: "title" or "summary".
    public var field: String
    /// Where the hit starts in the field's text, in UTF-8 bytes from 0 (nil for tags stored
    /// before positions were recorded).
    public var position: Int?
    /// How long the hit is in the field's text, in UTF-8 bytes.
    public var length: Int?

    public init(entryRowID: Int64, service: String, strength: TagStrength = .subject, rule: String = "",
                alias: String, field: String, position: Int? = nil, length: Int? = nil) {
        self.entryRowID = entryRowID
        self.service = service
        self.strength = strength
        self.rule = rule
        self.alias = alias
        self.field = field
        self.position = position
        self.length = length
    }
}
