@testable import BulletinKit
import Dispatch
import Glibc
import Synchronization
import Testing

/// The refresh's workers run on threads of their own, nicer than the store's (`NicerThread`).
@Suite struct NicerThreadTests {
    /// The calling thread's nice value (on Linux, each thread has its own).
    static func ownNice() -> Int32 { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }

    @Test func runsTheBodyNicerThanTheCallerAndLeavesTheCallerAsItWas() {
        let before = Self.ownNice()
        let seen = Mutex<[Int32]>([])
        let group = DispatchGroup()
        for index in 0..<3 {
            NicerThread.start("test.\(index)", niceness: 4, in: group) {
                seen.withLock { $0.append(Self.ownNice()) }
            }
        }
        #expect(group.wait(timeout: .now() + 10) == .success)
        #expect(seen.withLock { $0 } == Array(repeating: min(19, before + 4), count: 3))
        #expect(Self.ownNice() == before)
    }

    /// A thread never ends nicer than 19, Linux's limit, whatever it is asked.
    @Test func neverPassesNineteen() {
        let seen = Mutex<Int32?>(nil)
        let group = DispatchGroup()
        NicerThread.start("test.limit", niceness: 40, in: group) { seen.withLock { $0 = Self.ownNice() } }
        #expect(group.wait(timeout: .now() + 10) == .success)
        #expect(seen.withLock { $0 } == 19)
    }

    /// The next thread a refresh starts is not nicer for the one before it: each starts from
    /// its caller's value, not from a reused thread's.
    @Test func eachThreadStartsFromItsCallersValue() {
        let before = Self.ownNice()
        for _ in 0..<2 {
            let seen = Mutex<Int32?>(nil)
            let group = DispatchGroup()
            NicerThread.start("test.again", niceness: 2, in: group) { seen.withLock { $0 = Self.ownNice() } }
            #expect(group.wait(timeout: .now() + 10) == .success)
            #expect(seen.withLock { $0 } == min(19, before + 2))
        }
    }
}
