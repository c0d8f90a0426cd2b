import FoundationEssentials
import Models
import SQLite

/// What the store knows of CISA's Known Exploited Vulnerabilities catalog.
public struct KEVStatus: Sendable, Hashable {
    /// The file or URL it was last loaded from.
    public let location: String
    public let version: String
    public let released: String?
    public let count: Int
    public let loadedAt: Date
    public let etag: String?
    public let lastModified: String?
}

/// The KEV catalog in the store, and the `kev` flags of entries joined to it on CVE ids.
extension Store {
    /// Replaces the stored catalog with `records` and re-joins every entry's CVEs to it, in one
    /// transaction. Returns how many entries are now flagged as known exploited.
    @discardableResult
    public func replaceKEV(_ records: [KnownExploited], location: String, version: String, released: String?,
                           etag: String? = nil, lastModified: String? = nil, at now: Date = WallClock.now()) throws -> Int {
        try db.transaction {
            try db.execute("DELETE FROM kev")
            for record in records {
                try db.execute("""
                    INSERT OR REPLACE INTO kev (cve_id, vendor, product, name, date_added, due_date, ransomware)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [record.cveID, record.vendor, record.product, record.name, record.dateAdded,
                          record.dueDate, record.ransomware])
            }
            try db.execute("""
                INSERT OR REPLACE INTO kev_catalog (id, location, version, released, etag, last_modified, loaded_at)
                VALUES (1, ?, ?, ?, ?, ?, ?)
                """, [location, version, released, etag, lastModified, Int64(now.timeIntervalSince1970)])
            return try rejoinKEV()
        }
    }

    /// Records that the catalog at `location` has not changed (HTTP 304).
    public func touchKEV(at now: Date = WallClock.now()) throws {
        try db.execute("UPDATE kev_catalog SET loaded_at = ? WHERE id = 1", [Int64(now.timeIntervalSince1970)])
    }

    /// Sets every assessed entry's exploited CVEs from the stored catalog; returns how many have one.
    /// Only entries flagged now or naming one of the catalog's CVEs (entry_fts's candidates,
    /// see AdvisoryTerms) can change, and only those that do are written.
    private func rejoinKEV() throws -> Int {
        let known = try kevIDs()
        var sql = "SELECT e.id, e.advisories, a.exploited FROM entry e JOIN assessment a ON a.entry_id = e.id "
            + "WHERE a.exploited != ''"
        var values: [any SQLiteBindable] = []
        if let expression = AdvisoryTerms.expression(anyOf: known) {
            sql += " OR " + Self.inFullTextMatches
            values.append(expression)
        }
        var flagged = 0
        for row in try db.rows(sql, values) {
            let exploited = Self.list(Self.list(row.string(1)).filter { known.contains($0.uppercased()) })
            if !exploited.isEmpty { flagged += 1 }
            if exploited != row.string(2) {
                try db.execute("UPDATE assessment SET exploited = ? WHERE entry_id = ?", [exploited, row.int64(0)])
            }
        }
        return flagged
    }

    /// The CVE ids of the stored catalog.
    public func kevIDs() throws -> Set<String> {
        Set(try db.rows("SELECT cve_id FROM kev").compactMap { $0.string(0) })
    }

    /// The stored catalog's record for `cveID`, if it lists it.
    public func kevRecord(_ cveID: String) throws -> KnownExploited? {
        try db.firstRow("""
            SELECT cve_id, vendor, product, name, date_added, due_date, ransomware FROM kev WHERE cve_id = ?
            """, [cveID.uppercased()]).map { row in
            KnownExploited(cveID: row.string(0) ?? "", vendor: row.string(1) ?? "", product: row.string(2) ?? "",
                      name: row.string(3) ?? "", dateAdded: row.string(4) ?? "", dueDate: row.string(5),
                      ransomware: row.string(6))
        }
    }

    /// Where and when the catalog was last loaded, or nil when it never was.
    public func kevStatus() throws -> KEVStatus? {
        guard let row = try db.firstRow("""
            SELECT location, version, released, loaded_at, etag, last_modified, (SELECT count(*) FROM kev)
            FROM kev_catalog WHERE id = 1
            """) else { return nil }
        return KEVStatus(location: row.string(0) ?? "", version: row.string(1) ?? "", released: row.string(2),
                         count: row.int(6) ?? 0, loadedAt: Self.date(row.int64(3) ?? 0),
                         etag: row.string(4), lastModified: row.string(5))
    }
}
