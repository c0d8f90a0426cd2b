import SQLite

/// The database's schema, as a list of migrations keyed by `PRAGMA user_version`:
/// migration N brings a database at version N-1 to version N. Append, never edit.
/// Migrations may call the SQL functions `ContentHash.register` defines.
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
        // 4 (store and search): revisions, advisory ids per entry (clusters), run summaries,
        // full-text search.
        """
        ALTER TABLE entry ADD COLUMN content_hash TEXT;
        ALTER TABLE entry ADD COLUMN previous_hash TEXT;
        ALTER TABLE entry ADD COLUMN revised_at INTEGER;
        UPDATE entry SET content_hash = bulletin_content_hash(title, summary);
        CREATE INDEX entry_date ON entry(coalesce(published, updated, first_seen));
        CREATE INDEX tag_service ON tag(service COLLATE NOCASE, entry_id);
        CREATE TABLE advisory (
            advisory_id TEXT NOT NULL,
            entry_id INTEGER NOT NULL REFERENCES entry(id) ON DELETE CASCADE,
            PRIMARY KEY (advisory_id, entry_id)
        ) WITHOUT ROWID;
        CREATE INDEX advisory_entry ON advisory(entry_id);
        WITH RECURSIVE split(entry_id, advisory_id, rest) AS (
            SELECT id, '', advisories || char(10) FROM entry WHERE advisories != ''
            UNION ALL
            SELECT entry_id, substr(rest, 1, instr(rest, char(10)) - 1), substr(rest, instr(rest, char(10)) + 1)
            FROM split WHERE rest != ''
        )
        INSERT OR IGNORE INTO advisory (advisory_id, entry_id)
        SELECT upper(advisory_id), entry_id FROM split WHERE advisory_id != '';
        CREATE TABLE run (
            id INTEGER PRIMARY KEY,
            command TEXT NOT NULL,
            pid INTEGER NOT NULL,
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            exit_code INTEGER,
            feeds INTEGER NOT NULL DEFAULT 0,
            changed INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            new_entries INTEGER NOT NULL DEFAULT 0,
            revised_entries INTEGER NOT NULL DEFAULT 0,
            tagged INTEGER NOT NULL DEFAULT 0,
            failures TEXT NOT NULL DEFAULT ''
        );
        CREATE VIRTUAL TABLE entry_fts USING fts5(
            title, summary, advisories,
            content = 'entry', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
        );
        INSERT INTO entry_fts (entry_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0, 5.0)');
        CREATE TRIGGER entry_fts_insert AFTER INSERT ON entry BEGIN
            INSERT INTO entry_fts (rowid, title, summary, advisories)
            VALUES (new.id, new.title, new.summary, new.advisories);
        END;
        CREATE TRIGGER entry_fts_delete AFTER DELETE ON entry BEGIN
            INSERT INTO entry_fts (entry_fts, rowid, title, summary, advisories)
            VALUES ('delete', old.id, old.title, old.summary, old.advisories);
        END;
        CREATE TRIGGER entry_fts_update AFTER UPDATE OF title, summary, advisories ON entry BEGIN
            INSERT INTO entry_fts (entry_fts, rowid, title, summary, advisories)
            VALUES ('delete', old.id, old.title, old.summary, old.advisories);
            INSERT INTO entry_fts (rowid, title, summary, advisories)
            VALUES (new.id, new.title, new.summary, new.advisories);
        END;
        INSERT INTO entry_fts (entry_fts) VALUES ('rebuild');
        """,
        // 5 (fetcher): where a feed moved (301/308), when to try a failing feed again,
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
        // 6 (store speed): no query reads `published` alone (dates go through entry_date), and
        // every new entry paid for this index with a write at a random place. entry_filter
        // holds, by row id, what a search's filters read of an entry (feed, dates), so a
        // search with words and filters reads this small index per match, not the whole entry.
        """
        DROP INDEX entry_published;
        CREATE INDEX entry_filter ON entry(id, feed_id, published, updated, first_seen);
        """,
        // 7 (store speed): FTS5 keeps up to 32 MiB of new terms in memory before it writes them
        // out as a segment (default 1 MiB: a bulk load's batch of feeds became dozens of small
        // segments, each merged again later), and merges segments 16 at a time, not 4, so each
        // term is rewritten about half as often as the index grows; a search reads a few more
        // segments. Both settings live in entry_fts's config table.
        """
        INSERT INTO entry_fts (entry_fts, rank) VALUES ('hashsize', 33554432);
        INSERT INTO entry_fts (entry_fts, rank) VALUES ('automerge', 16);
        """,
        // 8 (store speed): no `advisory` table. Its index, written at random places (one row
        // per id), took a third of a bulk load's time; clusters and `cve:` now find their
        // candidates in entry_fts (see `AdvisoryTerms`) and confirm them in entry.advisories.
        // entry_fts indexes each id with its hyphens removed, as one term (`cve20243094`): as
        // the phrase `cve 2024 3094`, every lookup read the postings of "cve", which nearly
        // every entry has. The index is rebuilt from the new column `advisory_terms`.
        """
        DROP TABLE advisory;
        ALTER TABLE entry ADD COLUMN advisory_terms TEXT GENERATED ALWAYS AS (
            replace(advisories, '-', '')
        ) VIRTUAL;
        DROP TRIGGER entry_fts_insert;
        DROP TRIGGER entry_fts_delete;
        DROP TRIGGER entry_fts_update;
        DROP TABLE entry_fts;
        CREATE VIRTUAL TABLE entry_fts USING fts5(
            title, summary, advisory_terms,
            content = 'entry', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
        );
        INSERT INTO entry_fts (entry_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0, 5.0)');
        INSERT INTO entry_fts (entry_fts, rank) VALUES ('hashsize', 33554432);
        INSERT INTO entry_fts (entry_fts, rank) VALUES ('automerge', 16);
        CREATE TRIGGER entry_fts_insert AFTER INSERT ON entry BEGIN
            INSERT INTO entry_fts (rowid, title, summary, advisory_terms)
            VALUES (new.id, new.title, new.summary, new.advisory_terms);
        END;
        CREATE TRIGGER entry_fts_delete AFTER DELETE ON entry BEGIN
            INSERT INTO entry_fts (entry_fts, rowid, title, summary, advisory_terms)
            VALUES ('delete', old.id, old.title, old.summary, old.advisory_terms);
        END;
        CREATE TRIGGER entry_fts_update AFTER UPDATE OF title, summary, advisories ON entry BEGIN
            INSERT INTO entry_fts (entry_fts, rowid, title, summary, advisory_terms)
            VALUES ('delete', old.id, old.title, old.summary, old.advisory_terms);
            INSERT INTO entry_fts (rowid, title, summary, advisory_terms)
            VALUES (new.id, new.title, new.summary, new.advisory_terms);
        END;
        INSERT INTO entry_fts (entry_fts) VALUES ('rebuild');
        """,
        // 9 (relevance): a tag says how strongly the entry is tied to the service (`subject`:
        // about it; `mention`: named in passing) and which rule said so. Tags stored before
        // keep counting as subjects until `bulletin tag` re-tags them.
        """
        ALTER TABLE tag ADD COLUMN strength TEXT NOT NULL DEFAULT 'subject';
        ALTER TABLE tag ADD COLUMN rule TEXT NOT NULL DEFAULT '';
        """,
        // 10 (tagging): the entries stored but not tagged yet. A refresh stores a feed's new
        // entries in one transaction and saves their tags in a later one; a run killed between
        // the two, or a disk full at the second, left them untagged for good, and no digest
        // ever carried them. An entry is listed here by the transaction that stores it and
        // leaves with the one that saves its tags; a refresh tags whatever is still listed.
        """
        CREATE TABLE untagged_entry (
            entry_id INTEGER PRIMARY KEY REFERENCES entry(id) ON DELETE CASCADE
        );
        """,
        // 11 (retention): the entries `prune` deleted that their feed may still list. A feed
        // that keeps old entries in its document (a few advisories a year, the last twelve
        // listed) gave them back at its next change as new, and every channel got them again,
        // after every prune. A fetch does not store an entry listed here; an entry its feed's
        // document no longer lists leaves.
        """
        CREATE TABLE pruned_entry (
            feed_id INTEGER NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
            entry_id TEXT NOT NULL,
            PRIMARY KEY (feed_id, entry_id)
        ) WITHOUT ROWID;
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
                // Another process may have migrated while this one waited for the write lock.
                guard try db.firstRow("PRAGMA user_version")?.int(0) == version else { return }
                try db.executeScript(migrations[version])
                try db.executeScript("PRAGMA user_version = \(version + 1)")
            }
        }
    }
}
