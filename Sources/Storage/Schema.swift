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
        // 2 (fetcher): where a feed moved (301/308), when to try a failing feed again,
        // whether it is gone (410), the checksum of its last document, and that document.
        """
        ALTER TABLE feed ADD COLUMN moved_url TEXT;
        ALTER TABLE feed ADD COLUMN next_attempt INTEGER;
        ALTER TABLE feed ADD COLUMN gone INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE feed ADD COLUMN body_checksum TEXT;
        CREATE INDEX feed_moved_url ON feed(moved_url);
        CREATE TABLE raw_document (
            feed_id INTEGER PRIMARY KEY REFERENCES feed(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            fetched_at INTEGER NOT NULL,
            status INTEGER NOT NULL,
            headers TEXT NOT NULL,
            encoding TEXT NOT NULL DEFAULT 'identity',
            body BLOB NOT NULL
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
