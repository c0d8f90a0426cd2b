@testable import BulletinKit
import Fetching
import Foundation
import Models
import Parsing
import Storage
import Synchronization
import TestSupport
import Testing

/// The refresh's stages running at once (`RefreshStages`): the multi loop on its thread,
/// parsing and tagging on workers, storing in batches of whole feeds, and what happens
/// when the store refuses one feed of a batch.
@Suite struct RefreshPipelineTests {
    let directory: TemporaryDirectory
    let server: FeedServer
    /// Fixture feeds the many-feed case cycles through, by route.
    let files = ["feeds/rss2-critical-release-cdata-html.rss", "feeds/atom-package-advisories-repeated-ids.atom",
                 "feeds/rss2-distribution-advisories-cve-lists.rss", "feeds/rss10-rdf-about-dc-date.rdf"]
    static let feedCount = 150

    init() throws {
        directory = try TemporaryDirectory()
        var routes = [
            "/static": "bytes:<rss version=\"2.0\"><channel><item><guid>1</guid><title>Only</title></item></channel></rss>",
            "/junk": "bytes:this is not a feed",
        ]
        for index in 0..<Self.feedCount {
            routes["/feed\(index)"] = TestPaths.fixture(files[index % files.count]).path
        }
        server = try FeedServer(routes: routes, latency: 20)
        try directory.write("", to: "config/bulletin.toml")
    }

    private func catalog(_ paths: [String]) throws {
        let outlines = paths.map { "<outline text=\"\($0.dropFirst())\" xmlUrl=\"\(server.url($0))\"/>" }
        try directory.write("<opml version=\"2.0\"><body>\(outlines.joined())</body></opml>", to: "feeds.opml")
    }

