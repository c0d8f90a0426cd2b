import Foundation
import Models
import SQLite
@testable import Storage
import TestSupport
import Testing

/// `bulletin doctor`: SQLite's integrity check over the store, and what to do when it fails.
@Suite struct DoctorCommandTests {
    let directory: TemporaryDirectory
    var path: String { directory.path("bulletin.sqlite3") }

    init() throws {
        directory = try TemporaryDirectory()
        try directory.write("", to: "config/bulletin.toml")
        let store = try Store(path: directory.path("bulletin.sqlite3"))
        let summary = String(repeating: "a long summary of a flaw in openssl ", count: 40)
        try store.storeFetch(of: FeedSource(title: "f", url: "https://example.com/f", category: .security),
                             entries: (0..<300).map { FeedEntry(id: "\($0)", title: "entry \($0)", summary: summary) },
                             status: 200, etag: nil, lastModified: nil)
    }

    private func doctor() throws -> ProcessResult {
        try runBulletin(["--config", directory.path("config"), "--db", path, "doctor"])
    }

    @Test func aSoundStoreIsOk() throws {
        let result = try doctor()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "doctor: \(path): ok\n")
    }

    @Test func aDamagedStoreIsNamedWithWhatToDo() throws {
        try damageEntryTable(path)
        let result = try doctor()
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("doctor: \(path) is damaged") || result.stderr.contains("is damaged or is not a database"),
                "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("keep a copy of \(path)"))
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
    }

    @Test func asJSONItSaysOkOrListsTheProblems() throws {
        func json() throws -> (Int32, [String: Any]) {
            let result = try runBulletin(["--config", directory.path("config"), "--db", path, "doctor", "--format", "json"])
            return (result.status, try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]))
        }
        let (status, sound) = try json()
        #expect(status == 0 && sound["ok"] as? Bool == true && (sound["problems"] as? [Any])?.isEmpty == true)
        #expect(sound["database"] as? String == path && sound["advice"] is NSNull)
        try damageEntryTable(path)
        let (damagedStatus, damaged) = try json()
        #expect(damagedStatus == 1 && damaged["ok"] as? Bool == false)
        #expect((damaged["problems"] as? [String])?.isEmpty == false)
        #expect((damaged["advice"] as? String)?.hasPrefix("keep a copy of ") == true)
    }

    /// Changes the file behind the search index's back: the title of entry 5 is changed
    /// with the trigger that would update the index dropped, as a bug or a hand edit could.
    private func desynchronizeSearchIndex() throws {
        let db = try SQLiteConnection(path: path)
        try db.executeScript("""
            DROP TRIGGER entry_fts_update;
            UPDATE entry SET title = 'a title the index never saw' WHERE id = 5;
            """)
    }

    @Test func aSearchIndexThatNoLongerMatchesTheEntriesIsFoundAndRebuilt() throws {
        try desynchronizeSearchIndex()
        #expect(try Store.integrityCheck(ofFileAt: path) == ["ok"], "SQLite's own check does not see it")
        let found = try doctor()
        #expect(found.status == 1)
        #expect(found.stdout.hasPrefix("doctor: \(path): the search index is damaged or does not match the entries"),
                "\(found.stdout)")
        #expect(found.stderr.hasSuffix("doctor: run 'bulletin doctor --rebuild-index' to build it again from the entries\n"))

        let rebuilt = try runBulletin(["--config", directory.path("config"), "--db", path, "doctor", "--rebuild-index"])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(rebuilt.stderr.contains("rebuilt the search index of 300 entries"))
        #expect(rebuilt.stdout == "doctor: \(path): ok\n")
        let search = try runBulletin(["--config", directory.path("config"), "--db", path, "search", "never saw",
                                      "--format", "json"])
        #expect(search.stdout.contains("a title the index never saw"), "\(search.stdout) \(search.stderr)")
    }

    @Test func damagedSearchIndexPagesAreFoundThoughTheFileIsSound() throws {
        let db = try SQLiteConnection(path: path)
        try db.executeScript("DELETE FROM entry_fts_data WHERE id IN (SELECT id FROM entry_fts_data WHERE id > 10 LIMIT 3)")
        #expect(try Store.integrityCheck(ofFileAt: path) == ["ok"])
        let result = try runBulletin(["--config", directory.path("config"), "--db", path, "doctor", "--format", "json"])
        #expect(result.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["ok"] as? Bool == false && json["search_index"] as? String == "damaged")
        #expect((json["advice"] as? String)?.contains("--rebuild-index") == true)
    }

    @Test func theIndexCheckChangesNothing() throws {
        try desynchronizeSearchIndex()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Store.searchIndexCheck(ofFileAt: path) != .ok)
        #expect(Store.searchIndexCheck(ofFileAt: path) != .ok, "the first check repaired nothing")
        let db = try SQLiteConnection(path: path)
        try db.executeScript("PRAGMA wal_checkpoint(TRUNCATE)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aFileThatIsNoDatabaseSaysSoOnOneLine() throws {
        try Data(repeating: 0x41, count: 10_000).write(to: URL(fileURLWithPath: path))
        let result = try doctor()
        #expect(result.status == 1)
        #expect(result.stderr.contains("is damaged or is not a database"))
        #expect(result.stderr.contains("keep a copy of \(path)"))
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
    }
}

