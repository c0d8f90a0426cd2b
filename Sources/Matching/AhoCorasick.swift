/// Every pattern of a set found in one pass over a text: an Aho–Corasick automaton over
/// bytes, compiled into a full transition table (no failure links to follow while scanning).
///
/// Bytes that occur in no pattern share one class, so a row of the table has one column per
/// distinct pattern byte plus one, not 256. States are numbered breadth first.
struct AhoCorasick: Sendable {
    /// The patterns, by id.
    let patterns: [[UInt8]]
    /// Byte → column of the transition table.
    private let classOf: [UInt8]
    private let width: Int
    /// (state × width + class) → next state: in 16 bits when every state number fits, else 32.
    private let narrow: [UInt16]
    private let wide: [Int32]
    /// State → whether a pattern ends there (itself or down its failure chain).
    private let endsHere: [Bool]
    /// State → the id of the pattern that ends there, or -1.
    private let patternAt: [Int32]
    /// State → the nearest state on its failure chain (itself first) where a pattern ends, or -1.
    private let outputHead: [Int32]
    /// State → the nearest state strictly further down its failure chain where a pattern ends, or -1.
    private let outputNext: [Int32]

    /// Compiles `patterns`; empty patterns are never found.
    init(_ patterns: [[UInt8]]) {
        self.patterns = patterns
        var classOf = [UInt8](repeating: 0, count: 256)
        var classes = 1
        for pattern in patterns {
            for byte in pattern where classOf[Int(byte)] == 0 {
                classOf[Int(byte)] = UInt8(truncatingIfNeeded: classes)
                classes += 1
            }
        }
        // More than 255 distinct bytes cannot happen (0 is never a pattern byte in normalized text,
        // and a byte keeps its class), but keep the table honest if it ever does.
        precondition(classes <= 256, "too many byte classes")
        let width = classes
        self.classOf = classOf
        self.width = width

        // The trie, with -1 for "no edge".
        var goto: [Int32] = Array(repeating: -1, count: width)
        var patternAt: [Int32] = [-1]
        for (id, pattern) in patterns.enumerated() where !pattern.isEmpty {
            var state = 0
            for byte in pattern {
                let slot = state * width + Int(classOf[Int(byte)])
                if goto[slot] < 0 {
                    goto[slot] = Int32(patternAt.count)
                    goto.append(contentsOf: repeatElement(-1, count: width))
                    patternAt.append(-1)
                }
                state = Int(goto[slot])
            }
            if patternAt[state] < 0 { patternAt[state] = Int32(id) }
        }

        // Renumber the states breadth first, so the shallow states that a scan spends most of
        // its time in sit together in memory; then breadth-first order is index order.
        let states = patternAt.count
        var order: [Int32] = [0]
        order.reserveCapacity(states)
        var newNumber = [Int32](repeating: -1, count: states)
        newNumber[0] = 0
        var cursor = 0
        while cursor < order.count {
            let state = Int(order[cursor])
            cursor += 1
            for column in 0..<width {
                let child = goto[state * width + column]
                if child >= 0 && newNumber[Int(child)] < 0 {
                    newNumber[Int(child)] = Int32(order.count)
                    order.append(child)
                }
            }
        }
        var renumbered = [Int32](repeating: -1, count: states * width)
        var renumberedPatterns = [Int32](repeating: -1, count: states)
        for (new, old) in order.enumerated() {
            renumberedPatterns[new] = patternAt[Int(old)]
            for column in 0..<width {
                let child = goto[Int(old) * width + column]
                if child >= 0 { renumbered[new * width + column] = newNumber[Int(child)] }
            }
        }
        goto = renumbered
        patternAt = renumberedPatterns

        // Failure links, the full table and the output chains, in breadth-first (index) order;
        // the root's children fail to the root (0, as `fail` starts).
        var fail = [Int32](repeating: 0, count: states)
        var outputHead = [Int32](repeating: -1, count: states)
        var outputNext = [Int32](repeating: -1, count: states)
        for column in 0..<width where goto[column] < 0 {
            goto[column] = 0
        }
        for state in 1..<max(states, 1) {
            let failure = Int(fail[state])
            outputNext[state] = outputHead[failure]
            outputHead[state] = patternAt[state] >= 0 ? Int32(state) : outputNext[state]
            for column in 0..<width {
                let slot = state * width + column
                let target = goto[slot]
                let fallback = goto[failure * width + column]
                if target < 0 {
                    goto[slot] = fallback
                } else {
                    fail[Int(target)] = fallback
                }
            }
        }
        // Tables of state numbers: 16 bits wide while they fit, half the memory to keep in cache.
        if states <= Int(UInt16.max) + 1 {
            narrow = goto.map { UInt16(truncatingIfNeeded: $0) }
            wide = []
        } else {
            narrow = []
            wide = goto
        }
        self.endsHere = outputHead.map { $0 >= 0 }
        self.patternAt = patternAt
        self.outputHead = outputHead
        self.outputNext = outputNext
    }

    /// The state reached from the start by reading `bytes`, to start `scan(_:from:found:)` in.
    func state(after bytes: [UInt8]) -> Int {
        var state = 0
        for byte in bytes {
            let slot = state * width + Int(classOf[Int(byte)])
            state = narrow.isEmpty ? Int(wide[slot]) : Int(narrow[slot])
        }
        return state
    }

    /// Calls `found(patternID, end)` for every occurrence of every pattern in `text`, where
    /// `end` is the index just past the occurrence, in the order the occurrences end. The scan
    /// starts in state `start` (the start state by default; see `state(after:)`).
    func scan(_ text: [UInt8], from start: Int = 0, found: (Int, Int) -> Void) {
        if narrow.isEmpty {
            wide.withUnsafeBufferPointer { scan(text, table: $0, from: start, found: found) }
        } else {
            narrow.withUnsafeBufferPointer { scan(text, table: $0, from: start, found: found) }
        }
    }

    private func scan<Entry: FixedWidthInteger>(_ text: [UInt8], table next: UnsafeBufferPointer<Entry>,
                                                 from start: Int, found: (Int, Int) -> Void) {
        let width = width
        endsHere.withUnsafeBufferPointer { endsHere in
            classOf.withUnsafeBufferPointer { classOf in
                text.withUnsafeBufferPointer { text in
                    var state = start
                    var index = 0
                    let count = text.count
                    while index < count {
                        // In the start state, skip the bytes that leave it there: a quick loop
                        // with no table lookups chained one after the other.
                        if state == 0 {
                            while index < count && next[Int(classOf[Int(text[index])])] == 0 { index += 1 }
                            if index == count { break }
                        }
                        state = Int(next[state &* width &+ Int(classOf[Int(text[index])])])
                        index += 1
                        guard endsHere[state] else { continue }
                        var output = outputHead[state]
                        while output >= 0 {
                            found(Int(patternAt[Int(output)]), index)
                            output = outputNext[Int(output)]
                        }
                    }
                }
            }
        }
    }

    /// How many states the automaton has (for tests and the benchmark's report).
    var stateCount: Int { patternAt.count }
}
