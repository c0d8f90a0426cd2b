import Foundation
import Models
import SQLite
@testable import Storage
import TestSupport
import Testing

/// Raw documents as the store keeps them: gzip-compressed, read back byte for byte; rows
/// written before compression ('identity') still read; a broken row a clear error.
@Suite struct RawDocumentTests {
    let directory: TemporaryDirectory
    let store: Store
    let feed = FeedSource(title: "Advisories", url: "https://example.com/feed", category: .security)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.path("bulletin.sqlite3"))
    }

    private func document(_ body: [UInt8]) -> RawDocument {
        RawDocument(url: feed.url + "?moved", fetchedAt: now, status: 200,
                    headers: [.init(name: "Content-Type", value: "application/rss+xml")], body: body)
    }

    /// A feed document of 17 KB, repetitive as real feeds are.
    private func feedDocument() throws -> RawDocument {
        document([UInt8](try Data(contentsOf: TestPaths.fixture("feeds/atom-package-advisories-repeated-ids.atom"))))
    }

    private func database() throws -> SQLiteConnection {
        try SQLiteConnection(path: directory.path("bulletin.sqlite3"))
    }

    private func storedRow() throws -> (encoding: String?, body: [UInt8]) {
        let row = try #require(try database().firstRow("SELECT encoding, body FROM raw_document"))
        return (row.string(0), row.bytes(1) ?? [])
    }

    private func readError() -> String? {
        do {
            _ = try store.rawDocument(for: feed.url)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func aFetchedDocumentIsStoredGzipAndReadBackByteForByte() throws {
        let raw = try feedDocument()
        try store.recordFetch(of: feed, entries: [], document: raw, etag: nil, lastModified: nil, checksum: "a", at: now)
        let stored = try storedRow()
        #expect(stored.encoding == "gzip")
        #expect(stored.body.prefix(2) == [0x1F, 0x8B])
        #expect(stored.body.count * 3 < raw.body.count)
        #expect(try store.rawDocument(for: feed.url) == raw)
    }

    @Test func aDocumentCompressedByTheWorkerIsStoredAsItCame() throws {
        let raw = try feedDocument()
        let compressed = raw.compressed()
        let fetched = FetchedFeed(source: feed, entries: [FeedEntry(id: "1")], status: 200, etag: nil, lastModified: nil)
        _ = try store.recordFetches([DocumentFetch(feed: fetched, document: compressed, checksum: "c")], at: now)
        #expect(try storedRow().body == compressed.gzipBody)
        #expect(try store.rawDocument(for: feed.url) == raw)
    }

    /// A body that came gzip-encoded is stored in the server's gzip, not compressed again.
    @Test func aBodyThatCameInGzipIsStoredAsItTravelled() throws {
        let raw = try feedDocument()
        let plain = directory.path("feed.xml"), gzipped = directory.path("feed.xml.gz")
        try Data(raw.body).write(to: URL(fileURLWithPath: plain))
        _ = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import gzip, sys; open(sys.argv[2], 'wb').write(gzip.compress(open(sys.argv[1], 'rb').read(), 9))
            """, plain, gzipped])
        let wire = [UInt8](try Data(contentsOf: URL(fileURLWithPath: gzipped)))
        #expect(wire.count < raw.compressed().gzipBody.count)  // level 9, ours is 1
        let fetched = FetchedFeed(source: feed, entries: [FeedEntry(id: "1")], status: 200, etag: nil, lastModified: nil)
        _ = try store.recordFetches([DocumentFetch(feed: fetched, document: raw.compressed(reusing: wire), checksum: "c")],
                                    at: now)
        #expect(try storedRow().body == wire)
        #expect(try store.rawDocument(for: feed.url) == raw)
        #expect(raw.compressed(reusing: nil) == raw.compressed())
    }

    @Test func aDocumentThatFailedToParseIsStoredGzipToo() throws {
        let raw = document(Array("<rss><channel><title>cut".utf8))
        try store.recordFailure(of: feed, status: 200, error: "parse: x", document: raw, at: now) { _ in now }
        #expect(try storedRow().encoding == "gzip")
        #expect(try store.rawDocument(for: feed.url) == raw)
    }

    @Test func aRowStoredBeforeCompressionIsStillRead() throws {
        let raw = try feedDocument()
        try store.recordFetch(of: feed, entries: [], document: raw, etag: nil, lastModified: nil, checksum: "a", at: now)
        try database().execute("UPDATE raw_document SET encoding = 'identity', body = ?", [raw.body])
        #expect(try store.rawDocument(for: feed.url) == raw)
    }

    /// Rows written before the store used zlib (by Bulletin's own DEFLATE) are gzip too.
    @Test func aRowTheOldCompressorWroteIsStillRead() throws {
        let raw = try feedDocument()
        try store.recordFetch(of: feed, entries: [], document: raw, etag: nil, lastModified: nil, checksum: "a", at: now)
        let old = [UInt8](try Data(contentsOf: TestPaths.fixture("gzip/atom-package-advisories-by-the-old-deflate.gz")))
        #expect(old != (try storedRow().body))
        try database().execute("UPDATE raw_document SET body = ?", [old])
        #expect(try store.rawDocument(for: feed.url) == raw)
    }

    @Test func aCorruptBodyIsAnErrorNamingTheFeed() throws {
        try store.recordFetch(of: feed, entries: [], document: try feedDocument(), etag: nil, lastModified: nil,
                              checksum: "a", at: now)
        var body = try storedRow().body
        body[body.count - 8] ^= 0xFF  // the CRC-32
        try database().execute("UPDATE raw_document SET body = ?", [body])
        let path = directory.path("bulletin.sqlite3")
        #expect(readError() == "store: \(path): raw document of \(feed.url): gzip: corrupt data (incorrect data check)")
        try database().execute("UPDATE raw_document SET body = ?", [Array(body.prefix(body.count / 2))])
        #expect(readError() == "store: \(path): raw document of \(feed.url): gzip: truncated stream")
        try database().execute("UPDATE raw_document SET body = x'00'")
        #expect(readError() == "store: \(path): raw document of \(feed.url): gzip: truncated header")
    }

    @Test func anUnknownEncodingIsAnErrorNamingTheFeed() throws {
        try store.recordFetch(of: feed, entries: [], document: document([1, 2, 3]), etag: nil, lastModified: nil,
                              checksum: "a", at: now)
        try database().execute("UPDATE raw_document SET encoding = 'br'")
        #expect(readError() == "store: \(directory.path("bulletin.sqlite3")): raw document of \(feed.url): unknown encoding 'br'")
    }
}
