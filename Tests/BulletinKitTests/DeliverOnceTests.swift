import Foundation
import TestSupport
import Testing

/// Every command that delivers takes the run lock: `bulletin run` and `bulletin digest
/// --deliver` started together, against a real SMTP server on 127.0.0.1, deliver each
/// entry once, however their steps interleave.
@Suite struct DeliverOnceTests {
    let directory: TemporaryDirectory
    let feeds: FeedServer

    init() throws {
        directory = try TemporaryDirectory()
        feeds = try FeedServer(routes: [
            "/nodejs.rss": TestPaths.fixture("feeds/rss2-critical-release-cdata-html.rss").path,
            "/npm.atom": TestPaths.fixture("feeds/atom-package-advisories-repeated-ids.atom").path,
        ])
        try directory.write("""
            <opml version="2.0"><body>
              <outline text="Node.js vulnerabilities" xmlUrl="\(feeds.url("/nodejs.rss"))" category="security"/>
              <outline text="npm advisories" xmlUrl="\(feeds.url("/npm.atom"))" category="security"/>
            </body></opml>
            """, to: "feeds.opml")
        try directory.write("""
            [[service]]
            name = "Node.js"
            aliases = ["nodejs"]

            [[service]]
            name = "Angular"
            """, to: "config/inventory.toml")
    }

    private func start(_ arguments: [String], database: String) throws -> (Process, URL) {
        let process = Process()
        process.executableURL = TestPaths.bulletinExecutable
        process.arguments = arguments + ["--config", directory.path("config"), "--db", database,
                                         "--feeds", directory.path("feeds.opml")]
        let log = directory.url.appendingPathComponent("\(UUID().uuidString).stderr")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        return (process, log)
    }

    @Test func runAndDigestDeliverStartedTogetherSendEachEntryOnce() throws {
        let server = try SMTPServer(maildir: directory.url.appendingPathComponent("mail"), lifetime: 600)
        try directory.write("""
            [run]
            lock_wait = 120

            [digest]
            first_run_days = 0  # the fixtures' entries are years old: send them all

            [[channel]]
            name = "ops-mail"
            kind = "email"
            to = ["ops@example.com"]
            from = "bulletin@example.com"
            smtp_url = "smtp://127.0.0.1:\(server.port)"
            tls = "off"
            timeout = 10
            """, to: "config/bulletin.toml")
        let titles = ["February 2020 Security Releases", "Angular vulnerable to XSS in i18n attribute bindings"]
        for round in 1...20 {
            // A new database each round: both commands have the same two entries to send.
            let database = directory.path("round-\(round).sqlite3")
            let (fetch, _) = try start(["fetch"], database: database)
            fetch.waitUntilExit()
            try #require(fetch.terminationStatus == 0)
            let before = try server.messages().count
            let (run, runLog) = try start(["run"], database: database)
            let (digest, digestLog) = try start(["digest", "--deliver"], database: database)
            run.waitUntilExit()
            digest.waitUntilExit()
            let logs = try [runLog, digestLog].map { try String(contentsOf: $0, encoding: .utf8) }
            #expect(run.terminationStatus == 0 && digest.terminationStatus == 0, "round \(round): \(logs)")
            #expect(!logs.joined().contains("interrupted"), "round \(round): \(logs)")
            let texts = try server.messages().dropFirst(before).map { try ReadMail($0).parts[0].text }
            for title in titles {
                let copies = texts.map { $0.components(separatedBy: title).count - 1 }.reduce(0, +)
                #expect(copies == 1, "round \(round): '\(title)' arrived \(copies) times in \(texts.count) messages")
            }
        }
    }
}
