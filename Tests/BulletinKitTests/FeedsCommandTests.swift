import Digest
import Foundation
import TestSupport
import Testing

/// `bulletin feeds add|remove|import|export` on real catalog files.
@Suite struct FeedsCommandTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
        try directory.write("", to: "config/bulletin.toml")
        try directory.write("""
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0">
              <head><title>ours</title></head>
              <body>
                <!-- keep this comment -->
                <outline text="Node" xmlUrl="https://nodejs.org/en/feed/vulnerability.xml" category="security"/>
              </body>
            </opml>

            """, to: "config/feeds/a.opml")
        try directory.write("""
            <opml version="2.0"><body><outline text="AWS" xmlUrl="https://aws.amazon.com/new/feed/" category="announcements"/></body></opml>
            """, to: "config/feeds/b.opml")
    }

    private func bulletin(_ arguments: [String]) throws -> ProcessResult {
        try runBulletin(arguments + ["--config", directory.path("config")])
    }

    private func list() throws -> String { try bulletin(["feeds", "list"]).stdout }

    /// A feed titled in Japanese takes two columns a character: the table stays aligned.
    @Test func feedsCheckAlignsWideTitles() throws {
        try directory.write("""
            <opml version="2.0"><body>
              <outline text="JVN セキュリティ情報" xmlUrl="https://jvn.example/rss" category="security"/>
              <outline text="AWS" xmlUrl="https://aws.amazon.com/new/feed/" category="announcements"/>
            </body></opml>
            """, to: "config/feeds/b.opml")
        let result = try bulletin(["feeds", "check", "--db", directory.path("db.sqlite3")])
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let status = lines.compactMap { line in line.range(of: "never fetched").map { line[..<$0.lowerBound] } }
        #expect(status.count == 3, "\(result.stdout)")
        #expect(Set(status.map { DisplayText.columns($0) }).count == 1, "the STATUS column starts at one place:\n\(result.stdout)")
    }

    @Test func addWritesTheFirstCatalogKeepingItsCommentsAndRefusesDuplicates() throws {
        let added = try bulletin(["feeds", "add", "https://example.com/rss?x=1&y=2", "--title", "Example & co",
                                  "--category", "announcements", "--no-check"])
        #expect(added.status == 0)
        #expect(added.stderr == "added 'Example & co' to \(directory.path("config"))/feeds/a.opml\n")
        let file = try String(contentsOfFile: directory.path("config/feeds/a.opml"), encoding: .utf8)
        #expect(file.contains("<!-- keep this comment -->"))
        #expect(file.contains("""
                <outline text="Example &amp; co" title="Example &amp; co" type="rss" \
            xmlUrl="https://example.com/rss?x=1&amp;y=2" category="announcements"/>
              </body>
            """))
        #expect(try list().contains("Example & co"))
        for duplicate in ["HTTPS://EXAMPLE.com:443/rss?x=1&y=2", "https://aws.amazon.com/new/feed/#x"] {
            let again = try bulletin(["feeds", "add", duplicate])
            #expect(again.status == 2)
            #expect(again.stderr.contains("is already in the catalog as '"))
        }
        let notWeb = try bulletin(["feeds", "add", "file:///etc/passwd"])
        #expect(notWeb.status == 2)
        #expect(notWeb.stderr == "Error: feeds add: file:///etc/passwd: only http and https URLs can be fetched\n")
    }

    @Test func addFetchesTheURLFirstAndRefusesOneThatIsNotAFeed() throws {
        let server = try FeedServer(routes: [
            "/feed.rss": TestPaths.fixture("feeds/rss2-distribution-advisories-cve-lists.rss").path,
            "/missing": "status:404", "/page": "bytes:<html><body>hello</body></html>",
        ])
        let before = try String(contentsOfFile: directory.path("config/feeds/a.opml"), encoding: .utf8)
        for (path, reason) in [("/missing", "fetch: \(server.url("/missing")): HTTP 404"),
                               ("/page", "parse: \(server.url("/page")): not a feed: looks like an HTML page")] {
            let refused = try bulletin(["feeds", "add", server.url(path)])
            #expect(refused.status == 1)
            #expect(refused.stderr == "Error: feeds add: not added: \(reason) (--no-check adds it anyway)\n")
        }
        #expect(try String(contentsOfFile: directory.path("config/feeds/a.opml"), encoding: .utf8) == before)
        let added = try bulletin(["feeds", "add", server.url("/feed.rss"), "--title", "ALAS"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stderr == "added 'ALAS' to \(directory.path("config"))/feeds/a.opml (11 entries)\n")
        let unchecked = try bulletin(["feeds", "add", server.url("/missing"), "--no-check"])
        #expect(unchecked.status == 0)
        #expect(try list().contains(server.url("/missing")))
    }

    /// Without --title a checked feed is named by its own title, as one clean line: never
    /// controls, bidirectional overrides or a line break from the document, at most 120
    /// characters; the URL names it when the title is empty or another feed has it.
    @Test func addNamesAFeedByItsOwnTitleCleaned() throws {
        func feed(_ title: String) -> String {
            "bytes:<rss version=\"2.0\"><channel><title>\(title)</title><item><title>x</title><guid>1</guid></item></channel></rss>"
        }
        let long = String(repeating: "Très long ", count: 30)
        let server = try FeedServer(routes: [
            "/own.rss": TestPaths.fixture("feeds/rss2-distribution-advisories-cve-lists.rss").path,
            "/hostile.rss": feed("Evil&#x202E;lanruoj\n&#x1B;[31mred&#x7;  news"),
            "/long.rss": feed(long), "/empty.rss": feed("  "), "/node.rss": feed("Node"),
        ])
        let added = try bulletin(["feeds", "add", server.url("/own.rss")])
        #expect(added.stderr == "added 'Amazon Linux AMI Security Bulletins' to \(directory.path("config"))/feeds/a.opml (11 entries)\n")
        _ = try bulletin(["feeds", "add", server.url("/hostile.rss")])
        _ = try bulletin(["feeds", "add", server.url("/long.rss")])
        _ = try bulletin(["feeds", "add", server.url("/empty.rss")])
        _ = try bulletin(["feeds", "add", server.url("/node.rss")])
        let titles = try bulletin(["feeds", "list", "--format", "json"]).stdout
        let feeds = try #require(try JSONSerialization.jsonObject(with: Data(titles.utf8)) as? [[String: Any]])
        let byURL = Dictionary(uniqueKeysWithValues: feeds.compactMap { feed in
            (feed["url"] as? String).map { ($0, feed["title"] as? String ?? "") }
        })
        #expect(byURL[server.url("/own.rss")] == "Amazon Linux AMI Security Bulletins")
        #expect(byURL[server.url("/hostile.rss")] == "Evillanruoj [31mred news", "\(titles)")
        let cut = try #require(byURL[server.url("/long.rss")])
        #expect(cut.count == 120 && cut.hasPrefix("Très long Très") && cut.hasSuffix("…"), "\(cut)")
        #expect(byURL[server.url("/empty.rss")] == server.url("/empty.rss"))
        #expect(byURL[server.url("/node.rss")] == server.url("/node.rss"), "'Node' names a feed of the catalog already")
    }

    @Test func removeEditsTheFileThatListsTheFeed() throws {
        let removed = try bulletin(["feeds", "remove", "aws"])
        #expect(removed.status == 0)
        #expect(!(try list()).contains("AWS"))
        #expect(try list().contains("Node"))
        let unknown = try bulletin(["feeds", "remove", "nope"])
        #expect(unknown.status == 2)
    }

    @Test func anExportImportsBackIntoAnEmptyCatalogAsTheSameFeeds() throws {
        let export = try bulletin(["feeds", "export"])
        #expect(export.status == 0)
        try directory.write(export.stdout, to: "export.opml")
        let fresh = directory.path("fresh.opml")
        let imported = try bulletin(["feeds", "import", directory.path("export.opml"), "--feeds", fresh])
        #expect(imported.status == 0)
        #expect(imported.stderr == "imported 2 feeds into \(fresh); 0 already in the catalog\n")
        #expect(try bulletin(["feeds", "list", "--feeds", fresh]).stdout == (try list()))
        #expect(try bulletin(["feeds", "export", "--feeds", fresh]).stdout == export.stdout)
    }

    @Test func importMergesWithoutDuplicatesAndSkipsWhatCannotBeFetched() throws {
        try directory.write("""
            <opml version="2.0"><body>
              <outline text="group"><outline text="Node again" xmlUrl="HTTPS://NodeJS.org:443/en/feed/vulnerability.xml"/></outline>
              <outline text="New one" xmlUrl="https://example.net/atom"/>
              <outline text="New one twice" xmlUrl="https://EXAMPLE.net/atom#frag"/>
              <outline text="Local file" xmlUrl="file:///etc/passwd"/>
            </body></opml>
            """, to: "theirs.opml")
        let result = try bulletin(["feeds", "import", directory.path("theirs.opml")])
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: feeds import: \(directory.path("theirs.opml")): skipped 'Local file': not an http(s) URL\n"))
        #expect(result.stderr.hasSuffix("imported 1 feeds into \(directory.path("config"))/feeds/a.opml; 2 already in the catalog\n"))
        let feeds = try list()
        #expect(feeds.contains("New one"))
        #expect(!feeds.contains("Node again") && !feeds.contains("Local file"))
        let broken = try bulletin(["feeds", "import", directory.path("config/bulletin.toml")])
        #expect(broken.status == 2)
    }
}
