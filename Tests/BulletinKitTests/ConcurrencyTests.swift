import Foundation
import SQLite
import Storage
import TestSupport
import Testing

/// Crashes and overlaps with the real binary: `kill -9` in the middle of a large insert,
/// two writers at once, and two overlapping `bulletin run`s that must not double-send.
@Suite struct ConcurrencyTests {
    let directory: TemporaryDirectory
    var database: String { directory.path("bulletin.sqlite3") }

    init() throws {
        directory = try TemporaryDirectory()
        // The fixture feeds are years old: first_run_days = 0 sends them in the first digest.
        try directory.write("[fetch]\nmax_body_bytes = 104857600\n\n[run]\nlock_wait = 30\n\n[digest]\nfirst_run_days = 0\n\n"
            + "[[channel]]\nname = \"terminal\"\nkind = \"stdout\"\n", to: "config/bulletin.toml")
        try directory.write("[[service]]\nname = \"openssl\"\n\n[[service]]\nname = \"Node.js\"\n",
                            to: "config/inventory.toml")
    }

    /// An RSS feed of `count` items, each naming an advisory.
    private func bigFeed(_ count: Int, to name: String) throws -> String {
        var xml = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Big</title>\n"
        for index in 0..<count {
            xml += "<item><guid>item-\(index)</guid><title>Advisory \(index): package \(index % 97) update</title>"
                + "<link>https://example.com/\(index)</link><pubDate>Tue, 10 Oct 2023 12:00:00 GMT</pubDate>"
                + "<description>A flaw in package \(index % 97) (CVE-2023-\(10_000 + index)) allows denial of service."
                + "</description></item>\n"
        }
        return try directory.write(xml + "</channel></rss>\n", to: name)
    }

    private func catalog(_ feeds: [(String, String)], to name: String) throws -> String {
        try directory.write("<opml version=\"2.0\"><body>"
            + feeds.map { "<outline text=\"\($0.0)\" type=\"rss\" xmlUrl=\"\($0.1)\" category=\"security\"/>" }.joined()
            + "</body></opml>", to: name)
    }

