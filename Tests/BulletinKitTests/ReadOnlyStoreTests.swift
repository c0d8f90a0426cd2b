import Foundation
import Models
@testable import Storage
import TestSupport
import Testing

/// A store the user may only read (a read-only mount, a file shared for reading): the
/// commands that only read it work; before, they failed opening its write-ahead log.
@Suite struct ReadOnlyStoreTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    @Test func aStoreOpenedForReadingReadsAndRefusesToWrite() throws {
        let path = directory.path("bulletin.sqlite3")
        do {
            let store = try Store(path: path)
            try store.storeFetch(of: FeedSource(title: "f", url: "https://example.com/f", category: .security),
                                 entries: [FeedEntry(id: "1", title: "openssl fix")], status: 200, etag: nil,
                                 lastModified: nil)
        }
        let store = try Store(readingOnly: path)
        #expect(try store.entry(rowID: 1)?.entry.title == "openssl fix")
        #expect(throws: (any Error).self) {
            try store.storeFetch(of: FeedSource(title: "g", url: "https://example.com/g", category: .security),
                                 entries: [FeedEntry(id: "2", title: "more")], status: 200, etag: nil, lastModified: nil)
        }
        #expect(try Store(path: path).entry(rowID: 2) == nil)
    }

    /// The commands end to end, run as `nobody` on a store in a directory only root may
    /// write: possible only where the tests run as root (as they do in CI).
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func searchExplainExportAndAPrintedDigestWorkOnAStoreTheUserMayOnlyRead() throws {
        let feed = try directory.write("""
            <?xml version="1.0"?><rss version="2.0"><channel><title>Advisories</title>
            <item><title>openssl fixes a flaw</title><link>https://example.com/1</link><guid>1</guid></item>
            </channel></rss>
            """, to: "feed.rss")
        let server = try FeedServer(routes: ["/feed.rss": feed])
        try directory.write("""
            <?xml version="1.0"?><opml version="2.0"><body>
            <outline text="Advisories" type="rss" xmlUrl="\(server.url("/feed.rss"))" category="security"/>
            </body></opml>
            """, to: "config/feeds.opml")
        try directory.write("feeds = [\"feeds.opml\"]\n", to: "config/bulletin.toml")
        try directory.write("[[service]]\nname = \"openssl\"\n", to: "config/inventory.toml")
        let arguments = ["--config", directory.path("config"), "--db", directory.path("store/bulletin.sqlite3")]
        let fetch = try runBulletin(arguments + ["fetch"])
        #expect(fetch.status == 0, "\(fetch.stderr)")
        // Readable by everyone, writable by root alone: the file and the directory it is in.
        for (path, mode) in [(directory.path(""), 0o755), (directory.path("config"), 0o755),
                             (directory.path("store"), 0o755), (directory.path("store/bulletin.sqlite3"), 0o644)] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        }
        func asNobody(_ command: [String]) throws -> ProcessResult {
            try runProcess(URL(fileURLWithPath: "/usr/bin/setpriv"),
                           ["--reuid=65534", "--regid=65534", "--clear-groups", "--",
                            TestPaths.bulletinExecutable.path] + arguments + command,
                           environment: ["HOME": directory.path(""), "PATH": "/usr/bin:/bin"])
        }
        let search = try asNobody(["search", "openssl"])
        #expect(search.status == 0, "\(search.stderr)")
        #expect(search.stdout.contains("openssl fixes a flaw"))
        let explain = try asNobody(["explain", "1"])
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.contains("Entry 1: openssl fixes a flaw"))
        let digest = try asNobody(["digest", "--print", "--since", "2000-01-01"])
        #expect(digest.status == 0, "\(digest.stderr)")
        let export = try asNobody(["export", "--format", "jsonl"])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.contains("openssl fixes a flaw"))
        // The search index's check is a write statement, rolled back: not made, and said.
        let doctor = try asNobody(["doctor"])
        #expect(doctor.status == 0, "\(doctor.stderr)")
        #expect(doctor.stdout.contains(": ok (the search index was not checked: the file is read-only to this user)"),
                "\(doctor.stdout)")
        // Fetching needs to write: it fails with a one-line reason, and nothing changed.
        let refused = try asNobody(["fetch"])
        #expect(refused.status != 0)
        #expect(try Store(path: directory.path("store/bulletin.sqlite3")).entry(rowID: 1)?.entry.title
            == "openssl fixes a flaw")
    }
}