/// A store a process left without closing it (its write-ahead log still there) is checked
/// (`PRAGMA quick_check`) before it is written to again.
@Suite struct UncleanEndTests {
    let directory: TemporaryDirectory
    var path: String { directory.path("bulletin.sqlite3") }

    init() throws {
        directory = try TemporaryDirectory()
        try directory.write("", to: "config/bulletin.toml")
        try directory.write("<opml version=\"2.0\"><body></body></opml>", to: "feeds.opml")
        let store = try Store(path: directory.path("bulletin.sqlite3"))
        let summary = String(repeating: "a long summary of a flaw in openssl ", count: 40)
        try store.storeFetch(of: FeedSource(title: "f", url: "https://example.com/f", category: .security),
                             entries: (0..<300).map { FeedEntry(id: "\($0)", title: "entry \($0)", summary: summary) },
                             status: 200, etag: nil, lastModified: nil)
    }

    /// A process that writes one row and ends without closing the store, as a killed run does.
    private func leaveUnclosed() throws {
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import os, sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("PRAGMA wal_autocheckpoint = 0")
            db.execute("UPDATE entry SET title = 'changed' WHERE id = 1")
            db.commit()
            os._exit(0)
            """, path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(((try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size]) as? Int ?? 0) > 0)
    }

    private func fetch() throws -> ProcessResult {
        try runBulletin(["--config", directory.path("config"), "--db", path, "--feeds", directory.path("feeds.opml"),
                         "fetch"])
    }

    @Test func aSoundStoreLeftOpenIsCheckedAndUsed() throws {
        try leaveUnclosed()
        let result = try fetch()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Store(path: path).entry(rowID: 1)?.entry.title == "changed")
    }

    @Test func aDamagedStoreLeftOpenIsRefusedWithOneLine() throws {
        try damageEntryTable(path)
        try leaveUnclosed()
        let result = try fetch()
        #expect(result.status == 1)
        #expect(result.stderr.contains("store: \(path): damaged") && result.stderr.contains("'bulletin doctor'"),
                "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
    }
}

/// Garbage over the root page of the store's entry table, as a failing disk leaves it.
func damageEntryTable(_ path: String) throws {
    let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
        import sqlite3, sys
        db = sqlite3.connect(sys.argv[1])
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'entry'").fetchone()[0]
        size = db.execute("PRAGMA page_size").fetchone()[0]
        db.close()
        with open(sys.argv[1], "r+b") as f:
            f.seek((root - 1) * size + 100)
            f.write(bytes([0xA5]) * (size - 200))
        """, path])
    #expect(result.status == 0, "\(result.stderr)")
}
