import Foundation
import TestSupport
import Testing

/// A feed whose reading stopped before its end is stored with the entries read, and
/// `fetch` says so: a warning and exit 3, never "0 failed" and exit 0.
@Suite struct FetchIncompleteFeedTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    private func bulletin(_ arguments: [String]) throws -> ProcessResult {
        try runBulletin(arguments + ["--config", directory.path("config"), "--db", directory.path("bulletin.sqlite3"),
                                     "--feeds", directory.path("feeds.opml")])
    }

    /// Serves a feed libxml2 gives up on halfway, and a clean one.
    private func serve() throws -> FeedServer {
        // libxml2 gives up below 256 nested elements: the entry after the nest is lost.
        let nest = String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)
        try directory.write("<rss version=\"2.0\"><channel><title>cut</title><item><guid>1</guid><title>Kept</title></item>"
            + "<item><guid>2</guid><title>Nest</title><x>\(nest)</x></item><item><guid>3</guid><title>Lost</title></item>"
            + "</channel></rss>", to: "cut.xml")
        try directory.write("<rss version=\"2.0\"><channel><item><guid>1</guid><title>Fine</title></item></channel></rss>",
                            to: "fine.xml")
        let server = try FeedServer(routes: ["/cut": directory.path("cut.xml"), "/fine": directory.path("fine.xml")])
        try directory.write("", to: "config/bulletin.toml")
        try directory.write("<opml version=\"2.0\"><body><outline text=\"Cut\" xmlUrl=\"\(server.url("/cut"))\"/>"
            + "<outline text=\"Fine\" xmlUrl=\"\(server.url("/fine"))\"/></body></opml>", to: "feeds.opml")
        return server
    }

    @Test func aFeedWithEntriesMissingIsAWarningAndExit3() throws {
        let server = try serve()

        let result = try bulletin(["fetch", "--format", "json"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("warning: parse: \(server.url("/cut")): some entries may be missing: libxml2 stopped"))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((summary["failed"] as? [Any])?.isEmpty == true)
        let incomplete = try #require(summary["incomplete"] as? [[String: Any]])
        #expect(incomplete.map { $0["feed"] as? String } == ["Cut"])
        #expect(summary["changed"] as? Int == 2)
        #expect(summary["new_entries"] as? Int == 3)  // Kept and Nest, and Fine
    }

    @Test func theTextSummaryCountsTheIncompleteFeed() throws {
        let server = try serve()
        let result = try bulletin(["fetch"])
        #expect(result.status == 3)
        #expect(result.stdout.hasPrefix("2 feeds: 2 changed, 0 unchanged, 0 failed, 1 incomplete;"))
        #expect(result.stderr.contains("(feed 'Cut': its other entries were stored)"))
        _ = server
    }

    @Test func reparsingTheStoredDocumentWarnsAgain() throws {
        let server = try serve()
        #expect(try bulletin(["fetch"]).status == 3)
        let result = try bulletin(["fetch", "--reparse", "--format", "json"])
        #expect(result.status == 3)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((summary["incomplete"] as? [[String: Any]])?.map { $0["feed"] as? String } == ["Cut"])
        #expect(summary["new_entries"] as? Int == 0)
        _ = server
    }

    @Test func aRunSaysSoInItsSummaryToo() throws {
        let server = try serve()
        let result = try bulletin(["run", "--format", "json"])
        #expect(result.status == 3, "\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((summary["incomplete"] as? [[String: Any]])?.map { $0["feed"] as? String } == ["Cut"])
        #expect((summary["failed"] as? [Any])?.isEmpty == true)
        #expect(summary["exit_code"] as? Int == 3)
        _ = server
    }
}
