import Foundation
import Models
import Storage
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
        // Garbage over the middle of the file: pages of the entry table and its indexes.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let file = try #require(FileHandle(forWritingAtPath: path))
        try file.seek(toOffset: UInt64(size / 2))
        try file.write(contentsOf: Data(repeating: 0xA5, count: 3 * 8192))
        try file.close()
        let result = try doctor()
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("doctor: \(path) is damaged") || result.stderr.contains("is damaged or is not a database"),
                "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("keep a copy of \(path)"))
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
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
