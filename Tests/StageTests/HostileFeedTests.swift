import Foundation
import Models
import Parsing
import TestSupport
import Testing

/// Documents written to hurt: each bound of `FeedLimits` and each refusal has its outcome.
@Suite struct HostileFeedTests {
    private func parse(_ xml: String) throws -> ParsedFeed {
        try FeedParser().parse(Array(xml.utf8), url: "https://example.com/feed.xml")
    }

    private func rss(_ items: String, prolog: String = "") -> String {
        prolog + "<rss version=\"2.0\"><channel><title>t</title>\(items)</channel></rss>"
    }

    @Test func anExternalEntityNeverReadsALocalFile() throws {
        let directory = try TemporaryDirectory()
        let secret = directory.path("secret.txt")
        try "TOP-SECRET-CONTENT".write(toFile: secret, atomically: true, encoding: .utf8)
        let feed = try parse(rss("<item><title>a &xxe; b</title><description>&xxe;</description></item>",
                                 prolog: "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file://\(secret)\">]>"))
        let entry = try #require(feed.entries.first)
        // Kept as text, said so: never fetched, never dropped silently.
        #expect(entry.title == "a &xxe; b")
        #expect(entry.summary == "&xxe;")
        #expect(feed.notes.contains { $0.contains("kept 2 references to external entities as text") })
        #expect(!"\(feed)".contains("TOP-SECRET"))
    }

    @Test func aNetworkEntityIsNeverFetched() throws {
        let feed = try parse(rss("<item><title>x&net;</title></item>",
                                 prolog: "<!DOCTYPE rss [<!ENTITY net SYSTEM \"http://127.0.0.1:9/x\">]>"))
        #expect(feed.entries.map(\.title) == ["x&net;"])
    }

