import Foundation
import Models
import Parsing
import TestSupport
import Testing

@Suite struct FeedParserTests {
    private func parse(_ xml: String, url: String = "https://example.com/feed.xml") throws -> ParsedFeed {
        try FeedParser().parse(Array(xml.utf8), url: url)
    }

    private func parseFixture(_ name: String) throws -> ParsedFeed {
        let data = try Data(contentsOf: TestPaths.fixture("feeds/" + name))
        return try FeedParser().parse([UInt8](data), url: "https://example.com/\(name)")
    }

    @Test func rss20EntriesHaveTitleLinkIdAndDate() throws {
        let feed = try parseFixture("rss2-distribution-advisories-cve-lists.rss")
        #expect(feed.format == .rss20)
        #expect(feed.title == "Amazon Linux AMI Security Bulletins")
        let entry = try #require(feed.entries.last)
        #expect(feed.entries.count == 11)
        #expect(entry.title == "ALAS-2018-939 (critical): kernel")
        #expect(entry.link == "https://alas.aws.amazon.com/AL2/ALAS-2018-939.html")
        #expect(entry.id == "https://alas.aws.amazon.com/AL2/ALAS-2018-939.html")
        #expect(entry.published == Date(timeIntervalSince1970: 1_516_066_080))  // 2018-01-16T01:28:00Z
        #expect(entry.advisories == ["ALAS-2018-939", "CVE-2017-5754", "CVE-2017-5715"])
    }

    @Test func atom10EntriesHaveTitleLinkIdAndDate() throws {
        let feed = try parseFixture("atom-package-advisories-repeated-ids.atom")
        #expect(feed.format == .atom10)
        #expect(feed.entries.count == 20)
        let entry = try #require(feed.entries.first)
        #expect(entry.title?.hasPrefix("[example-cli] example-cli writes outside") == true)
        #expect(entry.link == "https://github.com/advisories/GHSA-fxmp-cccc-2222")
        #expect(entry.advisories.first == "GHSA-fxmp-cccc-2222")
        #expect(entry.date != nil)
        // The feed repeats an id ten times; each entry is kept under its own id.
        #expect(Set(feed.entries.map(\.id)).count == feed.entries.count)
        #expect(feed.entries.filter { $0.id.hasPrefix("https://github.com/advisories/GHSA-g93w-mfhg-p222") }.count == 10)
    }

    @Test func relativeLinksAreResolvedAgainstTheDocument() throws {
        let feed = try parse("""
            <rss version="2.0"><channel><title>t</title>
            <item><title>a</title><link>/advisories/1</link></item>
            <item><title>b</title><link>2.html</link></item>
            </channel></rss>
            """, url: "https://example.com/feeds/rss.xml")
        #expect(feed.entries.map(\.link) == ["https://example.com/advisories/1", "https://example.com/feeds/2.html"])
    }

    @Test func anEntryWithoutGuidGetsTheSameIdOnEveryParse() throws {
        let xml = "<rss><channel><item><title>No id</title><pubDate>Tue, 10 Oct 2023 12:00:00 GMT</pubDate></item></channel></rss>"
        let first = try parse(xml).entries[0].id
        #expect(first.hasPrefix("urn:bulletin:"))
        #expect(try parse(xml).entries[0].id == first)
        let other = try parse(xml.replacingOccurrences(of: "No id", with: "Other")).entries[0].id
        #expect(other != first)
    }

    @Test func htmlInTitlesAndSummariesBecomesPlainText() throws {
        let feed = try parse("""
            <rss><channel><item><title>Fix for &lt;b&gt;nginx&lt;/b&gt; &amp;amp; more</title>
            <description><![CDATA[<p>Upgrade <a href="x">now</a>.</p><script>bad()</script>]]></description>
            </item></channel></rss>
            """)
        #expect(feed.entries[0].title == "Fix for nginx & more")
        #expect(feed.entries[0].summary == "Upgrade now.")
    }

