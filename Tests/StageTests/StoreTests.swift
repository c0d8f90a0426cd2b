import Foundation
import Models
@testable import Storage
import TestSupport
import Testing

@Suite struct StoreTests {
    let directory: TemporaryDirectory
    let store: Store
    let feed = FeedSource(title: "Advisories", url: "https://example.com/feed", category: .security)

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.path("bulletin.sqlite3"))
    }

    private func entries(_ ids: [String]) -> [FeedEntry] {
        ids.map { FeedEntry(id: $0, title: "Title \($0)", advisories: ["CVE-2024-0\($0)"]) }
    }

    @Test func aSecondStoreOfTheSameEntriesAddsNothing() throws {
        let first = try store.storeFetch(of: feed, entries: entries(["1", "2"]), status: 200, etag: "\"a\"",
                                         lastModified: nil)
        #expect(first.map(\.entry.id) == ["1", "2"])
        let second = try store.storeFetch(of: feed, entries: entries(["2", "3"]), status: 200, etag: nil,
                                          lastModified: nil)
        #expect(second.map(\.entry.id) == ["3"])
        #expect(try store.entryCount() == 3)
    }

    @Test func theSameEntryIdInTwoFeedsIsTwoEntries() throws {
        let other = FeedSource(title: "Other", url: "https://example.org/feed", category: .announcements)
        try store.storeFetch(of: feed, entries: entries(["1"]), status: 200, etag: nil, lastModified: nil)
        let new = try store.storeFetch(of: other, entries: entries(["1"]), status: 200, etag: nil, lastModified: nil)
        #expect(new.count == 1)
        #expect(new[0].category == .announcements)
    }

    @Test func validatorsAreKeptByteForByte() throws {
        try store.storeFetch(of: feed, entries: [], status: 200, etag: "W/\"x-1\"", lastModified: "Tue, 10 Oct 2023 12:00:00 GMT")
        let validators = try store.validators(for: feed.url)
        #expect(validators.etag == "W/\"x-1\"")
        #expect(validators.lastModified == "Tue, 10 Oct 2023 12:00:00 GMT")
    }

    @Test func aFailureKeepsWhatWasStoredBefore() throws {
        try store.storeFetch(of: feed, entries: entries(["1"]), status: 200, etag: "\"a\"", lastModified: nil)
        try store.recordFailure(of: feed, status: 500, error: "fetch: https://example.com/feed: HTTP 500\nmore") { _ in Date() }
        #expect(try store.entryCount() == 1)
        #expect(try store.validators(for: feed.url).etag == "\"a\"")
    }

    @Test func undeliveredTaggedEntriesComeOnceThenNotAgain() throws {
        let new = try store.storeFetch(of: feed, entries: entries(["1", "2"]), status: 200, etag: nil, lastModified: nil)
        try store.addTags([EntryTag(entryRowID: new[0].rowID, service: "nginx", alias: "nginx", field: "title"),
                           EntryTag(entryRowID: new[0].rowID, service: "curl", alias: "curl", field: "summary")])
        let pending = try store.undelivered(on: "mail")
        #expect(pending.count == 1)
        #expect(pending[0].entry.entry.id == "1")
        #expect(pending[0].entry.entry.advisories == ["CVE-2024-01"])
        #expect(pending[0].tags.map(\.service) == ["curl", "nginx"])
        try store.markDelivered([new[0].rowID], on: "mail")
        #expect(try store.undelivered(on: "mail").isEmpty)
        #expect(try store.undelivered(on: "other").count == 1)
    }

    @Test func reopeningKeepsTheDataAndTheSchema() throws {
        try store.storeFetch(of: feed, entries: entries(["1"]), status: 200, etag: nil, lastModified: nil)
        let reopened = try Store(path: directory.path("bulletin.sqlite3"))
        #expect(try reopened.entryCount() == 1)
    }

    @Test func aDatabaseFromANewerBulletinIsRefused() throws {
        let path = directory.path("newer.sqlite3")
        _ = try Store(path: path)
        let raw = try Store(path: path)
        _ = raw
        // Bump the version behind the store's back.
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                    ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version=999'); c.commit()", path])
        #expect(result.status == 0)
        let error = #expect(throws: StoreError.self) { _ = try Store(path: path) }
        #expect(error?.description.contains("newer than this bulletin knows") == true)
    }
}
