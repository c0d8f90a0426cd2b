import SQLite

/// The database's schema, as a list of migrations keyed by `PRAGMA user_version`:
/// migration N brings a database at version N-1 to version N. Append, never edit.
enum Schema {
    static let migrations: [String] = [
        // 1: feeds with their fetch state, entries once per (feed, entry id), tags, deliveries.
        """
        CREATE TABLE feed (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            category TEXT NOT NULL,
            etag TEXT,
            last_modified TEXT,
            last_attempt INTEGER,
            last_success INTEGER,
            last_status INTEGER,
            last_error TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE entry (
            id INTEGER PRIMARY KEY,
            feed_id INTEGER NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
            entry_id TEXT NOT NULL,
            title TEXT,
            link TEXT,
            published INTEGER,
            updated INTEGER,
            summary TEXT,
            authors TEXT NOT NULL DEFAULT '',
            categories TEXT NOT NULL DEFAULT '',
            advisories TEXT NOT NULL DEFAULT '',
            first_seen INTEGER NOT NULL,
            UNIQUE (feed_id, entry_id)
        );
        CREATE INDEX entry_published ON entry(published);
        CREATE TABLE tag (
            entry_id INTEGER NOT NULL REFERENCES entry(id) ON DELETE CASCADE,
            service TEXT NOT NULL,
            alias TEXT NOT NULL,
            field TEXT NOT NULL,
            PRIMARY KEY (entry_id, service)
        );
        CREATE TABLE delivery (
            entry_id INTEGER NOT NULL REFERENCES entry(id) ON DELETE CASCADE,
            channel TEXT NOT NULL,
            delivered_at INTEGER NOT NULL,
            PRIMARY KEY (entry_id, channel)
        );
        """,
        // 2 (digest and delivery): one row per send to a channel: 'sending' before it goes out,
        // 'accepted' in the transaction that records its deliveries, 'failed' with the reason,
        // 'interrupted' when a later run finds it still 'sending' (the process died mid-send).
        """
        CREATE TABLE dispatch (
            id INTEGER PRIMARY KEY,
            channel TEXT NOT NULL,
            message_id TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            status TEXT NOT NULL CHECK (status IN ('sending', 'accepted', 'failed', 'interrupted')),
            entries INTEGER NOT NULL,
            detail TEXT
        );
        CREATE INDEX dispatch_channel_status ON dispatch(channel, status);
        """,
        // 3 (matching): where each tag's hit is; severity, CVSS and known exploitation per entry; CISA's
        // KEV catalog; acknowledgements that hide entries from digests for a while.
        """
        ALTER TABLE tag ADD COLUMN position INTEGER;
        ALTER TABLE tag ADD COLUMN length INTEGER;
        CREATE TABLE assessment (
            entry_id INTEGER PRIMARY KEY REFERENCES entry(id) ON DELETE CASCADE,
            severity TEXT,
            cvss REAL,
            exploited TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE kev (
            cve_id TEXT PRIMARY KEY,
            vendor TEXT NOT NULL,
            product TEXT NOT NULL,
            name TEXT NOT NULL,
            date_added TEXT NOT NULL,
            due_date TEXT,
            ransomware TEXT
        );
        CREATE TABLE kev_catalog (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            location TEXT NOT NULL,
            version TEXT NOT NULL,
            released TEXT,
            etag TEXT,
            last_modified TEXT,
            loaded_at INTEGER NOT NULL
        );
        CREATE TABLE ack (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER REFERENCES entry(id) ON DELETE CASCADE,
            advisory TEXT,
            service TEXT,
            until INTEGER,
            reason TEXT,
            created INTEGER NOT NULL,
            CHECK ((entry_id IS NULL) <> (advisory IS NULL))
        );
        """,
    ]

    /// Brings the database to the newest version, one transaction per migration.
    static func migrate(_ db: SQLiteConnection) throws {
        let current = Int(try db.firstRow("PRAGMA user_version")?.int64(0) ?? 0)
        guard current <= migrations.count else {
            throw StoreError(path: db.path, reason: "database schema version \(current) is newer than this "
                + "bulletin knows (\(migrations.count)); upgrade bulletin")
        }
        for version in current..<migrations.count {
            try db.transaction {
                try db.executeScript(migrations[version])
                try db.executeScript("PRAGMA user_version = \(version + 1)")
            }
        }
    }
}
