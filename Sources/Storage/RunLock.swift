import FoundationEssentials
import Models
#if canImport(Glibc)
import Glibc
#endif

/// Held while a run works, so two runs never overlap; given up when released or when the
/// holder goes away, however it ends.
public protocol RunLease: AnyObject {
    func release()
}

/// An advisory lock on `<database>.lock` (`flock`, exclusive). The kernel drops it when
/// the process exits, even by `kill -9`, so a crashed run never blocks the next one. The
/// file holds the holder's pid, for the message a waiting run gives.
public final class RunLock: RunLease {
    public let path: String
    private var descriptor: Int32

    /// Takes the lock, polling until `wait` seconds have passed; then throws a
    /// `StoreError` that names the holder. `onWait` is called once if it has to wait.
    public init(path: String, wait: Double, onWait: (_ holder: String) -> Void = { _ in }) throws {
        self.path = path
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(path: path, reason: "cannot open the run lock: \(String(cString: strerror(errno)))")
        }
        let deadline = ContinuousClock.now + .milliseconds(Int64(wait * 1000))
        var waited = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            guard reason == EWOULDBLOCK || reason == EINTR else {
                close(descriptor)
                throw StoreError(path: path, reason: "cannot take the run lock: \(String(cString: strerror(reason)))")
            }
            if !waited {
                waited = true
                if wait > 0 { onWait(Self.holder(descriptor)) }
            }
            guard ContinuousClock.now < deadline else {
                let holder = Self.holder(descriptor)
                close(descriptor)
                throw StoreError(path: path, reason: "another bulletin run (\(holder)) is still running"
                    + (wait > 0 ? " after waiting \(Self.seconds(wait))" : "")
                    + "; raise [run] lock_wait to wait longer")
            }
            usleep(50_000)
        }
        let stamp = "pid \(getpid()) since \(Timestamp.rfc3339(WallClock.now()))\n"
        _ = ftruncate(descriptor, 0)
        _ = stamp.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit { release() }

    /// Gives the lock up; later calls do nothing.
    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    /// What the holder wrote in the lock file ("pid 123 since …"), or "pid unknown".
    private static func holder(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        let text = count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.hasPrefix("pid ") ? line : "pid unknown"
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }
}

@available(*, unavailable)
extension RunLock: Sendable {}
