import Foundation
import TestSupport
import Testing

/// `--format json` on the commands that print data, each written by the one JSON writer.
@Suite struct JSONFormatTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
        try directory.write("", to: "config/bulletin.toml")
        try directory.write("[[service]]\nname = \"nginx\"\n", to: "config/inventory.toml")
        try directory.write("""
            <opml version="2.0"><body><outline text="Security">
              <outline text="ALAS" xmlUrl="https://alas.example/rss" htmlUrl="https://alas.example/"/></outline>
              <outline text="News" xmlUrl="https://news.example/feed" category="announcements"/></body></opml>
            """, to: "config/feeds/all.opml")
    }

    private func json(_ arguments: [String]) throws -> Any {
        let result = try runBulletin(arguments + ["--format", "json", "--config", directory.path("config"),
                                                  "--db", directory.path("db.sqlite3")])
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: .fragmentsAllowed)
    }

    @Test func feedsList() throws {
        let feeds = try #require(try json(["feeds", "list"]) as? [[String: Any]])
        #expect(feeds.map { $0["title"] as? String } == ["ALAS", "News"])
        #expect(feeds.map { $0["category"] as? String } == ["security", "announcements"])
        #expect(feeds.first?["site"] as? String == "https://alas.example/")
        #expect(feeds.last?["site"] is NSNull)
    }

    @Test func acks() throws {
        #expect((try json(["acks"]) as? [Any])?.isEmpty == true)
        _ = try runBulletin(["ack", "CVE-2024-3094", "--reason", "not used here", "--config", directory.path("config"),
                             "--db", directory.path("db.sqlite3")])
        let acks = try #require(try json(["acks"]) as? [[String: Any]])
        #expect(acks.count == 1)
        #expect(acks[0]["ack"] as? Int == 1 && acks[0]["entry"] is NSNull)
        #expect(acks[0]["advisory"] as? String == "CVE-2024-3094" && acks[0]["until"] is NSNull)
        #expect(acks[0]["reason"] as? String == "not used here")
    }

    @Test func kevStatus() throws {
        #expect(try json(["kev", "status"]) is NSNull)
        _ = try runBulletin(["kev", "update", TestPaths.fixture("kev/catalog-two-cves.json").path,
                             "--config", directory.path("config"), "--db", directory.path("db.sqlite3")])
        let status = try #require(try json(["kev", "status"]) as? [String: Any])
        #expect(status["version"] as? String == "2024.02.20" && status["vulnerabilities"] as? Int == 2)
    }

    @Test func configCheck() throws {
        let check = try #require(try json(["config", "check"]) as? [String: Any])
        #expect(check["from"] as? String == "--config")
        #expect(check["services"] as? Int == 1 && check["feeds"] as? Int == 2)
        #expect((check["settings"] as? [String: Any])?["exists"] as? Bool == true)
        #expect((check["errors"] as? [Any])?.isEmpty == true)
        try directory.write("[[service]]\nname = 3\n", to: "config/inventory.toml")
        let broken = try runBulletin(["config", "check", "--format", "json", "--config", directory.path("config")])
        #expect(broken.status == 2)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(broken.stdout.utf8)) as? [String: Any])
        #expect((report["errors"] as? [String])?.first?.contains("inventory.toml:2:8") == true, "\(broken.stdout)")
    }
}
