import Dispatch
import Synchronization

/// A first-in first-out queue between threads: any thread sends, any thread receives,
/// a receiver waits while it is empty. The values sit behind a lock; a semaphore counts them.
final class WorkQueue<Value: Sendable>: Sendable {
    private struct Contents {
        /// The values sent; a taken one is nil, so the queue keeps nothing it handed out
        /// (a parsed feed is freed when its receiver is done with it, not when the queue empties).
        var values: [Value?] = []
        /// Index of the next value to receive; the ones before it are taken.
        var head = 0
    }

    private let contents = Mutex(Contents())
    /// One signal per value sent and not yet received.
    private let available = DispatchSemaphore(value: 0)

    func send(_ value: Value) {
        contents.withLock { $0.values.append(value) }
        available.signal()
    }

    /// The oldest value, waiting for one when there is none.
    func receive() -> Value {
        available.wait()
        return take()
    }

    /// The oldest value, or nil at once when there is none.
    func receiveIfAny() -> Value? {
        available.wait(timeout: .now()) == .success ? take() : nil
    }

    /// The oldest value, waiting for one up to `timeout`; nil when none came.
    func receive(waitingUpTo timeout: Duration) -> Value? {
        let nanoseconds = Int(timeout.components.seconds) * 1_000_000_000 + Int(timeout.components.attoseconds / 1_000_000_000)
        return available.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success ? take() : nil
    }

    /// Takes the head; each successful wait on `available` is owed exactly one value.
    private func take() -> Value {
        contents.withLock { contents in
            let value = contents.values[contents.head].take()!
            contents.head += 1
            if contents.head == contents.values.count || contents.head >= 1024 {
                contents.values.removeFirst(contents.head)
                contents.head = 0
            }
            return value
        }
    }
}
