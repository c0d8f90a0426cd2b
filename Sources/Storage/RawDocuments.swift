import Zlib
import FoundationEssentials
import Models
import SQLite

/// A feed's last fetched document as it arrived (after transfer decoding), with its
/// response headers: kept so a parser fix can re-parse without fetching, and so a user
/// can attach it to a bug report.
public struct RawDocument: Sendable, Hashable {
    /// The URL the document came from, after redirects.
    public var url: String
    public var fetchedAt: Date
    public var status: Int
    /// The response headers, in order.
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    /// The largest body the store reads back: the most `[fetch] max_body_bytes` allows.
    /// A stored body that would decompress to more is refused, not read.
    public static let largestBody = 1 << 30

    public init(url: String, fetchedAt: Date, status: Int, headers: [HTTPHeader], body: [UInt8]) {
        self.url = url
        self.fetchedAt = fetchedAt
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the last header `name` (any case), if any.
    public func header(_ name: String) -> String? {
        headers.last { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The document with its body gzip-compressed, ready to store. Compressing costs about
    /// 3 to 4 ms a megabyte, so the fetch's workers do it (`RefreshWorker.examine`), not the
    /// thread that writes to the store.
    public func compressed() -> CompressedDocument {
        CompressedDocument(url: url, fetchedAt: fetchedAt, status: status, headers: headers, gzipBody: Gzip.compress(body))
    }

    /// The document with `gzipBody` as its body in gzip: the body as it travelled, when it
    /// came gzip-encoded (it decodes to `body`: the fetcher decoded it), so it is not
    /// compressed a second time; `compressed()` when there is none.
    public func compressed(reusing gzipBody: [UInt8]?) -> CompressedDocument {
        guard let gzipBody else { return compressed() }
        return CompressedDocument(url: url, fetchedAt: fetchedAt, status: status, headers: headers, gzipBody: gzipBody)
    }
}

/// A raw document as the store keeps it: its body in gzip (RFC 1952, compressed by
/// `RawDocument.compressed()`), its other fields as they were.
public struct CompressedDocument: Sendable, Hashable {
    public var url: String
    public var fetchedAt: Date
    public var status: Int
    public var headers: [HTTPHeader]
    /// The body, gzip-compressed.
    public var gzipBody: [UInt8]
}

extension DocumentFetch {
    /// A fetch whose document is compressed here, on the caller's thread.
    public init(feed: FetchedFeed, document: RawDocument, checksum: String) {
        self.init(feed: feed, document: document.compressed(), checksum: checksum)
    }
}

extension Store {
    /// Keeps `document` as the last document of the feed `feedID`, replacing the one before.
    /// SQLite has no compression of its own, so the body comes gzip-compressed by the
    /// system's zlib (the `Zlib` module).
    func saveRawDocument(_ document: CompressedDocument, feedID: Int64) throws {
        let headers = document.headers.map { "\($0.name): \($0.value)\n" }.joined()
        try db.execute("""
            INSERT INTO raw_document (feed_id, url, fetched_at, status, headers, encoding, body)
            VALUES (?, ?, ?, ?, ?, 'gzip', ?)
            ON CONFLICT (feed_id) DO UPDATE SET url = excluded.url, fetched_at = excluded.fetched_at,
                status = excluded.status, headers = excluded.headers, encoding = excluded.encoding,
                body = excluded.body
            """, [feedID, document.url, Int64(document.fetchedAt.timeIntervalSince1970), document.status, headers,
                  document.gzipBody])
    }

    /// The last document fetched for the feed whose catalog URL is `url`, or nil. Its body
    /// is stored gzip-compressed ('gzip'), or as received by stores from before ('identity').
    public func rawDocument(for url: String) throws -> RawDocument? {
        guard let row = try db.firstRow("""
            SELECT r.url, r.fetched_at, r.status, r.headers, r.encoding, r.body
            FROM raw_document r JOIN feed f ON f.id = r.feed_id WHERE f.url = ?
            """, [url]) else { return nil }
        let stored = row.bytes(5) ?? []
        let body: [UInt8]
        switch row.string(4) {
        case "identity":
            body = stored
        case "gzip":
            do {
                body = try Gzip.decompress(stored, maxOutput: RawDocument.largestBody)
            } catch {
                throw StoreError(path: db.path, reason: "raw document of \(url): \(error)")
            }
        case let encoding:
            throw StoreError(path: db.path, reason: "raw document of \(url): unknown encoding '\(encoding ?? "")'")
        }
        let headers = (row.string(3) ?? "").split(separator: "\n").compactMap { line -> HTTPHeader? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return HTTPHeader(name: String(line[..<colon]),
                                      value: String(line[line.index(after: colon)...].drop(while: { $0 == " " })))
        }
        return RawDocument(url: row.string(0) ?? url, fetchedAt: Date(timeIntervalSince1970: TimeInterval(row.int64(1) ?? 0)),
                           status: row.int(2) ?? 0, headers: headers, body: body)
    }
}
