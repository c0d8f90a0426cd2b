import Foundation
import Models
@testable import Storage
import TestSupport
import Testing

/// `Store.checkpointingInBackground`: the writer stops checkpointing, another thread copies
/// the log into the database meanwhile, and automatic checkpoints come back afterwards.
@Suite struct BackgroundCheckpointTests {
    let directory: TemporaryDirectory
    let path: String
    let store: Store

    init() throws {
        directory = try TemporaryDirectory()
        path = directory.path("bulletin.sqlite3")
        store = try Store(path: path)
    }

    private func bytesOnDisk() throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    }

    private func autocheckpoint() throws -> Int? {
        try store.db.firstRow("PRAGMA wal_autocheckpoint")?.int(0)
    }

    @Test func aLongWriteIsCopiedIntoTheDatabaseByAnotherThread() throws {
        let summary = String(repeating: "a denial of service in the parser of the feed ", count: 30)
        try store.checkpointingInBackground {
            #expect(try autocheckpoint() == 0)
            let before = try bytesOnDisk()
            for feed in 0..<20 {
                let source = FeedSource(title: "Feed \(feed)", url: "https://example.com/\(feed)", category: .security)
                try store.storeFetch(of: source, entries: (0..<200).map {
                    FeedEntry(id: "\($0)", title: "Entry \($0) of feed \(feed)", summary: summary)
                }, status: 200, etag: nil, lastModified: nil)
            }
            // The writer does not checkpoint now: only the other thread can make the file grow.
            let deadline = Date().addingTimeInterval(10)
            while try bytesOnDisk() < before + 2_000_000, Date() < deadline { usleep(20_000) }
            #expect(try bytesOnDisk() >= before + 2_000_000)
        }
        #expect(try autocheckpoint() == Store.autocheckpointPages)
        #expect(try store.integrityCheck() == ["ok"])
        #expect(try store.entryCount() == 4000)
    }

    @Test func automaticCheckpointsComeBackWhenTheBodyThrows() throws {
        struct Stop: Error {}
        #expect(throws: Stop.self) { try store.checkpointingInBackground { throw Stop() } }
        #expect(try autocheckpoint() == Store.autocheckpointPages)
    }
}
