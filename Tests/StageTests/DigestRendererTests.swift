import Digest
import Foundation
import Parsing
import TestSupport
import Testing

/// Every format against golden files (the example digest is `docs/examples/`, so the
/// README's examples are the real renderer's output), and hostile feed content in each
/// format checked for what must never get through. `BULLETIN_REGENERATE_GOLDEN=1`
/// rewrites the golden files.
@Suite struct DigestRendererTests {
    static let formats = DigestFormat.allCases

    @Test(arguments: formats)
    func theExampleDigestMatchesDocsExamples(format: DigestFormat) {
        let output = format.renderer().render(DigestFixtures.example)
        let url = TestPaths.packageRoot.appendingPathComponent("docs/examples/digest.\(format.fileExtension)")
        let mismatch = goldenMismatch(output, url)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test(arguments: formats)
    func theHostileDigestMatchesItsGoldenFile(format: DigestFormat) {
        let mismatch = goldenMismatch(format.renderer().render(DigestFixtures.hostile),
                                      TestPaths.golden("hostile.\(format.fileExtension)"))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test(arguments: [("slack", SlackRenderer() as any DigestRenderer), ("teams", TeamsRenderer())])
    func theWebhookPayloadsMatchTheirGoldenFiles(name: String, renderer: any DigestRenderer) {
        for (fixture, digest) in [("example", DigestFixtures.example), ("hostile", DigestFixtures.hostile)] {
            let mismatch = goldenMismatch(renderer.render(digest), TestPaths.golden("\(fixture).\(name).json"))
            #expect(mismatch == nil, "\(mismatch ?? "")")
        }
    }

    @Test func aQuietDayIsAHeartbeatWithFeedHealth() {
        let text = TextRenderer().render(DigestFixtures.quiet)
        #expect(text == """
            Bulletin digest: nothing new for your services.

            Feed health
            ===========
            All 38 feeds fetched fine.

            """)
        let mismatch = goldenMismatch(HTMLRenderer().render(DigestFixtures.quiet), TestPaths.golden("quiet.html"))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func colourIsOnlyThereWhenAsked() {
        #expect(!TextRenderer().render(DigestFixtures.example).contains("\u{1B}["))
        let coloured = TextRenderer(colour: true).render(DigestFixtures.example)
        #expect(coloured.contains("\u{1B}[1mAction needed (2)\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[1;31m[KEV]\u{1B}[0m"))
    }

    // MARK: Hostile content, format by format

    private var hostile: DigestModel { DigestFixtures.hostile }

    @Test func hostileTextHasNoEscapesNoBidiOverridesAndNoHugeLines() {
        let text = TextRenderer().render(hostile)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(!text.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) })
        #expect(text.split(separator: "\n").allSatisfy { $0.count < 400 })
        #expect(!text.contains(DigestFixtures.fiftyKilobytes.prefix(400)))
    }

    @Test func hostileHTMLHasOnlyOurTagsAndOnlyWebLinks() {
        let html = HTMLRenderer().render(hostile)
        let allowed: Set<String> = ["!doctype", "html", "head", "meta", "title", "style", "body", "div", "h1", "h2", "h3",
                                    "p", "span", "a", "strong", "ul", "li", "br"]
        var tags = Set<String>()
        var rest = html[...]
        while let open = rest.firstIndex(of: "<") {
            rest = rest[rest.index(after: open)...]
            let name = rest.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber || $0 == "!" }.lowercased()
            tags.insert(name)
        }
        #expect(tags.isSubset(of: allowed), "unexpected tags: \(tags.subtracting(allowed))")
        let hrefs = html.components(separatedBy: "href=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(hrefs == ["https://example.com/long", "https://example.com/ok?a=1&amp;b=2"])
        #expect(!html.lowercased().contains("javascript:alert(document"))
        #expect(!html.contains("<img") && html.contains("&lt;img src=//tracker.example/p.gif&gt;"))
        #expect(!html.contains("onmouseover=\""))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func hostileMarkdownEscapesEveryMarkupCharacter() {
        let markdown = MarkdownRenderer().render(hostile)
        let scalars = Array(markdown.unicodeScalars)
        for (index, scalar) in scalars.enumerated() where scalar == "<" {
            let escaped = index > 0 && scalars[index - 1] == "\\"
            let linkOpen = index > 1 && scalars[index - 1] == "(" && scalars[index - 2] == "]"
            #expect(escaped || linkOpen, "raw '<' at \(index)")
        }
        #expect(markdown.contains("\\<script\\>alert\\(1\\)\\</script\\>"))
        #expect(!markdown.contains("](<javascript") && !markdown.contains("](javascript"))
        #expect(markdown.contains("[\\<\\!channel\\> \\<@U123\\> \\& friends \\| \\> quote \\`code\\`](<https://example.com/ok?a=1&b=2>)"))
    }

    @Test func hostileJSONIsValidAndCarriesTheTextAsData() throws {
        let data = Data(JSONRenderer().render(hostile).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        let sections = try #require(object["sections"] as? [[String: Any]])
        let items = sections.flatMap { ($0["groups"] as! [[String: Any]]).flatMap { $0["items"] as! [[String: Any]] } }
        #expect(items.count == 5)
        let first = try #require(items.first { ($0["entries"] as? [Int]) == [1] })
        #expect(first["link"] is NSNull)
        #expect((first["title"] as? String)?.hasPrefix("<script>alert(1)</script>") == true)
        #expect(items.allSatisfy { ($0["title"] as! String).count <= 301 })
    }

    @Test func hostileAtomIsWellFormedAtom10() throws {
        let atom = AtomRenderer().render(hostile)
        let scratch = try TemporaryDirectory()
        let file = try scratch.write(atom, to: "digest.atom")
        // An independent XML parser checks well-formedness and the elements RFC 4287 requires.
        let check = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import sys, xml.etree.ElementTree as ET
            A = "{http://www.w3.org/2005/Atom}"
            feed = ET.parse(sys.argv[1]).getroot()
            assert feed.tag == A + "feed", feed.tag
            for name in ("id", "title", "updated", "author"):
                assert feed.find(A + name) is not None, name
            entries = feed.findall(A + "entry")
            for entry in entries:
                for name in ("id", "title", "updated"):
                    assert entry.find(A + name) is not None and entry.find(A + name).text, name
                for link in entry.findall(A + "link"):
                    assert link.get("href").startswith("https://"), link.get("href")
            print(len(entries))
            """, file])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout == "6\n")  // five rows and the feed health entry
        // Our own parser reads it back as Atom 1.0, with no link for the javascript: one.
        let parsed = try FeedParser().parse(Array(atom.utf8), url: "https://example.com/digest.atom")
        #expect(parsed.format == .atom10)
        #expect(parsed.entries.count == 6)
        #expect(parsed.entries.first?.title?.hasPrefix("[CRITICAL] ") == true)
        #expect(parsed.entries.first?.link == nil)
    }

    @Test func hostileSlackPayloadCannotMentionOrLinkOutsideItsOwnLinks() throws {
        let payload = SlackRenderer().render(hostile)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
        let blocks = try #require(object["blocks"] as? [[String: Any]])
        #expect(blocks.count <= 50)
        let texts = blocks.compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
            + blocks.flatMap { ($0["elements"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String } }
        for text in texts {
            for piece in text.components(separatedBy: "<").dropFirst() {
                #expect(piece.hasPrefix("https://"), "a '<' that is not our link: <\(piece.prefix(40))")
            }
        }
        #expect(texts.contains { $0.contains("&lt;!channel&gt; &lt;@U123&gt; &amp; friends") })
    }
}
