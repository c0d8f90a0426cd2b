import Dispatch
import Synchronization

/// The bytes of fetched bodies a refresh holds at once, from the moment a body arrives to
/// the moment its feed is stored: the fetch thread waits (`take`) while the store catches up
/// (`give`), so memory follows this limit, not the size of the catalog. One feed is always
/// let through, however large, so a body over the limit never waits forever.
final class FetchWindow: Sendable {
    private struct State {
        var held = 0
        var waiting = false
        /// Set when the refresh stops: nothing waits any more.
        var open = false
    }

    let limit: Int
    private let state = Mutex(State())
    /// Signalled when bytes are given back while the taker waits.
    private let given = DispatchSemaphore(value: 0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Holds `bytes` more, waiting while that would pass the limit. One thread takes.
    func take(_ bytes: Int) {
        while true {
            let taken = state.withLock { state in
                guard state.open || state.held == 0 || state.held + bytes <= limit else {
                    state.waiting = true
                    return false
                }
                state.held += bytes
                return true
            }
            if taken { return }
            given.wait()
        }
    }

    /// Gives back `bytes` taken before.
    func give(_ bytes: Int) {
        let wake = state.withLock { state in
            state.held -= bytes
            defer { state.waiting = false }
            return state.waiting
        }
        if wake { given.signal() }
    }

    /// Lets every take through from now on (the refresh is stopping).
    func open() {
        let wake = state.withLock { state in
            state.open = true
            defer { state.waiting = false }
            return state.waiting
        }
        if wake { given.signal() }
    }
}