    private func bulletinProcess(_ arguments: [String], catalog: String) throws -> (Process, Pipe) {
        let process = Process()
        let output = Pipe()
        process.executableURL = TestPaths.bulletinExecutable
        process.arguments = ["--config", directory.path("config"), "--db", database, "--feeds", catalog] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, output)
    }

    /// True when `process` has the file at `path` open (one of its descriptors names it).
    private static func hasOpen(_ path: String, _ process: Process) -> Bool {
        let descriptors = "/proc/\(process.processIdentifier)/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: descriptors)) ?? []
        return names.contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(descriptors)/\($0)")) == path }
    }

    /// True when another connection holds the database's write lock.
    private static func isLocked(_ probe: SQLiteConnection) -> Bool {
        do {
            try probe.executeScript("BEGIN IMMEDIATE; ROLLBACK;")
            return false
        } catch {
            return error.isBusy
        }
    }

    private func count(_ sql: String) throws -> Int {
        try SQLiteConnection(path: database).firstRow(sql)?.int(0) ?? -1
    }

    @Test func killingAFetchInTheMiddleOfALargeInsertLosesNothingAndLeavesNoPartialFeed() throws {
        let items = 30_000
        let server = try FeedServer(routes: ["/big.rss": try bigFeed(items, to: "big.rss")])
        let feeds = try catalog([("Big", server.url("/big.rss"))], to: "feeds.opml")
        _ = try Store(path: database)  // migrated already: the only write is the feed's refresh
        let (process, _) = try bulletinProcess(["fetch"], catalog: feeds)
        // A write transaction is open when another connection cannot take the write lock.
        let probe = try SQLiteConnection(path: database, busyTimeout: 0)
        let deadline = Date().addingTimeInterval(120)
        var writing = false
        while !writing, process.isRunning, Date() < deadline {
            writing = Self.isLocked(probe)
            if !writing { usleep(2_000) }
        }
        #expect(writing, "the fetch never started its transaction")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let store = try Store(path: database)
        #expect(try store.integrityCheck() == ["ok"])
        #expect(try count("SELECT count(*) FROM entry") == 0, "a partial feed was stored")
        #expect(try count("SELECT count(*) FROM entry_fts WHERE entry_fts MATCH 'advisory'") == 0)
        // The next fetch stores the whole feed.
        let (again, _) = try bulletinProcess(["fetch"], catalog: feeds)
        again.waitUntilExit()
        #expect(again.terminationStatus == 0)
        #expect(try count("SELECT count(*) FROM entry") == items)
        #expect(try count("SELECT count(*) FROM entry_fts WHERE entry_fts MATCH 'denial'") == items)
    }

    @Test func twoFetchesAndAPythonWriterAtOnceAllSucceed() throws {
        let server = try FeedServer(routes: [
            "/a.rss": try bigFeed(3_000, to: "a.rss"),
            "/nodejs.rss": TestPaths.fixture("feeds/rss2-critical-release-cdata-html.rss").path,
            "/npm.atom": TestPaths.fixture("feeds/atom-package-advisories-repeated-ids.atom").path,
        ])
        let first = try catalog([("A", server.url("/a.rss"))], to: "first.opml")
        let second = try catalog([("Node.js", server.url("/nodejs.rss")), ("npm", server.url("/npm.atom"))],
                                 to: "second.opml")
        _ = try Store(path: database)
        // Python takes the write lock and says so; it commits only once both fetches have
        // the database open, so they must wait for it before they write.
        let python = Process()
        let toPython = Pipe(), fromPython = Pipe()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
            c.execute("BEGIN IMMEDIATE")
            c.execute("INSERT INTO feed (url, title, category) VALUES ('https://python.example/', 'Python', 'security')")
            print("locked", flush=True)
            sys.stdin.readline()
            c.execute("COMMIT")
            """, database]
        python.standardInput = toPython
        python.standardOutput = fromPython
        try python.run()
        let said = String(decoding: fromPython.fileHandleForReading.readData(ofLength: 7), as: UTF8.self)
        try #require(said == "locked\n", "python did not take the lock: \(said)")
        let (a, _) = try bulletinProcess(["fetch"], catalog: first)
        let (b, _) = try bulletinProcess(["fetch"], catalog: second)
        let deadline = Date().addingTimeInterval(60)
        while !(Self.hasOpen(database, a) && Self.hasOpen(database, b)), a.isRunning, b.isRunning, Date() < deadline {
            usleep(5_000)
        }
        #expect(a.isRunning && b.isRunning, "a fetch ended while python held the lock")
        toPython.fileHandleForWriting.write(Data("commit\n".utf8))
        for process in [python, a, b] { process.waitUntilExit() }
        #expect([python, a, b].map(\.terminationStatus) == [0, 0, 0])
        #expect(try count("SELECT count(*) FROM feed") == 4)
        #expect(try count("SELECT count(*) FROM entry WHERE feed_id = (SELECT id FROM feed WHERE title = 'A')") == 3_000)
        #expect(try Store(path: database).integrityCheck() == ["ok"])
    }

    @Test func twoOverlappingRunsDeliverEachBulletinOnce() throws {
        let server = try FeedServer(routes: [
            "/big.rss": try bigFeed(5_000, to: "big.rss"),
            "/nodejs.rss": TestPaths.fixture("feeds/rss2-critical-release-cdata-html.rss").path,
        ])
        let feeds = try catalog([("Big", server.url("/big.rss")), ("Node.js", server.url("/nodejs.rss"))],
                                to: "feeds.opml")
        let runs = [try bulletinProcess(["run"], catalog: feeds), try bulletinProcess(["run"], catalog: feeds)]
        var outputs: [String] = []
        for (process, pipe) in runs {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            outputs.append(String(decoding: data, as: UTF8.self))
        }
        let all = outputs.joined()
        #expect(all.components(separatedBy: "February 2020 Security Releases").count - 1 == 1, "\(outputs)")
        #expect(outputs.contains { $0.hasPrefix("Bulletin digest: nothing new for your services.\n") })
        #expect(try count("SELECT count(*) FROM run WHERE finished_at IS NOT NULL AND exit_code = 0") == 2)
    }

    @Test func aRunThatMayNotWaitGivesUpWithAClearMessage() throws {
        try directory.write("[run]\nlock_wait = 0\n", to: "config/bulletin.toml")
        let feeds = try catalog([], to: "feeds.opml")
        _ = try Store(path: database)
        let holder = try RunLock(path: database + ".lock", wait: 0)
        let result = try runBulletin(["--config", directory.path("config"), "--db", database, "--feeds", feeds, "run"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: store: \(database).lock: another bulletin run (pid \(getpid()) since "))
        #expect(result.stderr.hasSuffix(") is still running; raise [run] lock_wait to wait longer\n"))
        holder.release()
    }
}
