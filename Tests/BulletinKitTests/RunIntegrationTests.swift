import Foundation
import TestSupport
import Testing

/// `bulletin run` end to end: the real binary, a real HTTP server on 127.0.0.1 serving
/// our fixture feeds, a real SQLite file.
@Suite struct RunIntegrationTests {
    let directory: TemporaryDirectory
    let server: FeedServer

    init() throws {
        directory = try TemporaryDirectory()
        server = try FeedServer(routes: [
            "/nodejs.rss": TestPaths.fixture("feeds/rss2-critical-release-cdata-html.rss").path,
            "/npm.atom": TestPaths.fixture("feeds/atom-package-advisories-repeated-ids.atom").path,
            "/garbage": "bytes:this is not a feed at all",
        ])
        try directory.write("""
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0"><head><title>test</title></head><body>
              <outline text="Node.js vulnerabilities" type="rss" xmlUrl="\(server.url("/nodejs.rss"))" category="security"/>
              <outline text="npm advisories" type="rss" xmlUrl="\(server.url("/npm.atom"))" category="security"/>
              <outline text="Gone feed" type="rss" xmlUrl="\(server.url("/missing.xml"))" category="announcements"/>
            </body></opml>
            """, to: "feeds.opml")
        // Every failure is flagged at once here; FetchCommandTests covers the threshold. The
        // corpus feeds are years old: the first digest sends them all.
        try directory.write("""
            [fetch]
            flag_after = 1

            [digest]
            first_run_days = 0

            [[channel]]
            name = "terminal"
            kind = "stdout"
            """, to: "config/bulletin.toml")
        try directory.write("""
            [[service]]
            name = "Node.js"
            aliases = ["nodejs"]
            impact = 5
            likelihood = 4

            [[service]]
            name = "Angular"
            exclude = ["angularjs"]

            [[service]]
            name = "nginx"
            """, to: "config/inventory.toml")
    }

    private func run(_ extra: [String] = [], environment: [String: String]? = nil) throws -> ProcessResult {
        try runBulletin(["run", "--config", directory.path("config"), "--db", directory.path("bulletin.sqlite3"),
                         "--feeds", directory.path("feeds.opml")] + extra, environment: environment)
    }

    @Test func aRunPrintsMatchedEntriesReportsTheFailedFeedAndExits3() throws {
        let result = try run()
        #expect(result.status == 3)
        // The failing feed is named on stderr; the others went on.
        #expect(result.stderr.contains("warning: fetch: \(server.url("/missing.xml")): HTTP 404 (feed 'Gone feed')\n"))
        // … and nothing else but the run's one-line summary.
        let lines = result.stderr.components(separatedBy: "\n").filter { !$0.isEmpty }
        #expect(lines.count == 2)
        #expect(lines.last?.hasPrefix("run: 3 feeds (1 failed), ") == true, "\(lines)")
        #expect(lines.last.map { $0.contains("; terminal: ") && $0.hasSuffix(" entries) delivered") } == true, "\(lines)")
        // The Node.js bulletin is high risk and leads; Angular advisories follow.
        #expect(result.stdout.hasPrefix("Bulletin digest: "))
        let action = try #require(result.stdout.range(of: "Action needed (1)"))
        let security = try #require(result.stdout.range(of: "Security bulletins ("))
        #expect(action.lowerBound < security.lowerBound)
        #expect(result.stdout.contains("2020-01-23  [Node.js]  [CRITICAL]  February 2020 Security Releases"))
        // GitHub states the advisory's severity only as a category.
        #expect(result.stdout.contains("[Angular]  [HIGH]  [@angular/compiler] Angular vulnerable to XSS in i18n attribute bindings"))
        #expect(result.stdout.contains("https://github.com/advisories/GHSA-g93w-mfhg-p222"))
        #expect(!result.stdout.contains("nginx"))
        #expect(FileManager.default.fileExists(atPath: directory.path("bulletin.sqlite3")))
    }

