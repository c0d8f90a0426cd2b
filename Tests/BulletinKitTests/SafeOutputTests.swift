@testable import BulletinKit
import Digest
import Foundation
import TestSupport
import Testing

/// Every output a person or a reader sees shows feed text as the digest does: `search`
/// (table and JSON), `explain`, `parse`, `tag` and `ack` print no bidirectional overrides or
/// isolates and no control characters from a feed, and show no `javascript:` or `data:` link.
@Suite struct SafeOutputTests {
    let directory: TemporaryDirectory
    let feed: String
    /// Bidirectional formatting characters the feed's titles carry.
    static let bidi: [Unicode.Scalar] = ["\u{202E}", "\u{2066}", "\u{2069}", "\u{200F}", "\u{202C}"]

    init() throws {
        directory = try TemporaryDirectory()
        feed = try directory.write("""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Hostile \u{202E}feed</title><link>https://example.com/</link>
            <item><title>openssl patch \u{202E}exe.txt\u{202C} now</title><link>javascript:alert(1)</link>
              <guid>one</guid><description>openssl \u{2066}update\u{2069}</description></item>
            <item><title>openssl \u{200F}fix</title><link>data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;</link>
              <guid>two</guid></item>
            <item><title>openssl plain</title><link>https://example.com/plain</link><guid>three</guid></item>
            </channel></rss>
            """, to: "hostile.rss")
    }

    private func bulletin(_ arguments: [String]) throws -> ProcessResult {
        try runBulletin(["--config", directory.path("config"), "--db", directory.path("bulletin.sqlite3")] + arguments)
    }

    /// Fetches the hostile feed from a server on 127.0.0.1 into the test's database.
    private func fetched() throws -> FeedServer {
        let server = try FeedServer(routes: ["/hostile.rss": feed])
        try directory.write("""
            <?xml version="1.0"?><opml version="2.0"><body>
            <outline text="hostile" type="rss" xmlUrl="\(server.url("/hostile.rss"))" category="security"/>
            </body></opml>
            """, to: "feeds.opml")
        try directory.write("[[service]]\nname = \"openssl\"\n", to: "config/inventory.toml")
        let fetch = try bulletin(["fetch", "--feeds", directory.path("feeds.opml")])
        #expect(fetch.status == 0, "\(fetch.stderr)")
        return server
    }

    private func expectSafe(_ output: String, _ command: String) {
        let unsafe = output.unicodeScalars.filter { Self.bidi.contains($0) || ($0.value < 0x20 && $0 != "\n") }
        #expect(unsafe.isEmpty, "\(command) printed \(unsafe.map { String($0.value, radix: 16) })")
        #expect(!output.contains("javascript:alert") && !output.contains("data:text"), "\(command): \(output)")
    }

    @Test func theFeedReallyCarriesWhatTheOutputsMustNotShow() throws {
        let text = try String(contentsOfFile: feed, encoding: .utf8)
        #expect(Self.bidi.allSatisfy { text.unicodeScalars.contains($0) })
        #expect(text.contains("javascript:alert(1)"))
    }

    @Test func searchShowsNeitherBidiControlsNorScriptLinks() throws {
        let server = try fetched()
        let table = try bulletin(["search", "openssl"])
        #expect(table.status == 0, "\(table.stderr)")
        expectSafe(table.stdout, "search")
        #expect(table.stdout.contains("openssl patch exe.txt now"))
        #expect(table.stdout.contains("https://example.com/plain"))
        let json = try bulletin(["search", "openssl", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        expectSafe(json.stdout, "search --format json")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let results = try #require(object?["results"] as? [[String: Any]])
        #expect(results.count == 3)
        let links = results.map { $0["link"] as? String }
        #expect(links.filter { $0 == nil }.count == 2 && links.contains("https://example.com/plain"))
        #expect(Set(results.compactMap { $0["title"] as? String })
            == ["openssl patch exe.txt now", "openssl fix", "openssl plain"])
        _ = server
    }

    @Test func explainShowsNeitherBidiControlsNorScriptLinks() throws {
        let server = try fetched()
        let found = try bulletin(["search", "patch", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any]
        let rowID = try #require((object?["results"] as? [[String: Any]])?.first?["rowid"] as? Int)
        let result = try bulletin(["explain", String(rowID)])
        #expect(result.status == 0, "\(result.stderr)")
        expectSafe(result.stdout, "explain")
        #expect(result.stdout.contains("Entry \(rowID): openssl patch exe.txt now"))
        #expect(result.stdout.contains("(a javascript: link, not shown)"))
        _ = server
    }

    @Test func tagAndAckShowTitlesWithoutBidiControls() throws {
        let server = try fetched()
        // A service the titles name, added after the fetch: `tag --dry-run` lists each entry it would tag.
        try directory.write("[[service]]\nname = \"openssl\"\n\n[[service]]\nname = \"patch\"\n",
                            to: "config/inventory.toml")
        let tag = try bulletin(["tag", "--dry-run"])
        #expect(tag.status == 0, "\(tag.stderr)")
        #expect(tag.stdout.contains("\"openssl patch exe.txt now\""), "\(tag.stdout)")
        expectSafe(tag.stdout, "tag --dry-run")
        let found = try bulletin(["search", "patch", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any]
        let rowID = try #require((object?["results"] as? [[String: Any]])?.first?["rowid"] as? Int)
        let ack = try bulletin(["ack", String(rowID)])
        #expect(ack.status == 0, "\(ack.stderr)")
        expectSafe(ack.stdout + ack.stderr, "ack")
        #expect((ack.stdout + ack.stderr).contains("\"openssl patch exe.txt now\""))
        _ = server
    }

    @Test func parseShowsNeitherBidiControlsNorScriptLinks() throws {
        let result = try runBulletin(["parse", feed])
        #expect(result.status == 0, "\(result.stderr)")
        expectSafe(result.stdout, "parse")
        #expect(result.stdout.hasPrefix("Hostile feed [rss2.0"))
        #expect(result.stdout.contains("- openssl patch exe.txt now"))
        #expect(result.stdout.contains("(a javascript: link, not shown)") && result.stdout.contains("(a data: link, not shown)"))
    }

    @Test(arguments: [
        ("a\u{1B}[31mred", "a [31mred"),
        ("tab\there\nline", "tab here line"),
        ("C1 \u{9B}31m", "C1  31m"),
        ("\u{202E}gnp.exe", "gnp.exe"),
        ("plain", "plain"),
    ])
    func aLineLosesControlsAndBidiCharacters(_ text: String, _ shown: String) {
        #expect(ShownText.line(text) == shown)
    }

    @Test(arguments: [
        ("https://example.com/a", "https://example.com/a"),
        ("JavaScript:alert(1)", "(a javascript: link, not shown)"),
        ("data:text/html,x", "(a data: link, not shown)"),
        ("//example.com/x", "(not an http or https link, not shown)"),
        ("https://example.com/\u{202E}x", "(a https: link, not shown)"),
    ])
    func aLinkIsShownOnlyWhenTheDigestWouldShowIt(_ link: String, _ shown: String) {
        #expect(ShownText.link(link) == shown)
    }
}
