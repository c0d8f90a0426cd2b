import FoundationEssentials
import Models
import SQLite

/// What the store knows of one feed's fetching: validators, health, schedule, moves.
public struct FeedState: Sendable, Hashable {
    /// The catalog's URL: the feed's identity.
    public var url: String
    public var title: String
    /// Where the feed lives now, when a permanent redirect moved it.
    public var movedURL: String?
    public var etag: String?
    public var lastModified: String?
    public var lastAttempt: Date?
    public var lastSuccess: Date?
    public var lastStatus: Int?
    /// The last error, one line; nil once the feed works again.
    public var lastError: String?
    public var consecutiveFailures: Int
    /// Not to be tried before this time (backoff, Retry-After); nil: due on every run.
    public var nextAttempt: Date?
    /// The last answer was 410 Gone.
    public var gone: Bool
    /// The checksum of the last document parsed and stored.
    public var bodyChecksum: String?

    /// True when a run at `now` should fetch the feed: never tried, healthy, or its
    /// backoff is over (within a minute, so a daily job is not a minute too early).
    public func isDue(at now: Date) -> Bool {
        guard let nextAttempt else { return true }
        return nextAttempt.timeIntervalSince(now) <= 60
    }
}

/// A fetched and parsed feed document to record (see `Store.recordFetches`).
public struct DocumentFetch: Sendable {
    public var feed: FetchedFeed
    /// Compressed by the worker that parsed it (`RawDocument.compressed()`), not by the store.
    public var document: CompressedDocument
    /// The checksum of `document`'s body (`BodyChecksum`), to tell the same body next time.
    public var checksum: String

    public init(feed: FetchedFeed, document: CompressedDocument, checksum: String) {
        self.feed = feed
        self.document = document
        self.checksum = checksum
    }
}

extension Store {
    private static let stateColumns = """
        url, title, moved_url, etag, last_modified, last_attempt, last_success, last_status, last_error,
        consecutive_failures, next_attempt, gone, body_checksum
        """

    /// The state of every feed the store has seen, by catalog URL.
    public func feedStates() throws -> [String: FeedState] {
        var states: [String: FeedState] = [:]
        for row in try db.rows("SELECT \(Self.stateColumns) FROM feed") {
            let state = Self.state(row)
            states[state.url] = state
        }
        return states
    }

    /// The state of the feed whose catalog URL is `url`, or nil when never fetched.
    public func feedState(for url: String) throws -> FeedState? {
        try db.firstRow("SELECT \(Self.stateColumns) FROM feed WHERE url = ?", [url]).map(Self.state)
    }

    /// When the catalog now names a feed by the URL it moved to, the feed record takes
    /// that URL as its identity (keeping its entries, so nothing is delivered twice).
    public func adoptMovedFeeds(_ sources: [FeedSource]) throws {
        try db.transaction {
            for source in sources {
                guard try db.firstRow("SELECT 1 FROM feed WHERE url = ?", [source.url]) == nil else { continue }
                try db.execute("UPDATE feed SET url = ?, moved_url = NULL WHERE moved_url = ?", [source.url, source.url])
            }
        }
    }

    /// Records a 304: only the check's time and the feed's health change.
    public func recordNotModified(_ source: FeedSource, at now: Date = WallClock.now()) throws {
        let seconds = Int64(now.timeIntervalSince1970)
        try db.transaction {
            let feedID = try upsertFeed(source)
            try db.execute("""
                UPDATE feed SET last_attempt = ?, last_success = ?, last_status = 304, last_error = NULL,
                    consecutive_failures = 0, next_attempt = NULL, gone = 0 WHERE id = ?
                """, [seconds, seconds, feedID])
        }
    }

    /// Records a 200 whose body is the one stored before: no parse, no entries; the
    /// validators are kept for the next conditional request.
    public func recordUnchanged(_ source: FeedSource, status: Int, etag: String?, lastModified: String?,
                                at now: Date = WallClock.now()) throws {
        let seconds = Int64(now.timeIntervalSince1970)
        try db.transaction {
            let feedID = try upsertFeed(source)
            try db.execute("""
                UPDATE feed SET etag = ?, last_modified = ?, last_attempt = ?, last_success = ?, last_status = ?,
                    last_error = NULL, consecutive_failures = 0, next_attempt = NULL, gone = 0 WHERE id = ?
                """, [etag, lastModified, seconds, seconds, status, feedID])
        }
    }

    /// Records several fetched and parsed documents (each feed once) in one transaction:
    /// each feed's state (its validators, its health, the checksum of its document), the
    /// entries not stored before, the revised ones updated in place (see `EntryWriter`), and
    /// its raw document. A failure records none of them. Returns each feed's new entries, in order.
    public func recordFetches(_ fetches: [DocumentFetch], at now: Date = WallClock.now()) throws -> [[StoredEntry]] {
        try writeFetches(fetches.map { ($0.feed, ($0.document, $0.checksum)) }, at: now).map(\.new)
    }

