import Foundation
import Models
import Parsing
import TestSupport
import Testing

@Suite struct FeedParserTests {
    private func parse(_ xml: String, url: String = "https://example.com/feed.xml") throws -> ParsedFeed {
        try FeedParser().parse(Array(xml.utf8), url: url)
    }

    private func parseCorpus(_ name: String) throws -> ParsedFeed {
        let data = try Data(contentsOf: TestPaths.corpusFile(name))
        return try FeedParser().parse([UInt8](data), url: "https://example.com/\(name)")
    }

    @Test func rss20EntriesHaveTitleLinkIdAndDate() throws {
        let feed = try parseCorpus("aws-alas-amazon-linux-2-security-bulletins-1item.rss.xml")
        #expect(feed.format == .rss20)
        #expect(feed.title == "Amazon Linux AMI Security Bulletins")
        let entry = try #require(feed.entries.first)
        #expect(feed.entries.count == 1)
        #expect(entry.title == "ALAS-2018-939 (critical): kernel")
        #expect(entry.link == "https://alas.aws.amazon.com/AL2/ALAS-2018-939.html")
        #expect(entry.id == "https://alas.aws.amazon.com/AL2/ALAS-2018-939.html")
        #expect(entry.published == Date(timeIntervalSince1970: 1_515_704_700))  // 2018-01-11T21:05:00Z
        #expect(entry.advisories == ["ALAS-2018-939", "CVE-2017-5715", "CVE-2017-5754"])
    }

    @Test func atom10EntriesHaveTitleLinkIdAndDate() throws {
        let feed = try parseCorpus("ghsa-npm-advisories.atom.xml")
        #expect(feed.format == .atom10)
        #expect(feed.entries.count == 20)
        let entry = try #require(feed.entries.first)
        #expect(entry.title?.hasPrefix("[@google/clasp] @google/clasp vulnerable") == true)
        #expect(entry.link == "https://github.com/advisories/GHSA-hqjg-pww4-pcgq")
        #expect(entry.advisories.first == "GHSA-hqjg-pww4-pcgq")
        #expect(entry.date != nil)
        // The feed repeats an id; each entry is kept under its own id.
        #expect(Set(feed.entries.map(\.id)).count == feed.entries.count)
    }

    @Test func everyCorpusRSSAndAtomFeedParsesWithIdsAndNoEmptyStrings() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestPaths.corpus.path)
            .filter { $0.hasSuffix(".rss.xml") || $0.hasSuffix(".atom.xml") }
        #expect(files.count > 80)
        var withEntries = 0
        for file in files {
            let feed = try parseCorpus(file)
            if !feed.entries.isEmpty { withEntries += 1 }
            for entry in feed.entries {
                #expect(!entry.id.isEmpty, "\(file)")
                #expect(entry.title != "" && entry.summary != "" && entry.link != "", "\(file)")
            }
        }
        #expect(withEntries > files.count * 9 / 10)
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
    ])
    func readableDates(text: String, seconds: Int) {
        #expect(FeedDate.parse(text) == Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    @Test(arguments: ["", "yesterday", "32 Oct 2023 12:00:00 GMT", "2023-13-01", "Tue, 10 Foo 2023",
                      "2023-10-10T25:00:00Z", "10 Oct 2023 12:00:00 +9999", "2023-02-30"])
    func unreadableDatesAreNil(text: String) {
        #expect(FeedDate.parse(text) == nil)
    }
}
