import Models
import Parsing
import Testing

/// Reading feed catalogs: folders, as feed readers export them, set the category of the
/// feeds inside when they are named like one.
@Suite struct OPMLReaderTests {
    private func categories(_ body: String) throws -> [String: FeedCategory] {
        let feeds = try OPMLReader().read(Array("<opml version=\"2.0\"><body>\(body)</body></opml>".utf8), file: "f.opml")
        return Dictionary(uniqueKeysWithValues: feeds.map { ($0.title, $0.category) })
    }

    private func feed(_ title: String, _ attributes: String = "") -> String {
        "<outline text=\"\(title)\" type=\"rss\" xmlUrl=\"https://example.com/\(title)\" \(attributes)/>"
    }

    @Test func aFolderNamedLikeACategorySetsItForTheFeedsInside() throws {
        let result = try categories("""
            <outline text="Announcements">\(feed("a"))<outline text="Cloud">\(feed("b"))</outline></outline>
            <outline title="SECURITY" text="x">\(feed("c"))\(feed("d", "category=\"announcements\""))</outline>
            \(feed("e"))
            """)
        #expect(result == ["a": .announcements, "b": .announcements, "c": .security, "d": .announcements, "e": .security])
    }

    @Test func theInnermostFolderWinsAndAFolderEndsWithItsElement() throws {
        let result = try categories("""
            <outline text="Security"><outline text="Announcements">\(feed("a"))</outline>\(feed("b"))</outline>
            <outline text="Announcements"/>\(feed("c"))
            <outline text="Misc">\(feed("d"))</outline>
            """)
        #expect(result == ["a": .announcements, "b": .security, "c": .security, "d": .security])
    }

    @Test func aDefaultCategoryAppliesOutsideFolders() throws {
        let feeds = try OPMLReader(defaultCategory: .announcements)
            .read(Array("<opml><body>\(feed("a"))<outline text=\"Security\">\(feed("b"))</outline></body></opml>".utf8), file: "f")
        #expect(feeds.map(\.category) == [.announcements, .security])
    }
}
