import Dispatch
import Foundation
import Models
@testable import Parsing
import Synchronization
import TestSupport
import Testing

/// A large document's entries are finished on a second thread (`EntryPipeline`): each
/// document here is read both ways and must come out the same, entries, order and notes.
@Suite struct EntryPipelineTests {
    private static let url = "https://example.com/feed.xml"

    /// The document read on one thread, then with its entries finished on a second one.
    private func bothWays(_ bytes: [UInt8]) throws -> (single: ParsedFeed, threaded: ParsedFeed) {
        var single = FeedParser()
        single.threadedFromBytes = .max
        var threaded = FeedParser()
        threaded.threadedFromBytes = 0
        return (try single.parse(bytes, url: Self.url), try threaded.parse(bytes, url: Self.url))
    }

    private func rss(_ items: String) -> [UInt8] {
        Array("<rss version=\"2.0\"><channel><title>t</title>\(items)</channel></rss>".utf8)
    }

    /// Items of every size around a batch (`EntryPipeline.batchEntries` entries, or fewer
    /// holding `batchBytes`), some with the same guid.
    private func items(_ count: Int) -> String {
        (0..<count).map { index in
            let size = index % 97 == 5 ? EntryPipeline.batchBytes / 2 : index % 7 * 40
            return "<item><title>item \(index)</title><guid>\(index % 50)</guid>"
                + "<description>&lt;p&gt;CVE-2024-\(1000 + index) \(String(repeating: "x", count: size))&lt;/p&gt;</description></item>"
        }.joined()
    }

    @Test(arguments: [1, EntryPipeline.batchEntries - 1, EntryPipeline.batchEntries, EntryPipeline.batchEntries + 1,
                      EntryPipeline.batchEntries * (EntryPipeline.queuedBatches + 3) + 7])
    func entriesStayInDocumentOrderAcrossBatches(count: Int) throws {
        let (single, threaded) = try bothWays(rss(items(count)))
        #expect(threaded.entries.map(\.title) == (0..<count).map { "item \($0)" })
        #expect(threaded.entries.map(\.advisories) == (0..<count).map { ["CVE-2024-\(1000 + $0)"] })
        // Ids repeat every 50 items: the n-th time is told apart as "#n", counted in order.
        #expect(threaded.entries.map(\.id) == (0..<count).map { $0 < 50 ? "\($0)" : "\($0 % 50)#\($0 / 50 + 1)" })
        #expect(threaded == single)
    }

    /// The hostile documents of `HostileFeedTests`, with the bound hit in the middle of
    /// many entries: the same entries and the same notes either way.
    @Test(arguments: ["entries", "cut field", "skipped second description", "deep", "bare ampersand", "truncated"])
    func aLimitOrFaultInTheMiddleGivesTheSameResult(hitting: String) throws {
        let before = items(150), after = items(150)
        let huge = String(repeating: "é", count: FeedLimits.maxFieldBytes)
        let document: [UInt8] = switch hitting {
        case "entries": rss(String(repeating: "<item><title>e</title></item>", count: FeedLimits.maxEntries + 10))
        case "cut field": rss(before + "<item><title>big</title><description>\(huge)</description></item>" + after)
        case "skipped second description":
            // The second description is never read (the first has text): its cut is not counted.
            rss(before + "<item><description>first</description><description>\(huge)</description></item>"
                + "<item><description></description><description>\(huge)</description></item>" + after)
        case "deep":
            rss(before + "<item><title>deep</title>" + String(repeating: "<x>", count: 100)
                + String(repeating: "</x>", count: 100) + "</item>" + after)
        case "bare ampersand": rss(before + "<item><title>AT&T &nbsp;</title></item>" + after)
        default: Array(rss(before + after).prefix(rss(before + after).count * 2 / 3))
        }
        let (single, threaded) = try bothWays(document)
        #expect(!threaded.notes.isEmpty)
        #expect(threaded == single)
        if hitting == "skipped second description" {
            #expect(threaded.notes.contains("cut 1 text fields at 1024 KB (FeedLimits.maxFieldBytes)"))
            #expect(threaded.entries[150].summary == "first")
        }
    }

    @Test(arguments: TestPaths.fixtureFeeds)
    func everyFixtureFeedComesOutTheSameOnTwoThreads(file: String) throws {
        Self.comesOutTheSameOnTwoThreads([UInt8](try Data(contentsOf: TestPaths.fixture(file))), name: file)
    }

    /// Parses `bytes` on one thread and on two: the same feed, or the same error.
    static func comesOutTheSameOnTwoThreads(_ bytes: [UInt8], name: String) {
        var single = FeedParser()
        single.threadedFromBytes = .max
        var threaded = FeedParser()
        threaded.threadedFromBytes = 0
        let one = Result { try single.parse(bytes, url: name) }
        let two = Result { try threaded.parse(bytes, url: name) }
        switch (one, two) {
        case (.success(let one), .success(let two)): #expect(one == two, "\(name)")
        case (.failure(let one), .failure(let two)): #expect("\(one)" == "\(two)", "\(name)")
        default: Issue.record("\(name): \(one) but \(two) on two threads")
        }
    }

    /// Just below `threadedFromBytes` a document is read on one thread, from it on two; the
    /// entries are the same on both sides.
    @Test func theThresholdDecidesByTheDocumentsSize() throws {
        let body = rss(items(200))
        for size in [EntryPipeline.threadedFromBytes - 1, EntryPipeline.threadedFromBytes] {
            // Padded with a comment after the root to exactly `size` bytes.
            let document = body + Array("<!--".utf8) + [UInt8](repeating: 0x2D - 1, count: size - body.count - 7)
                + Array("-->".utf8)
            #expect(document.count == size)
            #expect(FeedParser().usesSecondThread(documentBytes: size) == (size == EntryPipeline.threadedFromBytes))
            var single = FeedParser()
            single.threadedFromBytes = .max
            #expect(try FeedParser().parse(document, url: Self.url) == single.parse(document, url: Self.url))
        }
    }

    /// Several threads parsing large documents at once (as a caller may), each on its own
    /// pipeline: every result is the one a lone parse gives.
    @Test func severalThreadsMayParseLargeDocumentsAtOnce() throws {
        let documents = (0..<4).map { rss(items(3000 + $0)) }
        #expect(documents.allSatisfy { FeedParser().usesSecondThread(documentBytes: $0.count) })
        let alone = try documents.map { try FeedParser().parse($0, url: Self.url) }
        let together = Mutex<[Int: ParsedFeed]>([:])
        DispatchQueue.concurrentPerform(iterations: documents.count) { index in
            let feed = try? FeedParser().parse(documents[index], url: Self.url)
            together.withLock { $0[index] = feed }
        }
        #expect(together.withLock { $0 } == Dictionary(uniqueKeysWithValues: alone.enumerated().map { ($0, $1) }))
    }
}
