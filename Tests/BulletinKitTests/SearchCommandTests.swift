import Foundation
import TestSupport
import Testing

/// `bulletin search` and `bulletin prune` end to end: the real binary over a database that
/// `bulletin fetch` filled from real feeds served on 127.0.0.1.
@Suite struct SearchCommandTests {
    let directory: TemporaryDirectory
    let server: FeedServer

    init() throws {
        directory = try TemporaryDirectory()
        server = try FeedServer(routes: [
            "/alas.rss": TestPaths.fixture("feeds/rss2-distribution-advisories-cve-lists.rss").path,
            "/nodejs.rss": TestPaths.fixture("feeds/rss2-critical-release-cdata-html.rss").path,
            "/npm.atom": TestPaths.fixture("feeds/atom-package-advisories-repeated-ids.atom").path,
        ])
        try directory.write("""
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0"><head><title>test</title></head><body>
              <outline text="Amazon Linux ALAS" type="rss" xmlUrl="\(server.url("/alas.rss"))" category="security"/>
              <outline text="Node.js vulnerabilities" type="rss" xmlUrl="\(server.url("/nodejs.rss"))" category="security"/>
              <outline text="npm advisories" type="rss" xmlUrl="\(server.url("/npm.atom"))" category="announcements"/>
            </body></opml>
            """, to: "feeds.opml")
        try directory.write("[[service]]\nname = \"openssl\"\n\n[[service]]\nname = \"Node.js\"\n",
                            to: "config/inventory.toml")
        let fetch = try bulletin(["fetch"])
        #expect(fetch.status == 0, "\(fetch.stderr)")
    }

    private func bulletin(_ arguments: [String]) throws -> ProcessResult {
        try runBulletin(["--config", directory.path("config"), "--db", directory.path("bulletin.sqlite3"),
                         "--feeds", directory.path("feeds.opml")] + arguments)
    }