    /// The one write of successful fetches, behind `recordFetches`; the tests' shorter forms
    /// (`storeFetches`) give no document, and the feed keeps the checksum it had.
    func writeFetches(_ fetches: [(feed: FetchedFeed, document: (body: CompressedDocument, checksum: String)?)],
                      at now: Date) throws -> [EntryChanges] {
        guard !fetches.isEmpty else { return [] }
        let seconds = Int64(now.timeIntervalSince1970)
        return try db.transaction {
            let feeds = try fetches.map { fetch in
                let feedID = try upsertFeed(fetch.feed.source)
                try db.execute("""
                    UPDATE feed SET etag = ?, last_modified = ?, last_attempt = ?, last_success = ?, last_status = ?,
                        last_error = NULL, consecutive_failures = 0, next_attempt = NULL, gone = 0,
                        body_checksum = coalesce(?, body_checksum) WHERE id = ?
                    """, [fetch.feed.etag, fetch.feed.lastModified, seconds, seconds, fetch.feed.status,
                          fetch.document?.checksum, feedID])
                return EntryWriter.Feed(id: feedID, fetch: fetch.feed)
            }
            let changes = try EntryWriter(db: db, staging: staging).write(feeds, at: seconds)
            for (fetch, feed) in zip(fetches, feeds) {
                if let document = fetch.document { try saveRawDocument(document.body, feedID: feed.id) }
            }
            return changes
        }
    }

    /// Runs `body` in one transaction, so the records it makes (of many feeds, say) are
    /// committed together, or none of them when it throws. Records made in it are nested
    /// transactions: one that fails undoes only its own writes.
    public func batch<T>(_ body: () throws -> T) throws -> T {
        try db.transaction(body)
    }

    /// Records a failure: one more in a row, the error, when to try again (from the
    /// count of failures in a row, which it returns), and the document when one came
    /// but could not be parsed. What was stored before is left as it was.
    @discardableResult
    public func recordFailure(of source: FeedSource, status: Int?, error: String, gone: Bool = false,
                              document: RawDocument? = nil, at now: Date = WallClock.now(),
                              nextAttempt: (_ failures: Int) -> Date) throws -> Int {
        let oneLine = error.split(whereSeparator: \.isNewline).joined(separator: " ")
        return try db.transaction {
            let feedID = try upsertFeed(source)
            let failures = try db.firstRow("""
                UPDATE feed SET last_attempt = ?, last_status = ?, last_error = ?,
                    consecutive_failures = consecutive_failures + 1 WHERE id = ? RETURNING consecutive_failures
                """, [Int64(now.timeIntervalSince1970), status, oneLine, feedID])?.int(0) ?? 1
            try db.execute("UPDATE feed SET next_attempt = ?, gone = ? WHERE id = ?",
                           [Int64(nextAttempt(failures).timeIntervalSince1970), gone, feedID])
            if let document { try saveRawDocument(document.compressed(), feedID: feedID) }
            return failures
        }
    }

    /// Stores the entries of a stored document parsed again (after a parser fix) that
    /// were not stored before, and the document's checksum, so the next fetch of the same
    /// document is known to be unchanged; the feed's fetch state stays as it was.
    @discardableResult
    public func recordReparse(of source: FeedSource, entries: [FeedEntry], checksum: String,
                              at now: Date = WallClock.now()) throws -> [StoredEntry] {
        try db.transaction {
            let feedID = try upsertFeed(source)
            try db.execute("UPDATE feed SET body_checksum = ? WHERE id = ?", [checksum, feedID])
            return try EntryWriter(db: db, staging: staging).write([EntryWriter.Feed(id: feedID, fetch: FetchedFeed(source: source, entries: entries))],
                                                 at: Int64(now.timeIntervalSince1970))[0].new
        }
    }

    /// Records that the feed moved for good (301/308): it is fetched from `url` from now on.
    public func recordMove(of source: FeedSource, to url: String) throws {
        try db.execute("UPDATE feed SET moved_url = ? WHERE url = ?", [url == source.url ? nil : url, source.url])
    }

    private static func state(_ row: SQLiteRow) -> FeedState {
        FeedState(url: row.string(0) ?? "", title: row.string(1) ?? "", movedURL: row.string(2), etag: row.string(3),
                  lastModified: row.string(4), lastAttempt: row.int64(5).map(date), lastSuccess: row.int64(6).map(date),
                  lastStatus: row.int(7), lastError: row.string(8), consecutiveFailures: row.int(9) ?? 0,
                  nextAttempt: row.int64(10).map(date), gone: row.int(11) == 1, bodyChecksum: row.string(12))
    }
}