    @Test func anEntryAfterBrokenMarkupSurvives() throws {
        let feed = try parse("""
            <rss><channel><item><title>AT&T router flaw</title></item>
            <item><title>Second</title></item></channel></rss>
            """)
        #expect(feed.entries.map(\.title).contains("Second"))
    }

    @Test func xmlBaseIsResolvedNestedThenAgainstTheDocument() throws {
        let feed = try parse("""
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.org/blog/">
              <entry xml:base="2024/"><id>1</id><link rel="alternate" href="post.html"/></entry>
              <entry><id>2</id><link href="/about"/></entry>
            </feed>
            """, url: "https://elsewhere.example/feed.atom")
        #expect(feed.entries.map(\.link) == ["https://example.org/blog/2024/post.html", "https://example.org/about"])
    }

    @Test func atomPrefersTheAlternateLinkAndReadsEachTextType() throws {
        let feed = try parse("""
            <feed xmlns="http://www.w3.org/2005/Atom"><title type="html">A &amp;amp; B</title>
              <entry><id>tag:x,2024:1</id>
                <link rel="self" href="https://x.example/self"/>
                <link rel="enclosure" href="https://x.example/a.mp3"/>
                <link rel="alternate" type="text/html" href="https://x.example/post"/>
                <title type="text">1 &lt; 2 &amp; &lt;b&gt;bold&lt;/b&gt;</title>
                <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One</p><p>Two &lt;3</p></div></summary>
                <published>2024-01-02T03:04:05Z</published><updated>2024-02-02T03:04:05+01:00</updated>
                <author><name>Ann</name><email>ann@example.com</email></author>
                <category term="security"/>
              </entry>
            </feed>
            """)
        #expect(feed.title == "A & B")
        let entry = try #require(feed.entries.first)
        #expect(entry.link == "https://x.example/post")
        #expect(entry.title == "1 < 2 & <b>bold</b>")
        #expect(entry.summary == "One Two <3")
        #expect(entry.published.map(Timestamp.rfc3339) == "2024-01-02T03:04:05Z")
        #expect(entry.updated.map(Timestamp.rfc3339) == "2024-02-02T02:04:05Z")
        #expect(entry.authors == ["Ann"])
        #expect(entry.categories == ["security"])
    }

    @Test func rssNamespacesFillTheFieldsInTheContractsOrder() throws {
        let feed = try parse("""
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
                 xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dcterms="http://purl.org/dc/terms/"><channel>
              <item><title>a</title><guid isPermaLink="true">https://x.example/a</guid>
                <dc:date>2024-01-01T00:00:00Z</dc:date><pubDate>Tue, 02 Jan 2024 00:00:00 GMT</pubDate>
                <dcterms:modified>2024-01-03T00:00:00Z</dcterms:modified>
                <content:encoded><![CDATA[<p>Full text</p>]]></content:encoded>
                <dc:creator>Bob</dc:creator><author>carol@example.com (Carol)</author><dc:subject>kernel</dc:subject></item>
              <item><title>b</title><atom:link rel="alternate" href="https://x.example/b"/><dc:date>2024-01-01</dc:date>
                <description>Short</description><content:encoded>Long</content:encoded></item>
            </channel></rss>
            """)
        let (a, b) = (feed.entries[0], feed.entries[1])
        #expect(a.link == "https://x.example/a")  // a permalink guid is the link
        #expect(a.published.map(Timestamp.rfc3339) == "2024-01-02T00:00:00Z")  // pubDate over dc:date
        #expect(a.updated.map(Timestamp.rfc3339) == "2024-01-03T00:00:00Z")
        #expect(a.summary == "Full text")
        #expect(a.authors == ["Bob", "Carol"])
        #expect(a.categories == ["kernel"])
        #expect(b.id == "https://x.example/b")
        #expect(b.published.map(Timestamp.rfc3339) == "2024-01-01T00:00:00Z")
        #expect(b.summary == "Short")
    }

