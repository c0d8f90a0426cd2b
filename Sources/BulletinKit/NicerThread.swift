import Dispatch
import Glibc

/// Runs a closure on a new thread of its own, made nicer (a lower scheduling priority) than the
/// threads that start it; the thread ends with the closure, so no other work inherits its nice
/// value (a pool thread of libdispatch's would keep it, and could never get its priority back).
///
/// On Linux each thread has its own nice value: `setpriority(PRIO_PROCESS, 0, …)` sets the
/// calling thread's. A nicer thread loses only where threads compete for a processor.
enum NicerThread {
    /// Starts `body` on a new thread whose nice value is the caller's plus `niceness`; `group`
    /// is entered now and left when `body` returns. `name` labels the fallback queue.
    static func start(_ name: String, niceness: Int32, in group: DispatchGroup,
                      _ body: @escaping @Sendable () -> Void) {
        group.enter()
        let start = Start(niceness: niceness) {
            body()
            group.leave()
        }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(start).toOpaque()
        let created = pthread_create(&thread, nil, { context in
            let start = Unmanaged<Start>.fromOpaque(context!).takeRetainedValue()
            start.run()
            return nil
        }, context)
        guard created == 0 else {
            // No thread to be had (a process at its limit): run it on one of libdispatch's,
            // at the caller's priority, rather than not at all.
            Unmanaged<Start>.fromOpaque(context).release()
            DispatchQueue(label: name).async { start.run(renicing: false) }
            return
        }
        pthread_detach(thread)
    }

    /// What a new thread runs: its nice value set, then the body.
    private final class Start: Sendable {
        let niceness: Int32
        let body: @Sendable () -> Void

        init(niceness: Int32, body: @escaping @Sendable () -> Void) {
            self.niceness = niceness
            self.body = body
        }

        func run(renicing: Bool = true) {
            if renicing {
                let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, min(19, current + niceness))
            }
            body()
        }
    }
}
