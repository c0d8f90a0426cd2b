import Foundation
import Models
@testable import Storage
import TestSupport
import Testing

/// The fetch state the store keeps per feed: health, schedule, moves, raw documents.
@Suite struct FeedStateTests {
    let directory: TemporaryDirectory
    let store: Store
    let feed = FeedSource(title: "Advisories", url: "https://example.com/feed", category: .security)
    let other = FeedSource(title: "Other", url: "https://example.org/feed", category: .security)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.path("bulletin.sqlite3"))
    }

    private func document(_ body: String, status: Int = 200) -> RawDocument {
        RawDocument(url: feed.url, fetchedAt: now, status: status,
                    headers: [.init(name: "ETag", value: "W/\"1\""), .init(name: "Content-Type", value: "application/rss+xml")],
                    body: Array(body.utf8))
    }

    @Test func failuresCountUpScheduleTheNextAttemptAndASuccessResetsThem() throws {
        var counts: [Int] = []
        for _ in 1...3 {
            let failures = try store.recordFailure(of: feed, status: 503, error: "fetch: x: HTTP 503", at: now) {
                counts.append($0)
                return now.addingTimeInterval(Double($0) * 100)
            }
            #expect(failures == counts.last)
        }
        #expect(counts == [1, 2, 3])
        var state = try #require(try store.feedState(for: feed.url))
        #expect(state.consecutiveFailures == 3)
        #expect(state.nextAttempt == now.addingTimeInterval(300))
        #expect(state.lastError == "fetch: x: HTTP 503")
        #expect(state.lastSuccess == nil)
        #expect(!state.isDue(at: now))
        #expect(state.isDue(at: now.addingTimeInterval(250)))  // within a minute of it
        try store.recordNotModified(feed, at: now)
        state = try #require(try store.feedState(for: feed.url))
        #expect(state.consecutiveFailures == 0 && state.nextAttempt == nil && state.lastError == nil)
        #expect(state.lastSuccess == now && state.lastStatus == 304)
    }

    @Test func oneFeedsFailureNeverTouchesAnothersState() throws {
        try store.recordFetch(of: other, entries: [FeedEntry(id: "1", title: "t")], document: document("<rss/>"),
                              etag: "\"e\"", lastModified: nil, checksum: "c", at: now)
        try store.recordFailure(of: feed, status: 410, error: "gone", gone: true, at: now) { _ in now }
        let state = try #require(try store.feedState(for: other.url))
        #expect(state.consecutiveFailures == 0 && state.etag == "\"e\"" && state.bodyChecksum == "c" && !state.gone)
        #expect(try store.feedState(for: feed.url)?.gone == true)
        #expect(try store.entryCount() == 1)
    }

    @Test func theLastDocumentIsKeptWithItsHeadersByteForByte() throws {
        var raw = document("")
        raw.body = [0x00, 0xFF, 0x3C, 0x0A, 0x0D]
        try store.recordFetch(of: feed, entries: [], document: raw, etag: nil, lastModified: nil, checksum: "a", at: now)
        #expect(try store.rawDocument(for: feed.url) == raw)
        let empty = document("")
        try store.recordFetch(of: feed, entries: [], document: empty, etag: nil, lastModified: nil, checksum: "b", at: now)
        #expect(try store.rawDocument(for: feed.url) == empty)
        #expect(try store.rawDocument(for: other.url) == nil)
    }

    @Test func aDocumentThatFailedToParseIsKeptButItsChecksumIsNot() throws {
        try store.recordFetch(of: feed, entries: [], document: document("<rss/>"), etag: nil, lastModified: nil,
                              checksum: "good", at: now)
        try store.recordFailure(of: feed, status: 200, error: "parse: not a feed", document: document("junk"), at: now) { _ in now }
        #expect(try store.rawDocument(for: feed.url)?.body == Array("junk".utf8))
        #expect(try store.feedState(for: feed.url)?.bodyChecksum == "good")
    }

    @Test func aReparseAddsEntriesAndLeavesTheFetchStateAsItWas() throws {
        try store.recordFetch(of: feed, entries: [FeedEntry(id: "1")], document: document("<rss/>"), etag: "\"e\"",
                              lastModified: "Tue, 10 Oct 2023 12:00:00 GMT", checksum: "c", at: now)
        try store.recordFailure(of: feed, status: 500, error: "HTTP 500", at: now.addingTimeInterval(10)) { _ in now }
        let before = try #require(try store.feedState(for: feed.url))
        let new = try store.recordReparse(of: feed, entries: [FeedEntry(id: "1"), FeedEntry(id: "2")], checksum: "c2")
        #expect(new.map(\.entry.id) == ["2"])
        var after = try #require(try store.feedState(for: feed.url))
        #expect(after.bodyChecksum == "c2")
        after.bodyChecksum = before.bodyChecksum
        #expect(after == before)
    }

    @Test func aMovedFeedIsFetchedFromItsNewURLAndTheCatalogCanAdoptIt() throws {
        try store.recordFetch(of: feed, entries: [FeedEntry(id: "1")], document: document("<rss/>"), etag: nil,
                              lastModified: nil, checksum: "c", at: now)
        try store.recordMove(of: feed, to: "https://new.example.com/feed")
        #expect(try store.feedState(for: feed.url)?.movedURL == "https://new.example.com/feed")
        // The user edits the catalog to the new URL: the record (and its entries) follow.
        let renamed = FeedSource(title: feed.title, url: "https://new.example.com/feed", category: .security)
        try store.adoptMovedFeeds([renamed])
        #expect(try store.feedState(for: feed.url) == nil)
        let adopted = try #require(try store.feedState(for: renamed.url))
        #expect(adopted.movedURL == nil && adopted.bodyChecksum == "c")
        let again = try store.recordFetch(of: renamed, entries: [FeedEntry(id: "1")], document: document("<rss/>"),
                                          etag: nil, lastModified: nil, checksum: "d", at: now)
        #expect(again.isEmpty)  // nothing stored, or delivered, twice
    }

    @Test func aMoveBackToTheCatalogURLClearsTheMove() throws {
        try store.recordNotModified(feed, at: now)
        try store.recordMove(of: feed, to: "https://elsewhere.example/feed")
        try store.recordMove(of: feed, to: feed.url)
        #expect(try store.feedState(for: feed.url)?.movedURL == nil)
    }
}
