import Foundation
import Models
import Parsing
import Testing

/// The faults a feed reader's conformance tests found, each with a small document of ours
/// named for the case.
@Suite struct ParserConformanceTests {
    private func parse(_ xml: String) throws -> ParsedFeed {
        try FeedParser().parse(Array(xml.utf8), url: "https://example.com/feed.xml")
    }

    private static let dc = #"xmlns:dc="http://purl.org/dc/elements/1.1/""#

    @Test func aChannelDCTitleIsTheFeedsTitle() throws {
        let feed = try parse(#"<rss version="2.0" \#(Self.dc)><channel><dc:title>Example &amp; Co</dc:title>"#
            + "<item><title>i</title></item></channel></rss>")
        #expect(feed.title == "Example & Co")
    }

    @Test func aChannelTitleWinsOverItsDCTitle() throws {
        let feed = try parse(#"<rss version="2.0" \#(Self.dc)><channel><dc:title>Second</dc:title>"#
            + "<title>First</title></channel></rss>")
        #expect(feed.title == "First")
    }

    @Test func anEntityOfTheInternalSubsetIsExpanded() throws {
        let feed = try parse(#"<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY co "Example Co"><!ENTITY base "tag:example.com,2006-05-04:">]>"#
            + #"<rss version="2.0"><channel><title>&co; news</title><item><title>&co; news</title>"#
            + "<guid isPermaLink=\"false\">&base;/blog/</guid></item></channel></rss>")
        #expect(feed.title == "Example Co news")
        #expect(feed.entries.first?.title == "Example Co news")
        #expect(feed.entries.first?.id == "tag:example.com,2006-05-04:/blog/")
        #expect(feed.notes.contains { $0.hasPrefix("expanded 3 references to entities the document declares (&base; &co;)") })
    }

