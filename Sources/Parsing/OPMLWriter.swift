import LibXML
import Models

/// Writes feed catalogs in OPML 2.0 through libxml2: a new document for export, or an
/// edit of an existing file that keeps its comments, groups and layout.
public enum OPMLWriter {
    /// A new OPML document listing `feeds`, one `<outline type="rss">` each.
    public static func document(title: String, feeds: [FeedSource]) -> [UInt8] {
        let tree = XMLTree(rootName: "opml", name: title)
        tree.root.setAttribute("version", "2.0")
        tree.root.appendChild("head").appendChild("title", text: title)
        let body = tree.root.appendChild("body")
        for feed in feeds { describe(feed, in: body.appendChild("outline")) }
        return tree.serialized(indent: true)
    }

    /// The OPML file `bytes` with `feeds` appended at the end of its body.
    public static func appending(_ feeds: [FeedSource], to bytes: [UInt8], file: String) throws(ParseError) -> [UInt8] {
        let tree = try catalog(bytes, file: file)
        let body = tree.root.child(named: "body") ?? tree.root.appendChild("body", indent: true)
        for feed in feeds { describe(feed, in: body.appendChild("outline", indent: true)) }
        return tree.serialized(indent: false)
    }

    /// The OPML file `bytes` without the outlines whose `xmlUrl` `match` accepts, and
    /// how many were removed.
    public static func removing(where match: (String) -> Bool, from bytes: [UInt8],
                                file: String) throws(ParseError) -> (document: [UInt8], removed: Int) {
        let tree = try catalog(bytes, file: file)
        let removed = tree.removeElements(named: "outline") { outline in
            outline.attribute("xmlUrl").map(PlainText.collapsingWhitespace).map(match) ?? false
        }
        return (tree.serialized(indent: false), removed)
    }

    private static func catalog(_ bytes: [UInt8], file: String) throws(ParseError) -> XMLTree {
        let tree: XMLTree
        do {
            tree = try XMLTree(parsing: bytes, name: file)
        } catch {
            throw .malformed(error)
        }
        guard tree.root.name == "opml" else {
            throw .notAFeed(document: file, looksLike: "an XML document whose root is <\(tree.root.name)>, not <opml>")
        }
        return tree
    }

    private static func describe(_ feed: FeedSource, in outline: XMLElement) {
        outline.setAttribute("text", feed.title)
        outline.setAttribute("title", feed.title)
        outline.setAttribute("type", "rss")
        outline.setAttribute("xmlUrl", feed.url)
        if let site = feed.siteURL { outline.setAttribute("htmlUrl", site) }
        outline.setAttribute("category", feed.category.rawValue)
        if !feed.about.isEmpty { outline.setAttribute("about", feed.about.joined(separator: ", ")) }
    }
}
