@testable import BulletinKit
import Dispatch
import Testing

/// What keeps a refresh's memory flat however large the catalog: the queues between its
/// threads keep nothing they handed out, and the fetched bodies held at once are bounded.
@Suite struct RefreshMemoryTests {
    final class Payload: Sendable {}

    @Test func aQueueKeepsNothingItHandedOut() {
        let queue = WorkQueue<Payload>()
        weak var first: Payload?
        do {
            let payload = Payload()
            first = payload
            queue.send(payload)
        }
        queue.send(Payload())  // the queue is not empty, so it is not reset either
        _ = queue.receive()
        #expect(first == nil, "the received value is still held by the queue")
        #expect(queue.receiveIfAny() != nil)
    }

    @Test func aTakeWaitsUntilEnoughIsGivenBack() {
        let window = FetchWindow(limit: 10)
        window.take(6)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue(label: "taker").async {
            window.take(6)
            done.signal()
        }
        #expect(done.wait(timeout: .now() + .milliseconds(100)) == .timedOut, "6 + 6 passed a limit of 10")
        window.give(6)
        #expect(done.wait(timeout: .now() + .seconds(10)) == .success)
    }

    @Test func oneBodyOverTheLimitPassesAlone() {
        let window = FetchWindow(limit: 10)
        window.take(100)  // nothing held: it passes
        let done = DispatchSemaphore(value: 0)
        DispatchQueue(label: "taker").async {
            window.take(1)
            done.signal()
        }
        #expect(done.wait(timeout: .now() + .milliseconds(100)) == .timedOut)
        window.open()  // a stopping refresh lets everything through
        #expect(done.wait(timeout: .now() + .seconds(10)) == .success)
    }
}
