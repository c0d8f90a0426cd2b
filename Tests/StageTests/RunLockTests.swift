import Foundation
import Storage
import TestSupport
import Testing

/// The lock that keeps two runs apart: a second taker waits, then gives up naming the holder.
@Suite struct RunLockTests {
    let directory: TemporaryDirectory
    init() throws { directory = try TemporaryDirectory() }

    /// Another process (Python's flock) holds the lock on `path` for `seconds`.
    private func holdInAnotherProcess(_ path: String, seconds: Double) throws -> Process {
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import fcntl, os, sys, time
            f = open(sys.argv[1], "a+")
            fcntl.flock(f, fcntl.LOCK_EX)
            f.truncate(0); f.write("pid %d since now\\n" % os.getpid()); f.flush()
            print("locked", flush=True)
            time.sleep(float(sys.argv[2]))
            """, path, String(seconds)]
        process.standardOutput = output
        try process.run()
        _ = try output.fileHandleForReading.read(upToCount: 7)
        return process
    }

    @Test func aSecondTakerGivesUpAtOnceNamingTheHolder() throws {
        let path = directory.path("db.lock")
        let first = try RunLock(path: path, wait: 0)
        let error = #expect(throws: StoreError.self) { _ = try RunLock(path: path, wait: 0) }
        #expect(error?.description.hasPrefix("store: \(path): another bulletin run (pid \(getpid()) since ") == true)
        #expect(error?.description.hasSuffix(") is still running; raise [run] lock_wait to wait longer") == true)
        first.release()
        _ = try RunLock(path: path, wait: 0)
    }

    @Test func aSecondTakerWaitsForAnotherProcessToLetGo() throws {
        let path = directory.path("db.lock")
        let holder = try holdInAnotherProcess(path, seconds: 0.5)
        let started = Date()
        var waitedFor: String?
        _ = try RunLock(path: path, wait: 20) { waitedFor = $0 }
        #expect(waitedFor == "pid \(holder.processIdentifier) since now")
        #expect(Date().timeIntervalSince(started) >= 0.3)
        holder.waitUntilExit()
    }

    @Test func aLockIsFreedWhenItsHolderIsKilled() throws {
        let path = directory.path("db.lock")
        let holder = try holdInAnotherProcess(path, seconds: 60)
        #expect(throws: StoreError.self) { _ = try RunLock(path: path, wait: 0) }
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        _ = try RunLock(path: path, wait: 0)
    }

    @Test func aWaitThatRunsOutSaysHowLongItWaited() throws {
        let path = directory.path("db.lock")
        let first = try RunLock(path: path, wait: 0)
        let error = #expect(throws: StoreError.self) { _ = try RunLock(path: path, wait: 0.2) }
        #expect(error?.description.contains("is still running after waiting 0.2s;") == true)
        first.release()
    }

    @Test func theLockFileIsPrivate() throws {
        let lock = try RunLock(path: directory.path("db.lock"), wait: 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: lock.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }
}
