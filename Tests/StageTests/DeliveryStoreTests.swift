import Foundation
import Models
@testable import Storage
import TestSupport
import Testing

/// The store side of delivery: the dispatch log, deliveries recorded with the
/// confirmation, windows and feed state, on a real SQLite file.
@Suite struct DeliveryStoreTests {
    let directory: TemporaryDirectory
    let store: Store
    let feed = FeedSource(title: "Advisories", url: "https://example.com/feed", category: .security)

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.path("bulletin.sqlite3"))
    }

    /// Three tagged entries published on 2024-05-01, -02 and -03.
    private func storeTagged() throws -> [Int64] {
        let entries = (1...3).map { day in
            FeedEntry(id: "\(day)", title: "nginx \(day)",
                      published: Date(timeIntervalSince1970: 1_714_521_600 + Double(day - 1) * 86_400))
        }
        let stored = try store.storeFetch(of: feed, entries: entries, status: 200, etag: nil, lastModified: nil)
        try store.addTags(stored.map { EntryTag(entryRowID: $0.rowID, service: "nginx", alias: "nginx", field: "title") })
        return stored.map(\.rowID)
    }

    @Test func aConfirmedDispatchMarksItsEntriesDeliveredOnThatChannelOnly() throws {
        let rows = try storeTagged()
        let dispatch = try store.beginDispatch(channel: "mail", messageID: "m1", entries: 2)
        #expect(try store.undelivered(on: "mail").count == 3)
        try store.confirmDispatch(dispatch, channel: "mail", entryRowIDs: Array(rows.prefix(2)), detail: "250")
        #expect(try store.undelivered(on: "mail").map(\.entry.rowID) == [rows[2]])
        #expect(try store.undelivered(on: "slack").count == 3)
        #expect(try store.dispatches(channel: "mail").map(\.status) == ["accepted"])
    }

    @Test func aFailedDispatchLeavesEverythingUndelivered() throws {
        _ = try storeTagged()
        let dispatch = try store.beginDispatch(channel: "mail", messageID: "m1", entries: 3)
        try store.failDispatch(dispatch, reason: "smtp: 451")
        #expect(try store.undelivered(on: "mail").count == 3)
        let logged = try #require(try store.dispatches().first)
        #expect(logged.status == "failed" && logged.detail == "smtp: 451")
    }

    @Test func aSendStillMarkedSendingIsReportedOnceAsInterrupted() throws {
        _ = try storeTagged()
        _ = try store.beginDispatch(channel: "mail", messageID: "lost", entries: 3)
        // The process died here; the next run opens the database afresh.
        let reopened = try Store(path: directory.path("bulletin.sqlite3"))
        let interrupted = try reopened.takeInterruptedDispatches(channel: "mail")
        #expect(interrupted.map(\.messageID) == ["lost"])
        #expect(try reopened.takeInterruptedDispatches(channel: "mail").isEmpty)
        #expect(try reopened.undelivered(on: "mail").count == 3)
    }

    @Test func aWindowHasEveryTaggedEntryInItDeliveredOrNot() throws {
        let rows = try storeTagged()
        let dispatch = try store.beginDispatch(channel: "mail", messageID: "m", entries: 3)
        try store.confirmDispatch(dispatch, channel: "mail", entryRowIDs: rows, detail: "250")
        let may2 = Date(timeIntervalSince1970: 1_714_608_000), may3 = Date(timeIntervalSince1970: 1_714_694_400)
        #expect(try store.tagged(since: may2, until: may3).map(\.entry.entry.id) == ["2"])
        #expect(try store.tagged(since: may2, until: nil).map(\.entry.entry.id) == ["3", "2"])
        #expect(try store.tagged(since: nil, until: nil).count == 3)
        #expect(try store.tagged(since: nil, until: may2).first?.tags.map(\.service) == ["nginx"])
    }

    @Test func feedStatesCountFailuresInARow() throws {
        try store.recordFailure(of: feed, status: 503, error: "fetch: x: HTTP 503") { _ in Date() }
        try store.recordFailure(of: feed, status: 503, error: "fetch: x: HTTP 503") { _ in Date() }
        let state = try #require(try store.feedStates().first?.value)
        #expect(state.consecutiveFailures == 2 && state.lastError == "fetch: x: HTTP 503" && state.lastSuccess == nil)
        try store.recordNotModified(feed)
        #expect(try store.feedStates().first?.value.consecutiveFailures == 0)
    }
}
