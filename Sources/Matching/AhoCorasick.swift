/// Every pattern of a set found in one pass over a text: an Aho–Corasick automaton over
/// bytes, compiled into a full transition table (no failure links to follow while scanning).
///
/// Bytes that occur in no pattern share one class, so a row of the table has one column per
/// distinct pattern byte plus one, not 256. Rows are stored pre-multiplied by the row width.
struct AhoCorasick: Sendable {
    /// The patterns, by id.
    let patterns: [[UInt8]]
    /// Byte → column of the transition table.
    private let classOf: [UInt8]
    private let width: Int
    /// (state × width + class) → next state × width, negative when a pattern ends there.
    private let next: [Int32]
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

        // Breadth first: failure links, then the full table and the output chains.
        let states = patternAt.count
        var fail = [Int32](repeating: 0, count: states)
        var outputHead = [Int32](repeating: -1, count: states)
        var outputNext = [Int32](repeating: -1, count: states)
        var queue: [Int32] = []
        queue.reserveCapacity(states)
        for column in 0..<width {
            if goto[column] < 0 {
                goto[column] = 0
            } else {
                queue.append(goto[column])
            }
        }
        var head = 0
        while head < queue.count {
            let state = Int(queue[head])
            head += 1
            let failure = Int(fail[state])
            outputNext[state] = state == 0 ? -1 : outputHead[failure]
            outputHead[state] = patternAt[state] >= 0 ? Int32(state) : outputNext[state]
            for column in 0..<width {
                let slot = state * width + column
                let target = goto[slot]
                let fallback = goto[failure * width + column]
                if target < 0 {
                    goto[slot] = fallback
                } else {
                    fail[Int(target)] = state == 0 ? 0 : fallback
                    queue.append(target)
                }
            }
        }
        // Rows pre-multiplied; the sign bit says "a pattern ends in the target state".
        for index in goto.indices {
            let target = Int(goto[index])
            goto[index] = Int32(target * width) | (outputHead[target] >= 0 ? Int32.min : 0)
        }
        self.next = goto
        self.patternAt = patternAt
        self.outputHead = outputHead
        self.outputNext = outputNext
    }

    /// Calls `found(patternID, end)` for every occurrence of every pattern in `text`, where
    /// `end` is the index just past the occurrence, in the order the occurrences end.
    func scan(_ text: [UInt8], found: (Int, Int) -> Void) {
        let width = width
        next.withUnsafeBufferPointer { next in
            classOf.withUnsafeBufferPointer { classOf in
                text.withUnsafeBufferPointer { text in
                    var row = 0
                    for index in 0..<text.count {
                        let entry = next[row + Int(classOf[Int(text[index])])]
                        row = Int(entry & Int32.max)
                        guard entry < 0 else { continue }
                        var output = outputHead[row / width]
                        while output >= 0 {
                            found(Int(patternAt[Int(output)]), index + 1)
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
