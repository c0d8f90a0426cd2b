@testable import BulletinKit
import Fetching
import Foundation
import Models
import Testing

/// What makes a store batch (`BatchGatherer`), with the arrivals sent before it looks.
@Suite struct BatchGathererTests {
    let arrivals = WorkQueue<BatchGatherer.Arrival>()

    func gatherer(maxFeeds: Int = 500, maxEntries: Int = 2000, maxHeldBytes: Int = 4 << 20) -> BatchGatherer {
        BatchGatherer(arrivals: arrivals, maxFeeds: maxFeeds, maxEntries: maxEntries, maxHeldBytes: maxHeldBytes,
                      patience: .milliseconds(1))
    }

    func examined(_ name: String, heldBytes: Int = 0) -> BatchGatherer.Arrival {
        let source = FeedSource(title: name, url: "https://example.com/\(name)", category: .security)
        var fetch = ExaminedFetch(request: FetchRequest(source: source), outcome: .notModified, bytes: 0)
        fetch.heldBytes = heldBytes
        return .examined(fetch)
    }

    func titles(_ batch: RefreshBatch) -> [String] { batch.fetches.map(\.source.title) }

    @Test func takesEverythingThatArrivedAndEndsWhenEveryFetchIsIn() {
        var gatherer = gatherer()
        for name in ["a", "b", "c"] { arrivals.send(examined(name)) }
        arrivals.send(.fetchEnded(delivered: 3, error: nil))
        #expect(gatherer.hasMore)
        #expect(titles(gatherer.next()) == ["a", "b", "c"])
        #expect(!gatherer.hasMore)
    }

    @Test func aFeedTwiceWaitsForTheNextBatch() {
        var gatherer = gatherer()
        for name in ["a", "b", "a", "c"] { arrivals.send(examined(name)) }
        arrivals.send(.fetchEnded(delivered: 4, error: nil))
        #expect(titles(gatherer.next()) == ["a", "b"])
        #expect(gatherer.hasMore)
        #expect(titles(gatherer.next()) == ["a", "c"])
        #expect(!gatherer.hasMore)
    }

    @Test func aBatchEndsAtMaxFeeds() {
        var gatherer = gatherer(maxFeeds: 2)
        for name in ["a", "b", "c"] { arrivals.send(examined(name)) }
        arrivals.send(.fetchEnded(delivered: 3, error: nil))
        #expect(titles(gatherer.next()) == ["a", "b"])
        #expect(titles(gatherer.next()) == ["c"])
        #expect(!gatherer.hasMore)
    }

    @Test func theRefreshWaitsForTaggingsSentOut() {
        var gatherer = gatherer()
        arrivals.send(examined("a"))
        arrivals.send(.fetchEnded(delivered: 1, error: nil))
        _ = gatherer.next()
        gatherer.taggingSent()
        #expect(gatherer.hasMore, "the tags of the stored entries are still to come")
        arrivals.send(.tagged(EntryTagging()))
        let batch = gatherer.next()
        #expect(batch.fetches.isEmpty && batch.taggings.count == 1)
        #expect(!gatherer.hasMore)
    }

    @Test func theEndOfFetchingAloneIsAnEmptyBatchAndItsErrorIsKept() {
        struct Broken: Error {}
        var gatherer = gatherer()
        arrivals.send(.fetchEnded(delivered: 0, error: Broken()))
        #expect(gatherer.next().isEmpty)
        #expect(!gatherer.hasMore)
        #expect(gatherer.fetchError is Broken)
    }

    @Test func aSmallBatchWaitsForMoreWhileMoreCanCome() {
        var gatherer = BatchGatherer(arrivals: arrivals, maxFeeds: 500, maxEntries: 2000, maxHeldBytes: 100,
                                     patience: .seconds(30))
        arrivals.send(examined("a"))
        let arrivals = arrivals, b = examined("b")
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.05)
            arrivals.send(b)
            arrivals.send(.fetchEnded(delivered: 2, error: nil))
        }
        #expect(titles(gatherer.next()) == ["a", "b"])
        #expect(!gatherer.hasMore)
    }

    @Test func aBatchHoldingHalfTheWindowDoesNotWait() {
        var gatherer = BatchGatherer(arrivals: arrivals, maxFeeds: 500, maxEntries: 2000, maxHeldBytes: 100,
                                     patience: .seconds(30))
        arrivals.send(examined("a", heldBytes: 100))
        let started = ContinuousClock.now
        #expect(titles(gatherer.next()) == ["a"])
        #expect(ContinuousClock.now - started < .seconds(20), "it waited its patience out")
    }

    @Test func aBatchOfMaxEntriesDoesNotWait() {
        var gatherer = BatchGatherer(arrivals: arrivals, maxFeeds: 500, maxEntries: 0, maxHeldBytes: 100,
                                     patience: .seconds(30))
        arrivals.send(examined("a"))
        let started = ContinuousClock.now
        #expect(titles(gatherer.next()) == ["a"])
        #expect(ContinuousClock.now - started < .seconds(20), "it waited its patience out")
    }
}
