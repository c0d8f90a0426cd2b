import Dispatch
import Models
import Synchronization

/// Runs one reading of a document with its entries finished (`EntryFinisher`) and
/// collected beside it: on the same thread for a small document, and for a large one on a
/// second thread, so that the reader (libxml2, most of the work) never waits for the text
/// work of the entries before. Either way the collector gets the same entries in the same
/// order, and the reading's notes are the same.
enum EntryPipeline {
    /// Documents from this size on are read with a second thread: below it, starting one
    /// and handing the batches over saved nothing measurable (see README.md, Benchmarks).
    static let threadedFromBytes = 1 << 20
    /// Entries per batch handed between the threads, unless they hold `batchBytes` first.
    static let batchEntries = 64
    static let batchBytes = 256 * 1024
    /// Batches waiting between the threads: the reader waits when so many are.
    static let queuedBatches = 4

    /// Runs `read`, which reads the document and hands its raw entries to the function it
    /// is given (`FeedBuilder.read`), and returns the finished entries, gathered by a new
    /// `Entries`, with how many of their fields were cut.
    static func run<Entries: FeedEntryCollector>(
        threaded: Bool, collecting: Entries.Type,
        read: (_ batchEntries: Int, _ batchBytes: Int, _ deliver: (inout RawEntries) -> Void) -> Void
    ) -> (entries: Entries, fieldsCut: Int) {
        guard threaded else {
            var finisher = EntryFinisher()
            var entries = Entries()
            read(1, Int.max) { batch in
                finisher.finish(batch) { entries.append($0) }
                batch.removeAll()
            }
            return (entries, finisher.fieldsCut)
        }
        let queue = BatchQueue(capacity: queuedBatches)
        let finishing = Finishing<Entries>()
        DispatchQueue(label: "bulletin.parse.entries").async {
            var finisher = EntryFinisher()
            while let batch = queue.take() { finishing.finish(batch, with: &finisher) }
            finishing.end(fieldsCut: finisher.fieldsCut)
        }
        read(batchEntries, batchBytes) { batch in
            var full = RawEntries(roomLike: batch)
            swap(&full, &batch)
            queue.put(full)
        }
        queue.close()
        return finishing.wait()
    }
}

/// Batches of raw entries on their way from the reader to the finishing thread, first in
/// first out, at most `capacity` of them.
private final class BatchQueue: Sendable {
    private let batches = Mutex<(waiting: [RawEntries], closed: Bool)>(([], false))
    /// Counts the free places: `put` waits for one.
    private let free: DispatchSemaphore
    /// Counts the batches waiting, and the close.
    private let ready = DispatchSemaphore(value: 0)

    init(capacity: Int) {
        free = DispatchSemaphore(value: capacity)
    }

    func put(_ batch: RawEntries) {
        free.wait()
        batches.withLock { $0.waiting.append(batch) }
        ready.signal()
    }

    /// No more batches will come.
    func close() {
        batches.withLock { $0.closed = true }
        ready.signal()
    }

    /// The next batch; nil once the queue is closed and empty.
    func take() -> RawEntries? {
        ready.wait()
        guard let batch = batches.withLock({ $0.waiting.isEmpty ? nil : $0.waiting.removeFirst() }) else { return nil }
        free.signal()
        return batch
    }
}

/// The entries finished so far: the finishing thread adds to them (under a lock no one
/// else takes until it is done), then the reader's thread takes them.
private final class Finishing<Entries: FeedEntryCollector>: Sendable {
    private let entries = Mutex<Entries?>(Entries())
    private let fieldsCut = Mutex(0)
    private let done = DispatchSemaphore(value: 0)

    func finish(_ batch: RawEntries, with finisher: inout EntryFinisher) {
        entries.withLock { entries in finisher.finish(batch) { entries!.append($0) } }
    }

    /// All batches are finished.
    func end(fieldsCut: Int) {
        self.fieldsCut.withLock { $0 = fieldsCut }
        done.signal()
    }

    /// Waits for `end`, then returns the entries and how many of their fields were cut.
    func wait() -> (entries: Entries, fieldsCut: Int) {
        done.wait()
        let taken = entries.withLock { entries -> sending Entries in entries.take()! }
        return (taken, fieldsCut.withLock { $0 })
    }
}
