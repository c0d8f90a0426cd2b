import Foundation
import SQLite
import TestSupport
import Testing

/// `bulletin fetch` end to end: the real binary, a real HTTP server on 127.0.0.1 acting
/// out every case, a real SQLite file; each case checks the summary and the stored state.
@Suite struct FetchCommandTests {
    let directory: TemporaryDirectory
    let server: FeedServer
    let nodeFile = TestPaths.fixture("feeds/rss2-critical-release-cdata-html.rss").path
    let npmFile = TestPaths.fixture("feeds/atom-package-advisories-repeated-ids.atom").path

    init() throws {
        directory = try TemporaryDirectory()
        server = try FeedServer(routes: [
            "/node": nodeFile, "/npm": "gzip:" + npmFile,
            "/old": "redirect:301:/older", "/older": "redirect:308:/new", "/new": nodeFile,
            "/temp": "redirect:302:/new",
            "/gone": "status:410", "/missing": "status:404", "/broken": "status:500",
            "/busy": "retry:429:7200", "/loop": "redirect:302:/loop", "/passwd": "redirect:302:file:///etc/passwd",
            "/truncated": "truncated:" + nodeFile, "/chunked": "chunked:3000000", "/sized": "sized:3000000",
            "/bomb": "bomb:20000000", "/hang": "hang", "/junk": "bytes:this is not a feed",
            "/static": "bytes:<rss version=\"2.0\"><channel><item><guid>1</guid><title>Only</title></item></channel></rss>",
            "/slow": "delay:3000:" + nodeFile,
        ])
        try directory.write("""
            [fetch]
            timeout = 2
            max_download_bytes = 1000000
            max_body_bytes = 5000000
            flag_after = 2
            """, to: "config/bulletin.toml")
    }

    private func catalog(_ feeds: [(title: String, path: String)]) throws {
        let outlines = feeds.map { "<outline text=\"\($0.title)\" xmlUrl=\"\(server.url($0.path))\"/>" }
        try directory.write("<opml version=\"2.0\"><body>\(outlines.joined())</body></opml>", to: "feeds.opml")
    }

    private func bulletin(_ arguments: [String]) throws -> ProcessResult {
        try runBulletin(arguments + ["--config", directory.path("config"), "--db", directory.path("bulletin.sqlite3"),
                                     "--feeds", directory.path("feeds.opml")])
    }

    /// How many feeds have entries in the database (0 while it or its tables do not exist yet).
    private func storedFeeds() -> Int {
        guard FileManager.default.fileExists(atPath: directory.path("bulletin.sqlite3")) else { return 0 }
        let row = try? SQLiteConnection(path: directory.path("bulletin.sqlite3"))
            .firstRow("SELECT count(DISTINCT feed_id) FROM entry")
        return row?.int(0) ?? 0
    }

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    private func failures(_ summary: [String: Any]) -> [String: [String: Any]] {
        let list = summary["failed"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: list.map { ($0["feed"] as! String, $0) })
    }