    @Test func aSecondRunPrintsNoEntryTwice() throws {
        let first = try run()
        #expect(first.status == 3)
        #expect(first.stdout.contains("February 2020 Security Releases"))
        let second = try run()
        #expect(second.status == 3)
        let missing = server.url("/missing.xml")
        #expect(second.stdout == "Bulletin digest: nothing new for your services.\n\n"
            + "Feed health\n===========\n1 of 3 feeds needs a look:\n"
            + "- Gone feed: failing 1 run in a row: fetch: \(missing): HTTP 404\n     \(missing)\n")
        #expect(second.stderr.contains("HTTP 404"))
    }

    @Test func aFeedThatIsNotAFeedIsReportedAndTheOthersGoOn() throws {
        try directory.write("""
            <opml version="2.0"><body>
              <outline text="junk" xmlUrl="\(server.url("/garbage"))"/>
              <outline text="Node.js vulnerabilities" xmlUrl="\(server.url("/nodejs.rss"))"/>
            </body></opml>
            """, to: "feeds.opml")
        let result = try run()
        #expect(result.status == 3)
        #expect(result.stderr.hasPrefix("warning: parse: \(server.url("/garbage")): not a feed: looks like plain text (feed 'junk')\n"))
        #expect(result.stdout.contains("February 2020 Security Releases"))
    }

    @Test func anUnreachableHostIsReportedAndTheOthersGoOn() throws {
        try directory.write("""
            <opml version="2.0"><body>
              <outline text="Closed port" xmlUrl="http://127.0.0.1:1/feed.xml"/>
              <outline text="Not http" xmlUrl="file:///etc/passwd"/>
              <outline text="Node.js vulnerabilities" xmlUrl="\(server.url("/nodejs.rss"))"/>
            </body></opml>
            """, to: "feeds.opml")
        let result = try run()
        #expect(result.status == 3)
        #expect(result.stderr.contains("warning: fetch: http://127.0.0.1:1/feed.xml: "))
        #expect(result.stderr.contains("warning: fetch: file:///etc/passwd: "))
        #expect(result.stdout.contains("February 2020 Security Releases"))
    }

    @Test func feedHealthShowsAGoneFeedAndAMovedOne() throws {
        let extra = try FeedServer(routes: [
            "/gone.xml": "status:410",
            "/old.xml": "redirect:301:/new.xml",
            "/new.xml": TestPaths.fixture("feeds/rss2-critical-release-cdata-html.rss").path,
        ])
        try directory.write("""
            <opml version="2.0"><body>
              <outline text="Node.js vulnerabilities" xmlUrl="\(server.url("/nodejs.rss"))"/>
              <outline text="Retired feed" xmlUrl="\(extra.url("/gone.xml"))"/>
              <outline text="Moving feed" xmlUrl="\(extra.url("/old.xml"))"/>
            </body></opml>
            """, to: "feeds.opml")
        let result = try run()
        #expect(result.status == 3)
        let health = try #require(result.stdout.range(of: "Feed health"))
        let section = result.stdout[health.lowerBound...]
        #expect(section.contains("Retired feed"))
        #expect(section.contains("gone: fetch: \(extra.url("/gone.xml")): HTTP 410"))
        #expect(section.contains("Moving feed"))
        #expect(section.contains(extra.url("/new.xml")))
    }

    /// One rule flags a feed: the run's report, `feeds check` and the digest's *Feed
    /// health* agree below `flag_after` and at it.
    @Test func theRunFeedsCheckAndTheDigestFlagTheSameFeeds() throws {
        try directory.write("[fetch]\nflag_after = 2\n\n[digest]\nfirst_run_days = 0\n"
            + "[[channel]]\nname = \"terminal\"\nkind = \"stdout\"\n", to: "config/bulletin.toml")
        func feedsCheck() throws -> ProcessResult {
            try runBulletin(["feeds", "check", "--config", directory.path("config"),
                             "--db", directory.path("bulletin.sqlite3"), "--feeds", directory.path("feeds.opml")])
        }
        let first = try run()
        #expect(first.status == 3, "the run's own failure is always reported")
        #expect(first.stdout.contains("1 failed on its last fetch"), "but it is not flagged yet")
        #expect(!first.stdout.contains("Gone feed"))
        let checkedOnce = try feedsCheck()
        #expect(checkedOnce.status == 0 && checkedOnce.stdout.contains("failing (1)") && !checkedOnce.stdout.contains(" !"))
        var tomorrow = ProcessInfo.processInfo.environment  // past the backoff: due again
        tomorrow["BULLETIN_NOW"] = Date(timeIntervalSinceNow: 86_400).formatted(Date.ISO8601FormatStyle())
        let second = try run(environment: tomorrow)
        #expect(second.status == 3)
        #expect(second.stderr.contains("HTTP 404 (feed 'Gone feed', failed 2 times in a row)"))
        let health = try #require(second.stdout.range(of: "Feed health"))
        #expect(second.stdout[health.lowerBound...].contains("Gone feed"))
        let checkedTwice = try feedsCheck()
        #expect(checkedTwice.status == 3 && checkedTwice.stdout.contains("failing (2) !"))
    }

    @Test func aRunWhereEveryFeedWorksExits0() throws {
        try directory.write("""
            <opml version="2.0"><body>
              <outline text="Node.js vulnerabilities" xmlUrl="\(server.url("/nodejs.rss"))"/>
            </body></opml>
            """, to: "feeds.opml")
        let result = try run(["--quiet"])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.contains("February 2020 Security Releases"))
    }
}