    @Test func rss10ItemsTakeTheirIdFromRdfAbout() throws {
        let feed = try parse("""
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
              <channel rdf:about="https://x.example/"><title>T</title><link>https://x.example/</link></channel>
              <item rdf:about="https://x.example/item?id=1&amp;from=rss"><title>One</title><link>https://x.example/1</link></item>
            </rdf:RDF>
            """)
        #expect(feed.format == .rss10)
        #expect(feed.title == "T")
        #expect(feed.entries.map(\.id) == ["https://x.example/item?id=1&from=rss"])
        #expect(feed.entries.map(\.link) == ["https://x.example/1"])
    }

    @Test func duplicateIdsAreToldApartInOrder() throws {
        let feed = try parse("<rss><channel>" + String(repeating: "<item><guid>same</guid></item>", count: 3) + "</channel></rss>")
        #expect(feed.entries.map(\.id) == ["same", "same#2", "same#3"])
    }

    @Test(arguments: [
        ("<rss version=\"0.91\"/>", FeedFormat.rss09x), ("<rss version=\"0.92\"/>", .rss09x), ("<rss version=\"0.94\"/>", .rss09x),
        ("<rss version=\"2.0\"/>", .rss20), ("<rss/>", .rss20),
        ("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://my.netscape.com/rdf/simple/0.9/\"/>", .rss09x),
        ("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\"/>", .rss10),
        ("<feed xmlns=\"http://purl.org/atom/ns#\" version=\"0.3\"/>", .atom03),
        ("<feed xmlns=\"http://www.w3.org/2005/Atom\"/>", .atom10),
    ])
    func theFormatComesFromTheRootAndItsNamespace(xml: String, format: FeedFormat) throws {
        #expect(try parse(xml).format == format)
    }

    @Test func theBOMThenTheDeclarationThenTheHTTPCharsetDecide() throws {
        let latin1Title: [UInt8] = Array("<rss><channel><title>caf".utf8) + [0xE9] + Array("</title></channel></rss>".utf8)
        // Undeclared, served as ISO-8859-1.
        #expect(try FeedParser().parse(latin1Title, url: "a", encoding: "ISO-8859-1").title == "café")
        // Declared ISO-8859-1: the declaration wins over a wrong HTTP charset.
        let declared = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>".utf8) + latin1Title
        #expect(try FeedParser().parse(declared, url: "a", encoding: "UTF-8").title == "café")
        // A BOM wins over everything; whitespace before the declaration is tolerated.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("\n  <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><title>caf\u{E9}</title></channel></rss>".utf8)
        #expect(try FeedParser().parse(bom, url: "a", encoding: "KOI8-R").title == "café")
    }

    @Test(arguments: [
        ("<html><body>hi</body></html>", "an HTML page"),
        ("<!DOCTYPE html><html><head><title>x</title></head></html>", "an HTML page"),
        ("{\"items\": []}", "JSON"),
        ("", "an empty document"),
        ("   ", "an empty document"),
        ("<config><a/></config>", "an XML document whose root is <config>"),
    ])
    func aDocumentThatIsNotAFeedSaysWhatItLooksLike(document: String, looksLike: String) throws {
        let error = #expect(throws: ParseError.self) { try parse(document) }
        #expect(error?.description == "parse: https://example.com/feed.xml: not a feed: looks like \(looksLike)")
    }
}