    @Test func billionLaughsFinishesAtOnceWithoutExpanding() throws {
        var entities = "<!ENTITY lol \"lol\">"
        for level in 1...10 {
            entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10)
                .replacingOccurrences(of: "&lol0;", with: "&lol;") + "\">"
        }
        let xml = rss("<item><title>laughs &lol10;</title></item><item><title>after</title></item>",
                      prolog: "<?xml version=\"1.0\"?><!DOCTYPE rss [\(entities)]>")
        let start = ContinuousClock.now
        // libxml2 measures the entities as they are declared and refuses the document.
        let error = #expect(throws: ParseError.self) { try parse(xml) }
        #expect(ContinuousClock.now - start < .seconds(2))  // milliseconds in fact; generous for a loaded machine
        #expect(error?.description.hasSuffix("Detected an entity reference loop") == true)
    }

    @Test func deepNestingIsSkippedAndTheEntriesAroundItSurvive() throws {
        let depth = 100_000
        let xml = rss("<item><title>before</title></item><item><title>deep</title><x>"
            + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
            + "</x></item><item><title>after</title></item>")
        let start = ContinuousClock.now
        let feed = try parse(xml)
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(feed.entries.first?.title == "before")
        #expect(feed.entries.map(\.title).contains("deep"))
        // libxml2 gives up on the document below 256 levels: what follows the nest is lost, and said so.
        #expect(feed.notes.contains { $0.contains("deeper than \(FeedLimits.maxDepth)") })
        #expect(feed.notes.contains { $0.contains("libxml2 stopped") })
        #expect(feed.missingEntries?.contains("libxml2 stopped") == true)
    }

    /// A representative "200 MB of text" (a real 200 MB document is refused whole, see
    /// `aDocumentOverTheSizeLimitIsRefused`): 3 MB in one field is cut to
    /// `FeedLimits.maxFieldBytes`, at a character boundary.
    @Test func hugeTextIsCutToTheFieldLimit() throws {
        let text = String(repeating: "CVE-2024-1234 é ", count: 3 * 1024 * 1024 / 17)
        let feed = try parse(rss("<item><title>big</title><description>\(text)</description></item>"
            + "<item><title>after</title></item>"))
        #expect(feed.entries.map(\.title) == ["big", "after"])
        let summary = try #require(feed.entries.first?.summary)
        #expect(summary.utf8.count <= FeedLimits.maxFieldBytes)
        #expect(summary.utf8.count > FeedLimits.maxFieldBytes - 32)
        #expect(feed.entries.first?.advisories == ["CVE-2024-1234"])
        #expect(feed.notes.contains { $0.contains("FeedLimits.maxFieldBytes") })
    }

    /// One text node over libxml2's own limit (10 MB without XML_PARSE_HUGE, which we never
    /// set): the run is cut before libxml2 reads it, so the field is cut at the field limit
    /// as any other, and the entries after it are read.
    @Test func aTextNodeOverLibxml2sLimitIsCutAndTheEntriesAfterItSurvive() throws {
        let text = String(repeating: "x", count: 11 * 1024 * 1024)
        let feed = try parse(rss("<item><title>first</title></item><item><title>big</title><description>\(text)</description></item>"
            + "<item><title>after</title></item>"))
        #expect(feed.entries.map(\.title) == ["first", "big", "after"])
        #expect(feed.entries[1].summary?.utf8.count == FeedLimits.maxFieldBytes)
        #expect(feed.missingEntries == nil)
        #expect(feed.notes.contains { $0.hasPrefix("cut 1 runs of text longer than 3 MB") })
        #expect(feed.notes.contains { $0.contains("FeedLimits.maxFieldBytes") })
        #expect(!feed.notes.contains { $0.contains("libxml2 stopped") })
    }

    @Test func aCDATASectionOverLibxml2sLimitIsCutAndTheEntriesAfterItSurvive() throws {
        let text = String(repeating: "é", count: 6 * 1024 * 1024)
        let feed = try parse(rss("<item><title>big</title><description><![CDATA[\(text)]]></description></item>"
            + "<item><title>after</title></item>"))
        #expect(feed.entries.map(\.title) == ["big", "after"])
        let summary = try #require(feed.entries.first?.summary)
        #expect(summary.utf8.count <= FeedLimits.maxFieldBytes && summary.utf8.count > FeedLimits.maxFieldBytes - 4)
        #expect(summary.allSatisfy { $0 == "é" })
    }

    @Test func aCommentOverLibxml2sLimitIsDroppedAndTheEntriesAfterItSurvive() throws {
        let text = String(repeating: "-x", count: 6 * 1024 * 1024)
        let feed = try parse(rss("<item><title>a</title><!--\(text)--></item><item><title>after</title></item>"))
        #expect(feed.entries.map(\.title) == ["a", "after"])
        #expect(feed.missingEntries == nil)
    }

    @Test func manySmallTextNodesAreCutToTheFieldLimitToo() throws {
        let chunk = "<b>word</b> "
        let body = String(repeating: chunk, count: 2 * FeedLimits.maxFieldBytes / chunk.utf8.count)
        let feed = try parse(#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id>"#
            + #"<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">"# + body + "</div></content></entry></feed>")
        let summary = try #require(feed.entries.first?.summary)
        #expect(summary.utf8.count < FeedLimits.maxFieldBytes)
        #expect(summary.hasPrefix("word word"))
    }

    @Test func aDocumentOverTheSizeLimitIsRefused() throws {
        let bytes = [UInt8](repeating: 0x20, count: FeedLimits.maxDocumentBytes + 1)
        let error = #expect(throws: ParseError.self) { try FeedParser().parse(bytes, url: "big.xml") }
        #expect(error?.description == "parse: big.xml: the document is 64.0 MB, more than the 64.0 MB a feed may be")
    }

    @Test func entriesPastTheLimitAreLeftOutWithANote() throws {
        let items = String(repeating: "<item/>", count: FeedLimits.maxEntries + 10)
        let feed = try parse(rss(items))
        #expect(feed.entries.count == FeedLimits.maxEntries)
        #expect(feed.notes.contains { $0.contains("FeedLimits.maxEntries") })
        #expect(feed.missingEntries?.contains("FeedLimits.maxEntries") == true)
    }

    /// A feed cut off at every tenth of its length: never a crash; what was read before the
    /// cut is kept, with its text intact.
    @Test(arguments: 1...9)
    func aTruncatedFeedKeepsTheEntriesBeforeTheCut(tenths: Int) throws {
        try Self.truncatedKeepsTheEntriesBeforeTheCut(TestPaths.fixture("feeds/rss2-distribution-advisories-cve-lists.rss"),
                                                      tenths: tenths)
    }

    /// Checked on our fixture here and on a real feed of 97 entries in `ParsingCorpusTests`.
    static func truncatedKeepsTheEntriesBeforeTheCut(_ url: URL, tenths: Int) throws {
        let data = try Data(contentsOf: url)
        let whole = try FeedParser().parse([UInt8](data), url: "alas.rss")
        let cut = [UInt8](data.prefix(data.count * tenths / 10))
        let feed = try FeedParser().parse(cut, url: "alas.rss")
        #expect(feed.entries.count >= whole.entries.count * (tenths - 1) / 10)
        #expect(feed.entries.count <= whole.entries.count)
        // Every entry but the one the cut went through is exactly as in the whole feed.
        for (part, full) in zip(feed.entries.dropLast(), whole.entries) {
            #expect(part == full)
        }
        #expect(!feed.notes.isEmpty)
    }

    @Test func aDocumentCutBeforeItsRootIsNotAFeed() throws {
        let cut = #expect(throws: ParseError.self) { try parse("<?xml version=\"1.0\"?>\n<rs") }
        #expect(cut?.description == "parse: https://example.com/feed.xml: not a feed: looks like XML without a root element (truncated?)")
        let empty = #expect(throws: ParseError.self) { try parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") }
        #expect(empty?.description == "parse: https://example.com/feed.xml: not a feed: looks like XML without a root element (truncated?)")
    }

    @Test func controlCharactersAndBareAmpersandsAreRepaired() throws {
        let feed = try parse(rss("<item><title>AT&T \u{1}router\u{8} flaw</title><link>https://a.example/?a=1&b=2</link></item>"
            + "<item><title>caf&eacute; &bogus; &nbsp;next</title></item>"))
        #expect(feed.entries.map(\.title) == ["AT&T router flaw", "café &bogus; next"])
        #expect(feed.entries.first?.link == "https://a.example/?a=1&b=2")
        #expect(feed.notes.contains("repaired 2 bare '&' (as '&amp;')"))
        #expect(feed.notes.contains("removed 2 control characters XML forbids"))
        #expect(feed.notes.contains { $0.hasPrefix("read 2 HTML entities") })
        #expect(feed.notes.contains { $0.hasPrefix("kept 1 unknown entities as text") })
    }

    @Test func bytesThatAreNotUTF8AreReadAsWindows1252() throws {
        var body = Array(rss("<item><title>caf\u{E9} ok</title></item><item><title>d\u{2019}accord</title></item>").utf8)
        // Replace the UTF-8 é (C3 A9) by a lone ISO-8859-1 byte: the rest stays UTF-8.
        let index = try #require(body.firstIndex(of: 0xC3))
        body.replaceSubrange(index...index + 1, with: [0xE9])
        let declared = try FeedParser().parse(Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>".utf8) + body, url: "mixed.xml")
        #expect(declared.entries.map(\.title) == ["café ok", "d’accord"])
        #expect(declared.notes.contains("read 1 bytes that are not UTF-8 as windows-1252"))
        // Undeclared, the bytes are not UTF-8 at all: read as windows-1252, and the UTF-8
        // that windows-1252 then garbles ("dâ€™accord") is mended as text.
        let undeclared = try FeedParser().parse(body, url: "mixed.xml")
        #expect(undeclared.entries.map(\.title) == ["café ok", "d’accord"])
        #expect(undeclared.notes == ["declares no encoding and is not UTF-8: read as windows-1252"])
    }
}
