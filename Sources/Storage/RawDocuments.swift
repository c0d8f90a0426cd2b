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
}

extension Store {
    /// Keeps `document` as the feed's last document, replacing the one before.
    /// Stored as received: SQLite has no compression of its own, and the only C
    /// libraries Bulletin may use (libcurl, libxml2, SQLite) offer none to call.
    func saveRawDocument(_ document: RawDocument, for source: FeedSource) throws {
        let headers = document.headers.map { "\($0.name): \($0.value)\n" }.joined()
        try db.execute("""
            INSERT INTO raw_document (feed_id, url, fetched_at, status, headers, encoding, body)
            SELECT id, ?, ?, ?, ?, 'identity', coalesce(?, x'') FROM feed WHERE url = ?
            ON CONFLICT (feed_id) DO UPDATE SET url = excluded.url, fetched_at = excluded.fetched_at,
                status = excluded.status, headers = excluded.headers, encoding = excluded.encoding,
                body = excluded.body
            """, [document.url, Int64(document.fetchedAt.timeIntervalSince1970), document.status, headers,
                  document.body, source.url])
    }

    /// The last document fetched for the feed whose catalog URL is `url`, or nil.
    public func rawDocument(for url: String) throws -> RawDocument? {
        guard let row = try db.firstRow("""
            SELECT r.url, r.fetched_at, r.status, r.headers, r.encoding, r.body
            FROM raw_document r JOIN feed f ON f.id = r.feed_id WHERE f.url = ?
            """, [url]) else { return nil }
        guard row.string(4) == "identity" else {
            throw StoreError(path: db.path, reason: "raw document of \(url): unknown encoding '\(row.string(4) ?? "")'")
        }
        let headers = (row.string(3) ?? "").split(separator: "\n").compactMap { line -> HTTPHeader? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return HTTPHeader(name: String(line[..<colon]),
                                      value: String(line[line.index(after: colon)...].drop(while: { $0 == " " })))
        }
        return RawDocument(url: row.string(0) ?? url, fetchedAt: Date(timeIntervalSince1970: TimeInterval(row.int64(1) ?? 0)),
                           status: row.int(2) ?? 0, headers: headers, body: row.bytes(5) ?? [])
    }
}
