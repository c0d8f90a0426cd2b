import LibXML
import Models

/// Reads a feed catalog in OPML (what every feed reader imports and exports): each
/// `<outline xmlUrl=…>` is a feed, nested outlines included. A feed's category is its
/// `category` attribute, else that of the innermost folder named like a category
/// ("Security", "Announcements"), else the default.
public struct OPMLReader: Sendable {
    /// The category for outlines that name none (or an unknown one).
    public var defaultCategory: FeedCategory

    public init(defaultCategory: FeedCategory = .security) {
        self.defaultCategory = defaultCategory
    }

    public func read(_ bytes: [UInt8], file: String) throws(ParseError) -> [FeedSource] {
        let reader: XMLReader
        do {
            reader = try XMLReader(bytes: bytes, document: file)
        } catch {
            throw .malformed(error)
        }
        var sawRoot = false
        var feeds: [FeedSource] = []
        // The folders (outlines without xmlUrl) around the current element, innermost last,
        // each with the category its name is, if it is one.
        var folders: [(depth: Int, category: FeedCategory?)] = []
        while reader.read() {
            guard reader.kind == .element else { continue }
            while let last = folders.last, last.depth >= reader.depth { folders.removeLast() }
            if !sawRoot {
                guard reader.localName == "opml" else {
                    throw .notAFeed(document: file, looksLike: "an XML document whose root is <\(reader.localName)>, not <opml>")
                }
                sawRoot = true
            }
            guard reader.localName == "outline" else { continue }
            let name = [reader.attribute("title"), reader.attribute("text")]
                .compactMap { $0.map(PlainText.collapsingWhitespace) }.first { !$0.isEmpty }
            guard let url = reader.attribute("xmlUrl").map(PlainText.collapsingWhitespace), !url.isEmpty else {
                if !reader.isEmptyElement {
                    folders.append((reader.depth, name.flatMap { FeedCategory(rawValue: $0.lowercased()) }))
                }
                continue
            }
            let title = name ?? url
            // The outline's own category, else the innermost folder named like a category.
            let category = reader.attribute("category")
                .flatMap { FeedCategory(rawValue: $0.lowercased().trimmingSpaces()) }
                ?? folders.reversed().lazy.compactMap(\.category).first ?? defaultCategory
            let about = (reader.attribute("about") ?? "").split(separator: ",")
                .map { PlainText.collapsingWhitespace(String($0)) }.filter { !$0.isEmpty }
            feeds.append(FeedSource(title: title, url: url, siteURL: reader.attribute("htmlUrl"), category: category,
                                    about: about))
        }
        guard sawRoot else {
            if let error = reader.errors.first { throw .malformed(error) }
            throw .notAFeed(document: file, looksLike: FeedParser.describe(bytes))
        }
        return feeds
    }
}