    private func fetch() throws -> (status: Int32, summary: [String: Any]) {
        let result = try runBulletin(["fetch", "--format", "json", "--config", directory.path("config"),
                                      "--db", directory.path("bulletin.sqlite3"), "--feeds", directory.path("feeds.opml")])
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                   "\(result.stderr)")
        return (result.status, summary)
    }

    /// One SQL statement's single-column rows, read by Python's sqlite3 (not by Bulletin).
    private func query(_ sql: String) throws -> [String] {
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), [
            "python3", "-c", "import sqlite3,sys\nfor row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print(row[0])",
            directory.path("bulletin.sqlite3"), sql,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test func manyFeedsAreEachStoredWholeAndEveryNewEntryIsAssessed() throws {
        let paths = (0..<Self.feedCount).map { "/feed\($0)" }
        try catalog(paths)
        let (status, summary) = try fetch()
        #expect(status == 0)
        #expect(summary["attempted"] as? Int == Self.feedCount)
        #expect(summary["changed"] as? Int == Self.feedCount)
        let newEntries = try #require(summary["new_entries"] as? Int)
        #expect(try query("SELECT count(*) FROM entry") == [String(newEntries)])
        // Tagging ran during the refresh, in several jobs: every new entry has its assessment.
        #expect(try query("SELECT count(*) FROM assessment") == [String(newEntries)])
        #expect(try query("SELECT count(*) FROM raw_document") == [String(Self.feedCount)])
        #expect(try query("SELECT DISTINCT encoding FROM raw_document") == ["gzip"])
        // Whole feeds only: every feed serving the same document holds the same number of entries.
        let counts = try query("""
            SELECT f.url || ' ' || count(e.id) FROM feed f LEFT JOIN entry e ON e.feed_id = f.id GROUP BY f.id
            """)
        var perFile: [String: Set<String>] = [:]
        for line in counts {
            let parts = line.split(separator: " ")
            let index = try #require(Int(parts[0].split(separator: "/").last?.dropFirst(4) ?? ""))
            perFile[files[index % files.count], default: []].insert(String(parts[1]))
        }
        #expect(perFile.count == files.count)
        #expect(perFile.values.allSatisfy { $0.count == 1 }, "\(perFile)")
        #expect(perFile.values.allSatisfy { $0.first != "0" })
        let bytes = files.map { try? FileManager.default.attributesOfItem(atPath: TestPaths.fixture($0).path)[.size] as? Int }
        let bodyBytes = (0..<Self.feedCount).reduce(0) { $0 + (bytes[$1 % files.count] ?? 0) }
        #expect((summary["bytes"] as? Int ?? 0) > bodyBytes)  // bodies and headers, none compressed here

        // The next run: every feed answers 304 (Python's server checks If-Modified-Since).
        let (again, second) = try fetch()
        #expect(again == 0)
        #expect(second["unchanged"] as? Int == Self.feedCount)
        #expect(second["changed"] as? Int == 0)
        #expect(second["new_entries"] as? Int == 0)
        #expect(try query("SELECT count(*) FROM entry") == [String(newEntries)])
    }

    @Test func aFeedTheStoreRefusesIsRecordedAsFailedAndCostsNoOtherFeedItsEntries() throws {
        let paths = ["/static"] + (0..<12).map { "/feed\($0)" } + ["/junk"]
        try catalog([])
        _ = try fetch()  // makes the database
        // The store refuses the one entry of /static, whichever batch it comes in.
        _ = try query("""
            CREATE TRIGGER poison BEFORE INSERT ON entry WHEN NEW.title = 'Only'
            BEGIN SELECT RAISE(ABORT, 'poisoned entry'); END
            """)
        try catalog(paths)
        let (status, summary) = try fetch()
        #expect(status == 3)
        #expect(summary["changed"] as? Int == 12)
        let failed = Dictionary(uniqueKeysWithValues: (summary["failed"] as? [[String: Any]] ?? []).map {
            ($0["feed"] as? String ?? "", $0["error"] as? String ?? "")
        })
        #expect(Set(failed.keys) == ["static", "junk"])
        #expect(failed["static"]?.hasPrefix("store: \(server.url("/static")): ") == true, "\(failed)")
        #expect(failed["static"]?.contains("poisoned entry") == true)
        #expect(failed["junk"]?.hasPrefix("parse: \(server.url("/junk")): not a feed") == true)
        let stored = try query("""
            SELECT f.url FROM feed f WHERE EXISTS (SELECT 1 FROM entry e WHERE e.feed_id = f.id) ORDER BY f.url
            """)
        #expect(Set(stored) == Set((0..<12).map { server.url("/feed\($0)") }))
        #expect(try query("SELECT consecutive_failures FROM feed WHERE url = '\(server.url("/static"))'") == ["1"])
        #expect(try query("SELECT count(*) FROM feed WHERE consecutive_failures = 0") == ["12"])
    }

    @Test func aFeedNamedTwiceIsFetchedTwiceAndItsEntriesAreStoredOnce() throws {
        try catalog(["/feed0", "/feed1"])
        let result = try runBulletin(["fetch", "--format", "json", "feed0", "feed0", "--config", directory.path("config"),
                                      "--db", directory.path("bulletin.sqlite3"), "--feeds", directory.path("feeds.opml")])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(summary["attempted"] as? Int == 2)
        #expect(summary["changed"] as? Int == 2)
        #expect((summary["failed"] as? [Any])?.isEmpty == true)
        let newEntries = try #require(summary["new_entries"] as? Int)
        #expect(newEntries > 0)
        #expect(try query("SELECT count(*) FROM entry") == [String(newEntries)])
        #expect(try query("SELECT count(*) FROM feed") == ["1"])
    }

    /// A fetched feed as a worker leaves it: parsed, ready to store.
    private func parsed(_ name: String, titles: [String]) -> ExaminedFetch {
        let source = FeedSource(title: name, url: "https://example.com/\(name)", category: .security)
        let entries = titles.map { FeedEntry(id: "\(name)/\($0)", title: $0, summary: "Severity: high") }
        let document = RawDocument(url: source.url, fetchedAt: Date(), status: 200, headers: [],
                                   body: Array("<rss/>".utf8))
        let feed = FetchedFeed(source: source, entries: entries, status: 200, etag: "\"\(name)\"")
        return ExaminedFetch(request: FetchRequest(source: source),
                             outcome: .parsed(DocumentFetch(feed: feed, document: document, checksum: name)),
                             bytes: 100)
    }

    @Test func aBatchTheStoreRefusesIsStoredFeedByFeedAndOnlyTheRefusedFeedFails() throws {
        let configuration = Configuration(directory: directory.path("config"), settings: Settings(), services: [],
                                          catalogFiles: [], databasePath: directory.path("bulletin.sqlite3"))
        let pipeline = Pipeline(configuration: configuration, console: Console())
        let store = try pipeline.openStore()
        _ = try query("""
            CREATE TRIGGER poison BEFORE INSERT ON entry WHEN NEW.title = 'Only'
            BEGIN SELECT RAISE(ABORT, 'poisoned entry'); END
            """)
        let batch = RefreshBatch(fetches: [parsed("first", titles: ["one", "two"]), parsed("poisoned", titles: ["Only"]),
                                           parsed("last", titles: ["three"])])
        let recorded = try pipeline.record(batch, in: store, policy: RetryPolicy(), runStart: Date())
        #expect(recorded.report.changed == 2)
        #expect(recorded.newEntries.map(\.entry.title) == ["one", "two", "three"])
        #expect(recorded.report.bytes == 300)
        let failure = try #require(recorded.report.failures.first)
        #expect(recorded.report.failures.count == 1)
        #expect(failure.feed.title == "poisoned")
        #expect(failure.error.hasPrefix("store: https://example.com/poisoned: sqlite: poisoned entry"), "\(failure.error)")
        #expect(failure.status == 200)
        #expect(failure.consecutiveFailures == 1)
        #expect(try query("SELECT title FROM entry ORDER BY id") == ["one", "two", "three"])
        #expect(try query("SELECT url || ' ' || consecutive_failures FROM feed ORDER BY url") == [
            "https://example.com/first 0", "https://example.com/last 0", "https://example.com/poisoned 1",
        ])
        // The taggings of the stored entries, in a later batch, are saved.
        let tagging = try pipeline.worker(for: store, feeds: []).tag(recorded.newEntries[...])
        let tagged = try pipeline.record(RefreshBatch(taggings: [tagging]), in: store, policy: RetryPolicy(),
                                         runStart: Date())
        #expect(tagged.report.changed == 0)
        #expect(try query("SELECT severity FROM assessment") == ["high", "high", "high"])
    }

    /// A feed whose entries and whose failure the store both refuse (a full disk): the
    /// failure is reported, the other feeds are stored, and the refresh goes on.
    @Test func aFeedWhoseFailureCannotBeStoredIsReportedAndTheOthersStored() throws {
        let configuration = Configuration(directory: directory.path("config"), settings: Settings(), services: [],
                                          catalogFiles: [], databasePath: directory.path("bulletin.sqlite3"))
        let pipeline = Pipeline(configuration: configuration, console: Console())
        let store = try pipeline.openStore()
        for (trigger, event, condition) in [("poison", "INSERT ON entry", "NEW.title = 'Only'"),
                                            ("full_insert", "INSERT ON feed", "NEW.url = 'https://example.com/poisoned'"),
                                            ("full_update", "UPDATE ON feed", "NEW.url = 'https://example.com/poisoned'")] {
            _ = try query("CREATE TRIGGER \(trigger) BEFORE \(event) WHEN \(condition) "
                + "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        }
        let batch = RefreshBatch(fetches: [parsed("first", titles: ["one"]), parsed("poisoned", titles: ["Only"]),
                                           parsed("last", titles: ["three"])])
        let recorded = try pipeline.record(batch, in: store, policy: RetryPolicy(), runStart: Date())
        #expect(recorded.report.changed == 2)
        #expect(recorded.report.failures.map(\.feed.title) == ["poisoned"])
        #expect(recorded.report.failures.first?.error.hasPrefix("store: https://example.com/poisoned: sqlite: database or disk is full") == true)
        #expect(recorded.report.failures.first?.flagged == true)
        #expect(try query("SELECT title FROM entry ORDER BY id") == ["one", "three"])
        #expect(try query("SELECT url FROM feed ORDER BY url") == ["https://example.com/first", "https://example.com/last"])
        // Tags the store refuses too: the refresh goes on, the entries stay, untagged.
        _ = try query("CREATE TRIGGER full_assessment BEFORE INSERT ON assessment "
            + "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        let tagging = try pipeline.worker(for: store, feeds: []).tag(recorded.newEntries[...])
        let tagged = try pipeline.record(RefreshBatch(taggings: [tagging]), in: store, policy: RetryPolicy(),
                                         runStart: Date())
        #expect(tagged.report.failures.isEmpty && tagged.report.tagged == 0)
        #expect(try query("SELECT count(*) FROM assessment") == ["0"])
    }

    /// Found by `make soak`: a run killed after storing a feed's new entries and before
    /// saving their tags (or a disk full when it saved them) left them untagged for good;
    /// the feed answered 304 from then on, and no digest ever carried them. The next refresh
    /// tags them, fetching nothing new.
    @Test func entriesAnEarlierRefreshStoredButDidNotTagAreTaggedByTheNext() throws {
        let configuration = Configuration(directory: directory.path("config"), settings: Settings(),
                                          services: [Service(name: "nginx")], catalogFiles: [],
                                          databasePath: directory.path("bulletin.sqlite3"))
        let pipeline = Pipeline(configuration: configuration, console: Console())
        let store = try pipeline.openStore()
        // The first run stores two entries, then stops before tagging them.
        let batch = RefreshBatch(fetches: [parsed("distro", titles: ["USN-7001-1: nginx vulnerabilities", "Other news"])])
        let recorded = try pipeline.record(batch, in: store, policy: RetryPolicy(), runStart: Date())
        #expect(recorded.newEntries.count == 2)
        #expect(try query("SELECT count(*) FROM assessment") == ["0"])
        // The next refresh (no feed is due, nothing is fetched) tags them.
        let report = try pipeline.refresh([], into: store)
        #expect(report.newEntries == 0)
        #expect(report.tagged == 1)
        #expect(try query("SELECT count(*) FROM assessment") == ["2"])
        #expect(try query("SELECT e.title || ' ' || t.service || ' ' || t.strength FROM tag t JOIN entry e ON e.id = t.entry_id")
                == ["USN-7001-1: nginx vulnerabilities nginx subject"])
        #expect(try store.undelivered(on: "mail").map(\.entry.entry.title) == ["USN-7001-1: nginx vulnerabilities"])
        // And only once.
        #expect(try pipeline.refresh([], into: store).tagged == 0)
        #expect(try store.untaggedEntries(from: 0, limit: 10).isEmpty)
    }

    /// An advisory whose title is corrected to name another product: its old tag goes and
    /// the new one comes, without a `bulletin tag`.
    @Test func aRevisedEntryIsTaggedAgainForWhatItNowSays() throws {
        let configuration = Configuration(directory: directory.path("config"), settings: Settings(),
                                          services: [Service(name: "nginx"), Service(name: "OpenSSL")], catalogFiles: [],
                                          databasePath: directory.path("bulletin.sqlite3"))
        let pipeline = Pipeline(configuration: configuration, console: Console())
        let store = try pipeline.openStore()
        func fetch(_ title: String) -> ExaminedFetch {
            let source = FeedSource(title: "distro", url: "https://example.com/distro", category: .security)
            let feed = FetchedFeed(source: source, entries: [FeedEntry(id: "usn-7001-1", title: title, summary: "Severity: high")],
                                   status: 200)
            let document = RawDocument(url: source.url, fetchedAt: Date(), status: 200, headers: [], body: Array(title.utf8))
            return ExaminedFetch(request: FetchRequest(source: source),
                                 outcome: .parsed(DocumentFetch(feed: feed, document: document, checksum: title)), bytes: 100)
        }
        func tags() throws -> [String] {
            try query("SELECT t.service || ' ' || t.strength FROM tag t ORDER BY t.service")
        }
        _ = try pipeline.record(RefreshBatch(fetches: [fetch("USN-7001-1: nginx vulnerabilities")]), in: store,
                                policy: RetryPolicy(), runStart: Date())
        #expect(try pipeline.refresh([], into: store).tagged == 1)
        #expect(try tags() == ["nginx subject"])
        let revised = try pipeline.record(RefreshBatch(fetches: [fetch("USN-7001-1: OpenSSL vulnerabilities")]), in: store,
                                          policy: RetryPolicy(), runStart: Date())
        #expect(revised.newEntries.isEmpty)
        #expect(try tags().isEmpty, "the revision drops the tags of what the entry said before")
        #expect(try pipeline.refresh([], into: store).tagged == 1)
        #expect(try tags() == ["OpenSSL subject"])
        #expect(try store.untaggedEntries(from: 0, limit: 10).isEmpty)
    }

    @Test func theParserGivesTheSameFeedsOnSeveralThreadsAtOnceAsOnOne() throws {
        let files = TestPaths.fixtureFeeds
        #expect(files.count > 10)
        try Self.sameOnSeveralThreadsAsOnOne(files.map { [UInt8](try Data(contentsOf: TestPaths.fixture($0))) }, names: files)
    }

    /// Checked on our fixtures here and on the whole corpus in `RefreshPipelineCorpusTests`.
    static func sameOnSeveralThreadsAsOnOne(_ documents: [[UInt8]], names files: [String]) throws {
        let alone = try zip(documents, files).map { try FeedParser().parse($0, url: $1) }
        let together = Mutex<[Int: ParsedFeed]>([:])
        // Every document twice, in an order of its own, on four threads, as the workers do.
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for index in documents.indices.shuffled() where index % 2 == thread % 2 {
                guard let feed = try? FeedParser().parse(documents[index], url: files[index]) else { continue }
                together.withLock { $0[index * 2 + thread / 2] = feed }
            }
        }
        let results = together.withLock { $0 }
        #expect(results.count == documents.count * 2)
        for (index, feed) in alone.enumerated() {
            #expect(results[index * 2] == feed, "\(files[index])")
            #expect(results[index * 2 + 1] == feed, "\(files[index])")
        }
    }

    @Test func aQueueHandsEveryValueOnceBetweenThreadsSendingAndReceivingAtOnce() {
        let queue = WorkQueue<Int>()
        let senders = 4, receivers = 2, perSender = 5000
        let received = Mutex<[Int]>([])
        let threads = DispatchGroup()
        for _ in 0..<receivers {
            threads.enter()
            Thread.detachNewThread {
                // Blocks while the queue is empty: the senders start after the receivers.
                let mine = (0..<senders * perSender / receivers).map { _ in queue.receive() }
                received.withLock { $0 += mine }
                threads.leave()
            }
        }
        for sender in 0..<senders {
            threads.enter()
            Thread.detachNewThread {
                for value in 0..<perSender { queue.send(sender * perSender + value) }
                threads.leave()
            }
        }
        #expect(threads.wait(timeout: .now() + 60) == .success)
        let all = received.withLock { $0 }
        #expect(all.count == senders * perSender)
        #expect(Set(all) == Set(0..<senders * perSender))
        #expect(queue.receiveIfAny() == nil)
    }
}
