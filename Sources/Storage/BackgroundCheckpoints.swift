import Dispatch
import Synchronization
import SQLite
#if canImport(Glibc)
import Glibc
#endif

extension Store {
    /// Runs `body`, a long stream of writes (a fetch's batches, a bulk load), while a
    /// thread of its own copies the write-ahead log into the database as it grows.
    ///
    /// SQLite checkpoints in the thread that commits, once the log passes 4000 pages: about
    /// a tenth of a cold fetch's storing went to it, on the thread every batch waits for.
    /// Here that thread only appends to the log; the copying overlaps with it. Afterwards
    /// automatic checkpoints are back, and closing the store copies what is left.
    public func checkpointingInBackground<T>(_ body: () throws -> T) throws -> T {
        try db.executeScript("PRAGMA wal_autocheckpoint = 0")
        let checkpointer = BackgroundCheckpointer(path: db.path)
        defer {
            checkpointer.stop()
            try? db.executeScript("PRAGMA wal_autocheckpoint = \(Self.autocheckpointPages)")
        }
        return try body()
    }
}

/// A thread with its own connection that runs passive checkpoints (which never wait for,
/// nor hold up, the writer) until stopped.
private final class BackgroundCheckpointer: Sendable {
    private let stopping = Atomic(false)
    private let stopped = DispatchSemaphore(value: 0)

    /// How long the thread sleeps between checkpoints.
    private static let pause: useconds_t = 20_000

    init(path: String) {
        DispatchQueue(label: "bulletin.checkpoint").async { [self] in
            defer { stopped.signal() }
            // A checkpoint that fails here (the file busy, say) only leaves more log for the
            // writer's next automatic checkpoint or for closing the store: nothing is lost,
            // so errors end the thread quietly rather than the writes it is there to help.
            guard let db = try? SQLiteConnection(path: path) else { return }
            while !stopping.load(ordering: .acquiring) {
                guard (try? db.executeScript("PRAGMA wal_checkpoint(PASSIVE)")) != nil else { return }
                usleep(Self.pause)
            }
        }
    }

    /// Stops the thread, waiting for a checkpoint it is running to end.
    func stop() {
        stopping.store(true, ordering: .releasing)
        stopped.wait()
    }
}
