/// Building Huffman codes for the compressor: code lengths limited to a maximum, then
/// the canonical codes RFC 1951 defines for them, bit-reversed for its LSB-first stream.
enum HuffmanCode {
    /// Code lengths for symbols `0..<count` with frequencies `frequencies`, none longer
    /// than `maxBits`. Unused symbols get 0. At least two symbols always get a code (an
    /// unused one when fewer are used), so the code is complete, as zlib's decoder wants.
    static func lengths(of frequencies: UnsafePointer<UInt32>, count: Int, maxBits: Int,
                        into lengths: UnsafeMutablePointer<UInt8>) {
        lengths.update(repeating: 0, count: count)
        // Leaves sorted by frequency: frequency << 16 | symbol.
        var leaves: [UInt64] = []
        leaves.reserveCapacity(count)
        for symbol in 0..<count where frequencies[symbol] > 0 {
            leaves.append(UInt64(frequencies[symbol]) << 16 | UInt64(symbol))
        }
        var filler = 0
        while leaves.count < 2 {
            if frequencies[filler] == 0 { leaves.append(UInt64(filler)) }
            filler += 1
        }
        leaves.sort()
        let leafCount = leaves.count

        // The tree by the two-queue method: leaves in order, then internal nodes, made in
        // order of weight; then each node's depth from its parent's.
        var weight = [UInt64](repeating: 0, count: 2 * leafCount)
        var parent = [Int](repeating: 0, count: 2 * leafCount)
        for leaf in 0..<leafCount { weight[leaf] = leaves[leaf] >> 16 }
        var nextLeaf = 0, nextNode = leafCount, endNode = leafCount
        func lightest() -> Int {
            if nextLeaf < leafCount && (nextNode == endNode || weight[nextLeaf] <= weight[nextNode]) {
                nextLeaf += 1
                return nextLeaf - 1
            }
            nextNode += 1
            return nextNode - 1
        }
        while endNode < 2 * leafCount - 1 {
            let a = lightest(), b = lightest()
            weight[endNode] = weight[a] + weight[b]
            parent[a] = endNode
            parent[b] = endNode
            endNode += 1
        }
        var depth = [Int](repeating: 0, count: 2 * leafCount)
        for node in stride(from: 2 * leafCount - 3, through: 0, by: -1) { depth[node] = depth[parent[node]] + 1 }

        // How many codes of each length, the deepest cut to maxBits; then codes moved down
        // one level at a time until the lengths fit (Kraft sum exactly 1 again).
        var lengthCounts = [Int](repeating: 0, count: maxBits + 1)
        for leaf in 0..<leafCount { lengthCounts[min(depth[leaf], maxBits)] += 1 }
        var kraft = 0
        for length in 1...maxBits { kraft += lengthCounts[length] << (maxBits - length) }
        while kraft > 1 << maxBits {
            lengthCounts[maxBits] -= 1
            for length in stride(from: maxBits - 1, through: 1, by: -1) where lengthCounts[length] > 0 {
                lengthCounts[length] -= 1
                lengthCounts[length + 1] += 2
                break
            }
            kraft -= 1
        }
        // The rarest symbols take the longest codes.
        var leaf = 0
        for length in stride(from: maxBits, through: 1, by: -1) {
            for _ in 0..<lengthCounts[length] {
                lengths[Int(leaves[leaf] & 0xFFFF)] = UInt8(length)
                leaf += 1
            }
        }
    }

    /// The canonical code of each symbol from its length, bit-reversed (DEFLATE sends
    /// Huffman codes from their first bit, into a stream filled from the low bit).
    static func codes(lengths: UnsafePointer<UInt8>, count: Int, into codes: UnsafeMutablePointer<UInt16>) {
        var lengthCounts = [Int](repeating: 0, count: 16)
        for symbol in 0..<count { lengthCounts[Int(lengths[symbol])] += 1 }
        lengthCounts[0] = 0
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1..<16 {
            code = (code + lengthCounts[length - 1]) << 1
            next[length] = code
        }
        for symbol in 0..<count {
            let length = Int(lengths[symbol])
            guard length > 0 else {
                codes[symbol] = 0
                continue
            }
            codes[symbol] = reversed(UInt16(next[length]), length)
            next[length] += 1
        }
    }

    /// The low `length` bits of `code`, in reverse order.
    static func reversed(_ code: UInt16, _ length: Int) -> UInt16 {
        code.bitSwapped() >> (16 - length)
    }
}

extension UInt16 {
    fileprivate func bitSwapped() -> UInt16 {
        var value = self
        value = (value & 0x5555) << 1 | (value >> 1) & 0x5555
        value = (value & 0x3333) << 2 | (value >> 2) & 0x3333
        value = (value & 0x0F0F) << 4 | (value >> 4) & 0x0F0F
        return value << 8 | value >> 8
    }
}