@Suite struct FeedDateTests {
    @Test(arguments: [
        ("Tue, 10 Oct 2023 12:00:00 GMT", 1_696_939_200),
        ("Tue, 10 Oct 2023 12:00:00 +0000", 1_696_939_200),
        ("10 Oct 2023 14:00:00 +0200", 1_696_939_200),
        ("Tue, 10 Oct 2023 08:00:00 EDT", 1_696_939_200),
        ("Mon, 10 Oct 2023 12:00 Z", 1_696_939_200),
        ("Tue, 10 Oct 23 12:00:00 GMT", 1_696_939_200),
        ("  Tue,  10 Oct 2023  12:00:00  GMT ", 1_696_939_200),
        ("2023-10-10T12:00:00Z", 1_696_939_200),
        ("2023-10-10T12:00:00.123Z", 1_696_939_200),
        ("2023-10-10T14:00:00+02:00", 1_696_939_200),
        ("2023-10-10 12:00:00Z", 1_696_939_200),
        ("2023-10-10", 1_696_896_000),
        ("2023-10", 1_696_118_400),
        ("2023", 1_672_531_200),
        // Seen in the corpus and in the wild.
        ("Thu, 15 Nov 2018 00:10:00 GMT", 1_542_240_600),                 // ALAS
        ("Fri, 07 Nov 2025 16:48:24 +0000", 1_762_534_104),               // GHSA-NOTIFY
        ("Wed, 10 Oct 2023 12:00:00 GMT", 1_696_939_200),                 // wrong weekday, ignored
        ("mer, 16 nov 2022 00:38:15 +0100", 1_668_555_495),               // Italian day name
        ("Tue, 10 Oct 2023 05:00:00 PDT", 1_696_939_200),
        ("Tue, 10 Oct 2023 07:00:00 CDT", 1_696_939_200),
        ("Tue, 10 Oct 2023 07:00:00 EST", 1_696_939_200),
        ("Tue, 10 Oct 2023 05:00:00 MST", 1_696_939_200),
        ("Tue, 10 Oct 2023 04:00:00 PST", 1_696_939_200),
        ("Tue, 10 Oct 2023 12:00:00 UT", 1_696_939_200),
        ("Tue, 10 Oct 2023 13:00:00 A", 1_696_939_200),                   // military zone A = +1
        ("Wed, 11 Oct 2023 00:00:00 M", 1_696_939_200),                   // M = +12
        ("Tue, 10 Oct 2023 11:00:00 N", 1_696_939_200),                   // N = -1
        ("Tue, 10 Oct 2023 12:00:00 Z", 1_696_939_200),
        ("Tue, 10 Oct 2023 12:00 GMT", 1_696_939_200),                    // no seconds
        ("10 October 2023 12:00:00 GMT", 1_696_939_200),                  // month in full
        ("Tuesday, 10-Oct-23 12:00:00 GMT", 1_696_939_200),               // RFC 850
        ("10 Oct 99 12:00:00 GMT", 939_556_800),                          // two-digit year before 2000
        ("2017-06-15T10:29:47-07:00", 1_497_547_787),                     // dc:date
        ("2001-01-04T00:00+00:00", 978_566_400),                          // W3C-DTF without seconds
        ("2023-10-10T12:00:00.123456789+00:00", 1_696_939_200),
        ("2023-10-10t12:00:00z", 1_696_939_200),
        ("2023-10-10 14:00:00 +0200", 1_696_939_200),
        ("20231010T120000Z", 1_696_939_200),                              // ISO 8601 basic
        ("2020/1/10 14:33:00", 1_578_666_780),                            // kc0011.net
    ])
    func readableDates(text: String, seconds: Int) {
        #expect(FeedDate.parse(text) == Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    @Test(arguments: ["", "yesterday", "32 Oct 2023 12:00:00 GMT", "2023-13-01", "Tue, 10 Foo 2023",
                      "2023-10-10T25:00:00Z", "10 Oct 2023 12:00:00 +9999", "2023-02-30", "Tue, 10 Oct 2023 12:00:00 XYZ",
                      "Tue, 10 Oct 2023 12:00:00 J", "2023-10-10T12:00:00Z trailing", "now", "0000-00-00 00:00:00",
                      "Tue, 10 Oct 2023 12:61:00 GMT", String(repeating: "2023-10-10 ", count: 20)])
    func unreadableDatesAreNil(text: String) {
        #expect(FeedDate.parse(text) == nil)
    }
}
