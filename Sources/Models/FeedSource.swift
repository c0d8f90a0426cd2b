/// Which digest section a feed's entries belong to.
public enum FeedCategory: String, Sendable, Hashable, CaseIterable, Codable {
    case security
    case announcements
}

/// A feed in the catalog (`Feeds/*.opml`).
public struct FeedSource: Sendable, Hashable {
    /// The name users type (`bulletin fetch NAME`): the catalog title.
    public var title: String
    /// The feed document's URL (`xmlUrl`).
    public var url: String
    /// The site's page (`htmlUrl`), when the catalog has one.
    public var siteURL: String?
    public var category: FeedCategory
    /// What every entry of the feed is about, when the catalog says so (the OPML attribute
    /// `about="Amazon Linux"`; several names separated by commas): each is a subject of every
    /// entry for the inventory service it names.
    public var about: [String]

    public init(title: String, url: String, siteURL: String? = nil, category: FeedCategory, about: [String] = []) {
        self.title = title
        self.url = url
        self.siteURL = siteURL
        self.category = category
        self.about = about
    }
}
