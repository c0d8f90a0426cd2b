import Foundation
import Models
import Parsing
import Testing

/// Writing and editing feed catalogs through libxml2.
@Suite struct OPMLWriterTests {
    let feeds = [
        FeedSource(title: "Tom & Jerry's \"advisories\" <1>", url: "https://example.com/feed?a=1&b=2",
                   siteURL: "https://example.com/", category: .security),
        FeedSource(title: "Announcements — ünïcode", url: "http://example.org/rss", category: .announcements),
    ]

    @Test func anExportedCatalogReadsBackAsTheSameFeeds() throws {
        let document = OPMLWriter.document(title: "Bulletin feeds", feeds: feeds)
        #expect(try OPMLReader().read(document, file: "export.opml") == feeds)
        let text = String(decoding: document, as: UTF8.self)
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"))
        #expect(text.contains("\n    <outline "))  // laid out for people
    }

    @Test func appendingKeepsCommentsGroupsAndLayout() throws {
        let original = """
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0">
              <head><title>mine</title></head>
              <body>
                <!-- AWS -->
                <outline text="group">
                  <outline text="A" xmlUrl="https://a.example/feed"/>
                </outline>
              </body>
            </opml>

            """
        let edited = try OPMLWriter.appending([feeds[1]], to: Array(original.utf8), file: "mine.opml")
        let text = String(decoding: edited, as: UTF8.self)
        #expect(text == """
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0">
              <head><title>mine</title></head>
              <body>
                <!-- AWS -->
                <outline text="group">
                  <outline text="A" xmlUrl="https://a.example/feed"/>
                </outline>
                <outline text="Announcements — ünïcode" title="Announcements — ünïcode" type="rss" \
            xmlUrl="http://example.org/rss" category="announcements"/>
              </body>
            </opml>

            """)
        let removed = try OPMLWriter.removing(where: { $0 == "http://example.org/rss" }, from: edited, file: "mine.opml")
        #expect(removed.removed == 1)
        #expect(String(decoding: removed.document, as: UTF8.self) == original)
    }

    /// A folder outline that names the removed feed too, around an outline that names it:
    /// both go, and removing the folder first must not leave the inner one to be freed twice.
    @Test func removingAFeedNamedByAFolderAndByAnOutlineInsideIt() throws {
        let original = """
            <opml version="2.0"><body>
              <outline text="folder" xmlUrl="https://a.example/feed">
                <outline text="A" xmlUrl="https://a.example/feed"/>
                <outline text="B" xmlUrl="https://b.example/feed"/>
              </outline>
              <outline text="A again" xmlUrl="https://a.example/feed"/>
            </body></opml>
            """
        let removed = try OPMLWriter.removing(where: { $0 == "https://a.example/feed" }, from: Array(original.utf8),
                                              file: "nested.opml")
        #expect(removed.removed == 3)
        #expect(try OPMLReader().read(removed.document, file: "nested.opml").isEmpty)
        #expect(!String(decoding: removed.document, as: UTF8.self).contains("a.example"))
    }

    @Test func appendingToAnEmptyBodyIndentsIt() throws {
        let edited = try OPMLWriter.appending([feeds[1]], to: Array("<opml version=\"2.0\"><body/></opml>".utf8), file: "f")
        #expect(try OPMLReader().read(edited, file: "f") == [feeds[1]])
        #expect(String(decoding: edited, as: UTF8.self).contains("<body>\n    <outline "))
    }

    @Test(arguments: ["<rss version=\"2.0\"/>", "not xml at all", "<opml><body>", ""])
    func aFileThatIsNotAnOPMLCatalogIsRefused(text: String) {
        #expect(throws: ParseError.self) {
            try OPMLWriter.appending(feeds, to: Array(text.utf8), file: "bad.opml")
        }
    }

    @Test func anEditNeverExpandsExternalEntities() throws {
        let hostile = """
            <?xml version="1.0"?>
            <!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <opml version="2.0"><head><title>&x;</title></head><body/></opml>
            """
        let edited = try OPMLWriter.appending([feeds[1]], to: Array(hostile.utf8), file: "hostile.opml")
        let text = String(decoding: edited, as: UTF8.self)
        #expect(!text.contains("root:"))
        #expect(text.contains("<title>&x;</title>"))  // the reference stays a reference
        // In an attribute, libxml2 refuses the document outright.
        let inAttribute = hostile.replacingOccurrences(of: "<title>&x;</title>", with: "<title a=\"&x;\"/>")
        #expect(throws: ParseError.self) { try OPMLWriter.appending(feeds, to: Array(inAttribute.utf8), file: "h") }
    }
}
