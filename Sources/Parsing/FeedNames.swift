import LibXML

/// The element names and namespaces a feed parser looks for, interned in one reader's
/// dictionary, so each element is recognised by comparing tokens, not strings.
struct FeedNames {
    static let atom10 = "http://www.w3.org/2005/Atom"
    static let atom03 = "http://purl.org/atom/ns#"
    static let dublinCore = "http://purl.org/dc/elements/1.1/"
    static let dublinCoreTerms = "http://purl.org/dc/terms/"
    static let content = "http://purl.org/rss/1.0/modules/content/"
    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let rss090 = "http://my.netscape.com/rdf/simple/0.9/"
    /// Namespaces RSS's own elements appear in.
    static let rssNamespaces = ["http://purl.org/rss/1.0/", rss090, "http://backend.userland.com/rss2",
                                "http://backend.userland.com/rss"]

    let item, entry, channel, title, link, guid, id, pubDate, published, issued, created, date, updated,
        modified, lastBuildDate, description, summary, encoded, content, creator, author, name, email,
        category, subject, identifier: XMLName
    let atom10Namespace, atom03Namespace, dublinCoreNamespace, dublinCoreTermsNamespace, contentNamespace: XMLName
    /// The namespace of the feed's root element: its own elements are in it (or in none).
    let feedNamespace: XMLName
    private let rssNamespaces: [XMLName]

    init(_ reader: XMLReader, feedNamespace: XMLName) {
        item = reader.intern("item")
        entry = reader.intern("entry")
        channel = reader.intern("channel")
        title = reader.intern("title")
        link = reader.intern("link")
        guid = reader.intern("guid")
        id = reader.intern("id")
        pubDate = reader.intern("pubDate")
        published = reader.intern("published")
        issued = reader.intern("issued")
        created = reader.intern("created")
        date = reader.intern("date")
        updated = reader.intern("updated")
        modified = reader.intern("modified")
        lastBuildDate = reader.intern("lastBuildDate")
        description = reader.intern("description")
        summary = reader.intern("summary")
        encoded = reader.intern("encoded")
        content = reader.intern("content")
        creator = reader.intern("creator")
        author = reader.intern("author")
        name = reader.intern("name")
        email = reader.intern("email")
        category = reader.intern("category")
        subject = reader.intern("subject")
        identifier = reader.intern("identifier")
        atom10Namespace = reader.intern(Self.atom10)
        atom03Namespace = reader.intern(Self.atom03)
        dublinCoreNamespace = reader.intern(Self.dublinCore)
        dublinCoreTermsNamespace = reader.intern(Self.dublinCoreTerms)
        contentNamespace = reader.intern(Self.content)
        rssNamespaces = Self.rssNamespaces.map(reader.intern)
        self.feedNamespace = feedNamespace
    }

    /// True for a namespace the feed format's own elements use: none, the root's, RSS's or
    /// Atom's (Atom elements inside RSS, such as `atom:link`).
    func isCore(_ namespace: XMLName) -> Bool {
        namespace == .none || namespace == feedNamespace || isAtom(namespace) || rssNamespaces.contains(namespace)
    }

    func isAtom(_ namespace: XMLName) -> Bool {
        namespace == atom10Namespace || namespace == atom03Namespace
    }
}
