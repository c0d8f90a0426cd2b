import FoundationEssentials

/// One entry of a feed, normalised whatever the format it came in.
/// Text fields are plain text; a missing value is nil (or empty for lists).
public struct FeedEntry: Sendable, Hashable {
    /// The guid/id as given, else a stable id derived from the link or title and date.
    public var id: String
    public var title: String?
    /// Absolute URL of the entry's page.
    public var link: String?
    public var published: Date?
    public var updated: Date?
    public var summary: String?
    public var authors: [String]
    public var categories: [String]
    /// Advisory ids (CVE-…, GHSA-…, USN-…, DSA-…, ALAS…) in title and summary, first seen first.
    public var advisories: [String]

    public init(id: String, title: String? = nil, link: String? = nil, published: Date? = nil,
                updated: Date? = nil, summary: String? = nil, authors: [String] = [],
                categories: [String] = [], advisories: [String] = []) {
        self.id = id
        self.title = title
        self.link = link
        self.published = published
        self.updated = updated
        self.summary = summary
        self.authors = authors
        self.categories = categories
        self.advisories = advisories
    }

    /// The date to sort and show the entry by.
    public var date: Date? { published ?? updated }
}
