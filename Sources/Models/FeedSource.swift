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

    public init(title: String, url: String, siteURL: String? = nil, category: FeedCategory) {
        self.title = title
        self.url = url
        self.siteURL = siteURL
        self.category = category
    }
}