    private func json(_ result: ProcessResult) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return try #require(object?["results"] as? [[String: Any]])
    }

    @Test func aTableListsDateFeedTitleServicesAdvisoriesAndLink() throws {
        let result = try bulletin(["search", "openssl", "--limit", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0] == "#       DATE        FEED                  TITLE                                               "
            + "SERVICES        ADVISORIES                        LINK")
        // The first column is the entry number `explain` and `ack` take.
        let number = try #require(Int(lines[1].prefix(6).trimmingCharacters(in: .whitespaces)))
        #expect(lines[1].dropFirst(8).hasPrefix("2018-11-08  Amazon Linux ALAS     ALAS-2018-1102 (medium): openssl"))
        let explained = try bulletin(["explain", String(number)])
        #expect(explained.status == 0)
        #expect(explained.stdout.contains("ALAS-2018-1102 (medium): openssl"))
        #expect(lines[1].contains("  openssl         ALAS-2018-1102 CVE-2018-0495 +3   https://alas.aws.amazon.com/"))
        #expect(!result.stdout.contains("\u{1b}"), "no colour when not on a terminal")
    }

    @Test func jsonFollowsTheDocumentedContract() throws {
        let result = try bulletin(["search", "service:openssl", "--format", "json", "--limit", "1"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["query"] as? String == "service:openssl")
        let first = try #require(try json(result).first)
        #expect(Set(first.keys) == ["rowid", "id", "feed", "category", "date", "title", "link", "services",
                                    "mentions", "advisories", "revised", "also_reported_by"])
        #expect(first["feed"] as? String == "Amazon Linux ALAS")
        #expect(first["date"] as? String == "2018-11-08T23:41:00Z")
        #expect(first["services"] as? [String] == ["openssl"])
        #expect(first["revised"] as? Bool == false)
    }

    @Test func optionsFilterLikeFields() throws {
        let byField = try bulletin(["search", "service:node.js", "category:security", "--format", "json"])
        let byOption = try bulletin(["search", "--service", "Node.js", "--feed", "node", "--format", "json"])
        #expect(byField.status == 0 && byOption.status == 0)
        let ids = try json(byField).compactMap { $0["rowid"] as? Int }
        #expect(!ids.isEmpty)
        #expect(ids == (try json(byOption).compactMap { $0["rowid"] as? Int }))
    }

    @Test func aDashWordIsAnExclusionNotAnOption() throws {
        let all = try json(bulletin(["search", "kernel", "--format", "json", "--limit", "100"]))
        let some = try json(bulletin(["search", "kernel", "-important", "--format", "json", "--limit", "100"]))
        #expect(!some.isEmpty && some.count < all.count)
        #expect(some.allSatisfy { !($0["title"] as? String ?? "").contains("important") })
    }

    @Test func aQueryStartingWithTwoDashesIsAQueryNotAnOption() throws {
        let result = try bulletin(["search", "-- DROP TABLE entry", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try json(result).isEmpty)
        #expect(try bulletin(["search", "--", "--nginx"]).status == 0)
    }

    @Test func aQueryPastTheTermBoundIsRefusedWithTheBound() throws {
        let result = try bulletin(["search"] + (1...17).map { "w\($0)" })
        #expect(result.status == 2)
        #expect(result.stderr == "Error: search: too many words and phrases: 17 different ones, at most 16; "
            + "search for the rarest few\n")
    }

    @Test func aWordRepeatedFiveThousandTimesIsAnsweredAsOneWord() throws {
        let once = try bulletin(["search", "openssl", "--format", "json"])
        let repeated = try bulletin(["search", String(repeating: "openssl ", count: 5000), "--format", "json"])
        #expect(repeated.status == 0)
        #expect(try json(repeated).map { $0["rowid"] as? Int } == json(once).map { $0["rowid"] as? Int })
    }

    @Test(arguments: [
        (["search"], "Error: search: nothing to search for; give words, \"phrases\" or fields such as service:NAME\n"),
        (["search", "since:banana"], "Error: search: 'since:banana': expected an age (12h, 7d, 2w, 1y) or a date "
            + "(2024-01-01, 2024-01-01T12:00:00Z)\n"),
        (["search", "x", "--limit", "0"], "Error: search: --limit must be a whole number from 1 to 10000\n"),
        (["search", "x", "--since", "soon"], "Error: search: 'since:soon': expected an age (12h, 7d, 2w, 1y) or a "
            + "date (2024-01-01, 2024-01-01T12:00:00Z)\n"),
        (["prune"], "Error: prune: give --older-than <when>, --vacuum, or both\n"),
        (["prune", "--older-than", "ages"], "Error: prune: '--older-than ages': expected an age (12h, 7d, 2w, 1y) "
            + "or a date (2024-01-01, 2024-01-01T12:00:00Z)\n"),
    ])
    func badArgumentsAreUsageErrors(arguments: [String], message: String) throws {
        let result = try bulletin(arguments)
        #expect(result.status == 2)
        #expect(result.stderr == message)
    }

    @Test func searchingWithoutADatabaseSaysSo() throws {
        let result = try runBulletin(["--config", directory.path("config"), "--db", directory.path("none.sqlite3"),
                                      "search", "x"])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: search: \(directory.path("none.sqlite3")): no database yet; "
            + "'bulletin fetch' or 'bulletin run' creates it\n")
    }

    @Test(arguments: [
        "\"", "NEAR(", "(((", "*", "-", "OR", "CVE-2018-0495", "'; DROP TABLE entry; --", "x\u{1b}[2Jy",
        "cve:[", "feed:%_", "\" OR \"\" *", "title:openssl", String(repeating: "a OR ", count: 500) + "b",
    ])
    func hostileQueriesThroughTheBinaryNeverFailInSQL(query: String) throws {
        let result = try bulletin(["search", "--", query])
        #expect(result.status == 0 || result.status == 2, "\(result.stderr)")
        #expect(!result.stderr.lowercased().contains("sqlite"))
        #expect(result.stderr.split(separator: "\n").count <= 1)
        #expect(!result.stdout.contains("\u{1b}"))
    }

    @Test func pruneDeletesOldUntaggedBulletinsAndKeepsTaggedOnes() throws {
        let tagged = try json(bulletin(["search", "tagged:yes", "until:2019-01-01", "--format", "json", "--limit", "1000"]))
        let old = try json(bulletin(["search", "until:2019-01-01", "--format", "json", "--limit", "1000"]))
        #expect(!tagged.isEmpty && old.count > tagged.count)
        let dry = try bulletin(["prune", "--older-than", "2019-01-01", "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.stdout == "would delete \(old.count - tagged.count) bulletins dated before 2019-01-01; "
            + "kept \(tagged.count) tagged ones (--all deletes them too)\n")
        let dryJSON = try #require(try JSONSerialization.jsonObject(with: Data(try bulletin(
            ["prune", "--older-than", "2019-01-01", "--dry-run", "--vacuum", "--format", "json"]).stdout.utf8)) as? [String: Any])
        #expect(dryJSON["dry_run"] as? Bool == true && dryJSON["cutoff"] as? String == "2019-01-01T00:00:00Z")
        #expect(dryJSON["deleted"] as? Int == old.count - tagged.count && dryJSON["kept_tagged"] as? Int == tagged.count)
        #expect((dryJSON["bytes_before"] as? Int ?? 0) > 0 && dryJSON["bytes_after"] is NSNull)
        #expect(dryJSON["index_merged"] is NSNull, "nothing deleted, nothing merged")
        let pruned = try bulletin(["prune", "--older-than", "2019-01-01", "--vacuum"])
        #expect(pruned.status == 0)
        #expect(pruned.stdout.hasPrefix("deleted \(old.count - tagged.count) bulletins dated before 2019-01-01;"))
        #expect(pruned.stdout.contains("\nvacuumed: "))
        let left = try json(bulletin(["search", "until:2019-01-01", "--format", "json", "--limit", "1000"]))
        #expect(left.count == tagged.count)
        let again = try #require(try JSONSerialization.jsonObject(with: Data(try bulletin(
            ["prune", "--older-than", "2019-01-01", "--all", "--format", "json"]).stdout.utf8)) as? [String: Any])
        #expect(again["deleted"] as? Int == tagged.count && again["index_merged"] as? Bool == true)
    }
}