    private func health() throws -> [String: [String: Any]] {
        let result = try bulletin(["feeds", "check", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["feed"] as! String, $0) })
    }

    @Test func everyCaseIsSummarizedAndStoredAndOneFailureNeverStopsTheOthers() throws {
        let cases = ["node", "npm", "old", "temp", "gone", "missing", "broken", "busy", "loop", "passwd",
                     "truncated", "chunked", "sized", "bomb", "hang", "junk"]
        try catalog(cases.map { ($0, "/" + $0) })
        let result = try bulletin(["fetch", "--format", "json"])
        #expect(result.status == 3)  // the gone feed is flagged at once
        let summary = try json(result.stdout)
        #expect(summary["attempted"] as? Int == cases.count)
        #expect(summary["changed"] as? Int == 4)
        #expect(summary["unchanged"] as? Int == 0)
        #expect((summary["new_entries"] as? Int ?? 0) > 10)
        #expect((summary["bytes"] as? Int ?? 0) > 1000)
        #expect(summary["seconds"] is Double)
        let failed = failures(summary)
        let reasons: [String: String] = [
            "gone": "HTTP 410", "missing": "HTTP 404", "broken": "HTTP 500", "busy": "HTTP 429",
            "loop": "Maximum (5) redirects followed", "passwd": "Protocol \"file\" not supported",
            "truncated": "transfer closed", "chunked": "download larger than 1000000 bytes",
            "sized": "download larger than 1000000 bytes (Content-Length)", "bomb": "body larger than 5000000 bytes",
            "hang": "timed out", "junk": "not a feed",
        ]
        #expect(Set(failed.keys) == Set(reasons.keys))
        for (feed, reason) in reasons {
            let error = failed[feed]?["error"] as? String ?? ""
            #expect(error.contains(reason), "\(feed): \(error)")
            #expect(error.contains(server.url("/" + feed)), "\(feed): \(error)")
            #expect(failed[feed]?["consecutive_failures"] as? Int == 1)
            #expect(failed[feed]?["flagged"] as? Bool == (feed == "gone"))
            #expect(failed[feed]?["gone"] as? Bool == (feed == "gone"))
        }
        // Every failure is a warning, named with its feed.
        #expect(result.stderr.contains("warning: fetch: \(server.url("/gone")): HTTP 410 (feed 'gone' is gone: "))
        #expect(result.stderr.components(separatedBy: "warning:").count == reasons.count + 1)
        #expect(result.stderr.contains("warning: fetch: \(server.url("/missing")): HTTP 404 (feed 'missing')"))
        // 301 then 308: the store follows; a 302 does not move the feed.
        let moved = try #require((summary["moved"] as? [[String: Any]])?.first)
        #expect(moved["feed"] as? String == "old")
        #expect(moved["to"] as? String == server.url("/new"))
        #expect((summary["moved"] as? [Any])?.count == 1)
        #expect(result.stderr.contains("note: feed 'old' moved permanently to \(server.url("/new"))"))

        let state = try health()
        #expect(state["node"]?["status"] as? String == "ok")
        #expect(state["old"]?["moved_to"] as? String == server.url("/new"))
        #expect(state["temp"]?["moved_to"] is NSNull)
        #expect(state["gone"]?["status"] as? String == "gone (410)")
        #expect(state["gone"]?["flagged"] as? Bool == true)
        #expect(state["missing"]?["last_status"] as? Int == 404)
        #expect(state["missing"]?["last_error"] as? String == "fetch: \(server.url("/missing")): HTTP 404")
        // Retry-After: 7200 is honoured: not tried again before two hours.
        let busyNext = try #require(state["busy"]?["next_attempt"] as? String)
        let next = try #require(ISO8601DateFormatter().date(from: busyNext))
        #expect(next.timeIntervalSinceNow > 7100 && next.timeIntervalSinceNow <= 7200)
    }

    @Test func aSecondRunIsConditionalAndSkipsFeedsThatAreBackingOff() throws {
        try catalog([("node", "/node"), ("npm", "/npm"), ("static", "/static"), ("old", "/old"), ("missing", "/missing")])
        let first = try json(try bulletin(["fetch", "--format", "json"]).stdout)
        #expect(first["changed"] as? Int == 4)
        let before = try server.requests().count
        let second = try bulletin(["fetch", "--format", "json"])
        #expect(second.status == 0)  // the failing feed backs off: not tried, not yet flagged
        let summary = try json(second.stdout)
        #expect(summary["attempted"] as? Int == 4)
        #expect(summary["skipped"] as? Int == 1)
        #expect(summary["unchanged"] as? Int == 4)  // three 304s and a 200 with the same body
        #expect(summary["changed"] as? Int == 0)
        #expect(summary["new_entries"] as? Int == 0)
        #expect((summary["failed"] as? [Any])?.isEmpty == true)
        let requests = try server.requests().dropFirst(before)
        #expect(Set(requests.map(\.path)) == ["/node", "/npm", "/static", "/new"])  // the moved feed, at its new URL
        #expect(requests.first { $0.path == "/npm" }?.headers["if-none-match"]?.hasPrefix("W/\"") == true)
        // Named (or --all), a feed backing off is fetched anyway; the second failure flags it.
        let third = try bulletin(["fetch", "--format", "json", "missing"])
        #expect(third.status == 3)
        let failed = failures(try json(third.stdout))
        #expect(failed["missing"]?["consecutive_failures"] as? Int == 2)
        #expect(failed["missing"]?["flagged"] as? Bool == true)
        #expect(third.stderr.contains("warning: fetch: \(server.url("/missing")): HTTP 404 (feed 'missing', failed 2 times in a row)"))
        // A flagged feed that is not due is still reported, so it never goes quiet.
        let fourth = try bulletin(["fetch"])
        #expect(fourth.status == 3)
        #expect(fourth.stderr.contains("failed 2 times in a row; not tried this run, next try after "))
        #expect(fourth.stdout.hasPrefix("4 feeds: 0 changed, 4 unchanged, 0 failed, 1 not due; 0 new entries"))
    }

    @Test func aReparseReadsTheStoredDocumentsWithoutFetching() throws {
        try catalog([("node", "/node"), ("junk", "/junk")])
        _ = try bulletin(["fetch"])
        let before = try server.requests().count
        let result = try bulletin(["fetch", "--reparse", "--format", "json"])
        #expect(try server.requests().count == before)
        let summary = try json(result.stdout)
        #expect(summary["attempted"] as? Int == 2)
        #expect(summary["changed"] as? Int == 1)
        #expect(summary["new_entries"] as? Int == 0)
        #expect(failures(summary)["junk"]?["error"] as? String == "parse: \(server.url("/junk")): not a feed: looks like plain text")
    }

    @Test func aCorruptStoredDocumentFailsOnlyItsFeedInAReparse() throws {
        try catalog([("node", "/node"), ("npm", "/npm")])
        _ = try bulletin(["fetch"])
        // Cut the stored gzip of one feed short, as a damaged disk or a bad copy might.
        let db = try SQLiteConnection(path: directory.path("bulletin.sqlite3"))
        try db.execute("""
            UPDATE raw_document SET body = substr(body, 1, 100)
            WHERE feed_id = (SELECT id FROM feed WHERE url = ?)
            """, [server.url("/npm")])
        let result = try bulletin(["fetch", "--reparse", "--format", "json"])
        #expect(result.status == 3)
        let summary = try json(result.stdout)
        #expect(summary["attempted"] as? Int == 2)
        #expect(summary["changed"] as? Int == 1)
        let error = try #require(failures(summary)["npm"]?["error"] as? String)
        #expect(error.contains("raw document of \(server.url("/npm"))") && error.contains("gzip"), "\(error)")
        #expect(result.stderr.contains("warning: "))
    }

    @Test func aDumpGivesTheLastDocumentByteForByteWithItsHeaders() throws {
        try catalog([("node", "/node"), ("junk", "/junk"), ("missing", "/missing")])
        _ = try bulletin(["fetch"])
        let body = try bulletin(["feeds", "dump", "node", "--body"])
        #expect(body.status == 0)
        #expect(Data(body.stdout.utf8) == (try Data(contentsOf: URL(fileURLWithPath: nodeFile))))
        let full = try bulletin(["feeds", "dump", "junk"])
        #expect(full.stdout.hasPrefix("GET \(server.url("/junk"))\nFetched: "))
        #expect(full.stdout.contains("\nHTTP 200\n"))
        #expect(full.stdout.contains("\nContent-Type: application/xml\n"))
        #expect(full.stdout.hasSuffix("\n\nthis is not a feed"))
        let none = try bulletin(["feeds", "dump", "missing"])
        #expect(none.status == 1)
        #expect(none.stderr == "Error: feeds dump: 'missing' has no stored document yet (see 'bulletin fetch \"missing\"')\n")
    }

    @Test func runAndFetchSummariesUseTheSameNames() throws {
        try catalog([("node", "/node"), ("missing", "/missing")])
        let fetch = try json(try bulletin(["fetch", "--format", "json"]).stdout)
        let run = try json(try runBulletin(["run", "--format", "json", "--config", directory.path("config"),
                                            "--db", directory.path("run.sqlite3"), "--feeds", directory.path("feeds.opml")]).stdout)
        #expect(Set(run.keys) == Set(fetch.keys).union(["deliveries", "exit_code"]))
        #expect(run["attempted"] as? Int == 2 && run["changed"] as? Int == 1)
        #expect(Set(failures(run).keys) == ["missing"] && Set(failures(fetch).keys) == ["missing"])
        #expect(Set(failures(run)["missing"]?.keys.map { $0 } ?? []) == Set(failures(fetch)["missing"]?.keys.map { $0 } ?? []))
        #expect(run["exit_code"] as? Int == 3)
    }

    @Test func withoutATerminalThereIsNoProgressLine() throws {
        try catalog([("node", "/node")])
        let result = try bulletin(["fetch"])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.hasPrefix("1 feeds: 1 changed, 0 unchanged, 0 failed; "))
    }

    @Test func aRunKilledInTheMiddleOfAFetchLeavesTheDatabaseConsistent() throws {
        try catalog([("node", "/node"), ("npm", "/npm"), ("slow", "/slow")])
        let process = Process()
        process.executableURL = TestPaths.bulletinExecutable
        process.arguments = ["fetch", "--config", directory.path("config"), "--db", directory.path("bulletin.sqlite3"),
                             "--feeds", directory.path("feeds.opml")]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the slow feed is on its way and both fast feeds are stored (the database
        // says so), then SIGKILL.
        let deadline = Date().addingTimeInterval(20)
        while try !server.requests().contains(where: { $0.path == "/slow" }) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        while storedFeeds() < 2 && process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(storedFeeds() == 2, "the fast feeds were not stored before the kill")
        #expect(process.isRunning, "the fetch ended before the slow feed was in flight")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let integrity = try runProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                       ["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1])"
                                        + ".execute('PRAGMA integrity_check').fetchone()[0])", directory.path("bulletin.sqlite3")])
        #expect(integrity.stdout == "ok\n")
        let next = try bulletin(["fetch", "--all", "--format", "json"])
        #expect(next.status == 3)  // the slow feed times out again (below)
        let summary = try json(next.stdout)
        #expect(summary["attempted"] as? Int == 3)
        #expect((summary["unchanged"] as? Int ?? 0) + (summary["changed"] as? Int ?? 0) == 2)
        // The slow feed (3 s) outlasts the timeout (2 s): its first failure, recorded this time.
        // (How long curl says it waited depends on the machine's load: not asserted.)
        let slow = failures(summary)["slow"]?["error"] as? String ?? ""
        #expect(slow.hasPrefix("fetch: \(server.url("/slow")): "), "\(slow)")
        #expect(slow.contains("timed out"), "\(slow)")
        #expect(try health()["node"]?["status"] as? String == "ok")
    }
}
