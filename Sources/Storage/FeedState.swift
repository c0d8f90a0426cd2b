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
        try db.transaction {
            try storeNotModified(source, at: now)
            try db.execute("UPDATE feed SET next_attempt = NULL, gone = 0 WHERE url = ?", [source.url])
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

    /// Records a fetched and parsed document in one transaction: the entries not stored
    /// before, the feed's state, its checksum and the raw document. Returns the new entries.
    @discardableResult
    public func recordFetch(of source: FeedSource, entries: [FeedEntry], document: RawDocument,
                            etag: String?, lastModified: String?, checksum: String,
                            at now: Date = WallClock.now()) throws -> [StoredEntry] {
        let feed = FetchedFeed(source: source, entries: entries, status: document.status, etag: etag,
                               lastModified: lastModified)
        return try recordFetches([DocumentFetch(feed: feed, document: document, checksum: checksum)], at: now)[0]
    }

    /// Records several fetched and parsed documents (each feed once) in one transaction, as
    /// `recordFetch` does each, their entries written together (see `storeFetches`).
    /// Returns each feed's new entries, in order.
    public func recordFetches(_ fetches: [DocumentFetch], at now: Date = WallClock.now()) throws -> [[StoredEntry]] {
        guard !fetches.isEmpty else { return [] }
        return try db.transaction {
            let changes = try storeFetches(fetches.map(\.feed), at: now)
            for fetch in fetches {
                try db.execute("UPDATE feed SET next_attempt = NULL, gone = 0, body_checksum = ? WHERE url = ?",
                               [fetch.checksum, fetch.feed.source.url])
                try saveRawDocument(fetch.document, for: fetch.feed.source)
            }
            return changes.map(\.new)
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
        try db.transaction {
            try storeFailure(of: source, status: status, error: error, at: now)
            let failures = try db.firstRow("SELECT consecutive_failures FROM feed WHERE url = ?", [source.url])?.int(0) ?? 1
            try db.execute("UPDATE feed SET next_attempt = ?, gone = ? WHERE url = ?",
                           [Int64(nextAttempt(failures).timeIntervalSince1970), gone, source.url])
            if let document { try saveRawDocument(document, for: source) }
            return failures
        }
    }

    /// Stores the entries of a stored document parsed again (after a parser fix) that
    /// were not stored before. The feed's fetch state stays as it was, but for the
    /// checksum, so the next fetch of the same document is known to be unchanged.
    @discardableResult
    public func recordReparse(of source: FeedSource, entries: [FeedEntry], document: RawDocument,
                              checksum: String) throws -> [StoredEntry] {
        try db.transaction {
            let columns = "etag, last_modified, last_attempt, last_success, last_status, last_error, consecutive_failures"
            let before = try db.firstRow("SELECT \(columns) FROM feed WHERE url = ?", [source.url])
            let new = try storeFetch(of: source, entries: entries, status: document.status, etag: before?.string(0),
                                     lastModified: before?.string(1))
            if let before {
                try db.execute("""
                    UPDATE feed SET last_attempt = ?, last_success = ?, last_status = ?, last_error = ?,
                        consecutive_failures = ?, body_checksum = ? WHERE url = ?
                    """, [before[2], before[3], before[4], before[5], before[6], checksum, source.url])
            }
            return new
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