    @Test func anEntityInAnAttributeIsExpandedAndItsMarkupStaysText() throws {
        let feed = try parse(#"<!DOCTYPE feed [<!ENTITY site "https://example.com"><!ENTITY tag "<b>&amp;&quot;</b>">]>"#
            + #"<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><link href="&site;/a"/>"#
            + #"<title type="text">&tag;</title></entry></feed>"#)
        #expect(feed.entries.first?.link == "https://example.com/a")
        #expect(feed.entries.first?.title == "<b>&\"</b>")
    }

    @Test func nestedEntitiesAreExpanded() throws {
        var entities = "<!ENTITY e0 \"ha\">"
        for level in 1...7 { entities += "<!ENTITY e\(level) \"&e\(level - 1);&e\(level - 1);\">" }
        let feed = try parse("<!DOCTYPE rss [\(entities)]><rss version=\"2.0\"><channel><item><title>&e2;</title>"
            + "<description>&e7;</description></item><item><title>after</title></item></channel></rss>")
        #expect(feed.entries.map(\.title) == ["hahahaha", "after"])
        #expect(feed.entries.first?.summary == String(repeating: "ha", count: 128))
    }

    /// Past the bound an entity is left to libxml2, which refuses the bomb (see
    /// `HostileFeedTests.billionLaughsFinishesAtOnceWithoutExpanding`), and a loop is no hang.
    @Test func anEntityPastTheBoundOrInALoopIsNotExpanded() throws {
        let start = ContinuousClock.now
        let loop = "<!DOCTYPE rss [<!ENTITY a \"x&b;\"><!ENTITY b \"y&a;\">]><rss version=\"2.0\"><channel>"
            + "<item><title>t &a;</title></item></channel></rss>"
        let outcome = Result { try parse(loop) }
        #expect(ContinuousClock.now - start < .seconds(5))
        if case .success(let feed) = outcome {
            #expect(feed.entries.first?.title?.hasPrefix("t") == true)
            #expect(feed.notes.contains { $0.hasPrefix("did not expand 1 references") })
        }
    }

    @Test func anAtomLinksTextDoesNotWinOverTheAlternateLink() throws {
        let feed = try parse(#"<feed xmlns="http://www.w3.org/2005/Atom"><link>https://example.com/text</link>"#
            + #"<link rel="alternate" href="https://example.com/"/><entry><id>1</id>"#
            + #"<link>https://example.com/wrong</link><link rel="alternate" href="https://example.com/right"/></entry></feed>"#)
        #expect(feed.link == "https://example.com/")
        #expect(feed.entries.first?.link == "https://example.com/right")
    }

    @Test func anAtomLinksTextIsTheLinkWhenNothingElseIs() throws {
        let feed = try parse(#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id>"#
            + "<link>https://example.com/only</link></entry></feed>")
        #expect(feed.entries.first?.link == "https://example.com/only")
    }

    @Test func anAtom03Base64TitleAndContentAreDecoded() throws {
        let title = Data("Tom & <Jerry>".utf8).base64EncodedString()
        let content = Data("<p>Hello <b>world</b></p>".utf8).base64EncodedString()
        let feed = try parse(#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title mode="base64">"#
            + title + #"</title><entry><id>1</id><title type="text/plain" mode="base64">"# + title + "</title>"
            + #"<content type="text/html" mode="base64">"# + content + "</content></entry></feed>")
        #expect(feed.format == .atom03)
        #expect(feed.title == "Tom & <Jerry>")
        #expect(feed.entries.first?.title == "Tom & <Jerry>")
        #expect(feed.entries.first?.summary == "Hello world")
    }

    @Test func base64ThatIsNotBase64IsKeptAndNoted() throws {
        let feed = try parse(#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><id>1</id>"#
            + #"<title mode="base64">not base64 at all!</title></entry></feed>"#)
        #expect(feed.entries.first?.title == "not base64 at all!")
        #expect(feed.notes.contains { $0.contains("mode=\"base64\" fields that are not base64") })
    }

    @Test(arguments: ["", "bogus", " TEXT/X-UNKNOWN-THING "])
    func aTitleOfAnEmptyOrUnknownTypeIsReadAsTextAndNoted(type: String) throws {
        let feed = try parse(#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id>"#
            + #"<title type="\#(type)">Kept &lt;title&gt;</title></entry></feed>"#)
        #expect(feed.entries.first?.title == "Kept <title>")
        if !type.lowercased().contains("text/") {
            #expect(feed.notes.contains { $0.hasPrefix("read 1 text fields of an empty or unknown type as text") })
        }
    }

    @Test func mediaContentIsSkippedWithANote() throws {
        let feed = try parse(#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><title>t</title>"#
            + #"<content type="image/png">iVBORw0KGgo=</content></entry></feed>"#)
        #expect(feed.entries.first?.summary == nil)
        #expect(feed.notes.contains { $0.hasPrefix("skipped 1 fields holding media") })
    }
}

/// Broken, hostile and oversized DOCTYPEs for the entity expansion: never a crash or a hang,
/// never a local file, and the entries around them kept.
@Suite struct DeclaredEntityHostileTests {
    private func parse(_ doctype: String, title: String = "t &a; end") throws -> ParsedFeed {
        try FeedParser().parse(Array(("<?xml version=\"1.0\"?><!DOCTYPE rss [\(doctype)]><rss version=\"2.0\"><channel>"
            + "<item><title>\(title)</title></item><item><title>after</title></item></channel></rss>").utf8),
            url: "dtd.xml")
    }

    @Test(arguments: [
        "<!ENTITY a \"unterminated",
        "<!ENTITY a 'single quoted'>",
        "<!ENTITY a \"first\"><!ENTITY a \"second\">",
        "<!ENTITY % p \"param\"><!ENTITY a \"%p;\">",
        "<!ENTITY a \"&a;\">",
        "<!ENTITY a \"&undefined;\">",
        "<!ENTITY a \"&#0;&#xD800;\">",
        "<!ENTITY a \"<b>bold</b> & more\">",
        "<!ENTITY a SYSTEM \"/etc/passwd\">",
        "<!ENTITY a PUBLIC \"-//X//EN\" \"http://127.0.0.1:9/x\">",
        "<!ENTITY",
        "<!ENTITY >",
        "<!ENTITY a",
        String(repeating: "<!ENTITY e \"x\">", count: 10_000) + "<!ENTITY a \"ok\">",
        "<!ENTITY a \"" + String(repeating: "x", count: 2_000_000) + "\">",
    ])
    func aBrokenOrHostileDeclarationGivesAFeedOrAnErrorNeverACrash(doctype: String) throws {
        let start = ContinuousClock.now
        do {
            let feed = try parse(doctype)
            #expect(feed.entries.last?.title == "after")
            #expect(!"\(feed)".contains("root:"))
        } catch let error as ParseError {
            #expect(!error.description.contains("\n"))
        }
        #expect(ContinuousClock.now - start < .seconds(20))  // no hang; generous for a loaded machine
    }

    @Test func theFirstDeclarationBinds() throws {
        let feed = try parse("<!ENTITY a \"first\"><!ENTITY a \"second\">")
        #expect(feed.entries.first?.title == "t first end")
    }

    @Test func aValueOverTheBoundIsNotExpandedAndSaidSo() throws {
        let feed = try parse("<!ENTITY a \"" + String(repeating: "x", count: 2_000_000) + "\">")
        #expect(feed.entries.last?.title == "after")
        #expect(feed.notes.contains { $0.hasPrefix("did not expand 1 references to entities past 1024 KB") })
    }
}
