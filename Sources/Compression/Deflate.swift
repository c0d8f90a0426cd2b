/// RFC 1951 DEFLATE compression, fast rather than small: LZ77 matches found through a
/// hash table of the last position of each 4 bytes (greedy, one candidate), coded in
/// blocks of up to `blockSymbols` symbols, each block written with whichever costs the
/// fewest bits of its own Huffman code, the fixed code, or stored as is.
public enum Deflate {
    /// Symbols (literals and matches) per block.
    static let blockSymbols = 1 << 15

    /// `bytes` compressed into a raw DEFLATE stream.
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { input in
            [UInt8](unsafeUninitializedCapacity: bound(input.count)) { buffer, count in
                count = compress(input, into: buffer.baseAddress!)
            }
        }
    }

    /// The most bytes `compress(_:into:)` writes for `count` bytes, with the 8 the bit
    /// writer may store past its end. No block costs more than storing its bytes (5 bytes a
    /// stored block of up to 65535, one byte of padding), and every block but the last
    /// covers at least `blockSymbols` bytes.
    static func bound(_ count: Int) -> Int {
        count + 6 * (count / 65535 + count / blockSymbols + 2) + 16
    }

    /// Compresses `input` into `out` (room for `bound(input.count)` bytes); returns the bytes written.
    static func compress(_ input: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) -> Int {
        precondition(input.count < Int(Int32.max), "deflate: input over 2 GB")
        var writer = BitWriter(out)
        guard let base = input.baseAddress, input.count > 0 else {
            writer.put(0b011, 3)  // final, fixed code
            writer.put(0, 7)  // end of block
            writer.alignToByte()
            return writer.out - out
        }
        let source = base.assumingMemoryBound(to: UInt8.self)
        let encoder = DeflateEncoder(inputCount: input.count)
        var position = 0
        repeat {
            let start = position
            let symbols: Int
            (position, symbols) = encoder.findMatches(source, count: input.count, from: start)
            encoder.writeBlock(source, from: start, to: position, symbols: symbols, final: position == input.count,
                               into: &writer)
        } while position < input.count
        writer.alignToByte()
        return writer.out - out
    }
}

/// The compressor's working memory for one input: the hash table, a block's symbols
/// and their frequencies, and the Huffman codes made for them.
final class DeflateEncoder {
    private let hashBits: Int
    /// The last position whose 4 bytes hash to each slot.
    private let head: UnsafeMutablePointer<Int32>
    /// A block's symbols: a literal byte, or 1 << 31 | (length − 3) << 15 | (distance − 1).
    private let symbols: UnsafeMutablePointer<UInt32>
    private let literalFrequencies = UnsafeMutablePointer<UInt32>.allocate(capacity: 288)
    private let distanceFrequencies = UnsafeMutablePointer<UInt32>.allocate(capacity: 32)
    private let literalLengths = UnsafeMutablePointer<UInt8>.allocate(capacity: 288)
    private let distanceLengths = UnsafeMutablePointer<UInt8>.allocate(capacity: 32)
    private let literalCodes = UnsafeMutablePointer<UInt16>.allocate(capacity: 288)
    private let distanceCodes = UnsafeMutablePointer<UInt16>.allocate(capacity: 32)

    init(inputCount: Int) {
        // A table about the input's size, from 1 KB to 32 K slots: small inputs clear less.
        var bits = 10
        while bits < 15 && 1 << bits < inputCount { bits += 1 }
        hashBits = bits
        head = .allocate(capacity: 1 << bits)
        head.initialize(repeating: Int32.min, count: 1 << bits)
        symbols = .allocate(capacity: Deflate.blockSymbols)
    }

    deinit {
        head.deallocate()
        symbols.deallocate()
        literalFrequencies.deallocate()
        distanceFrequencies.deallocate()
        literalLengths.deallocate()
        distanceLengths.deallocate()
        literalCodes.deallocate()
        distanceCodes.deallocate()
    }

    /// Finds the symbols of one block from `start`: returns where the block ends and its
    /// symbol count; the symbols' frequencies are counted.
    func findMatches(_ source: UnsafePointer<UInt8>, count: Int, from start: Int) -> (end: Int, symbols: Int) {
        let head = head, symbols = symbols, literals = literalFrequencies, distances = distanceFrequencies
        literals.update(repeating: 0, count: 288)
        distances.update(repeating: 0, count: 32)
        let shift = UInt32(32 - hashBits)
        let raw = UnsafeRawPointer(source)
        let hashEnd = count - 3  // a position below it has 4 bytes to hash
        var position = start, symbolCount = 0
        let capacity = Deflate.blockSymbols - 1
        DeflateTables.lengthIndex.withUnsafeBufferPointer { lengthIndex in
            DeflateTables.distanceIndex.withUnsafeBufferPointer { distanceIndex in
                while position < hashEnd && symbolCount < capacity {
                    let word = raw.loadUnaligned(fromByteOffset: position, as: UInt32.self)
                    let slot = Int((word &* 0x9E37_79B1) &>> shift)
                    let candidate = Int(head[slot])
                    head[slot] = Int32(truncatingIfNeeded: position)
                    let distance = position &- candidate
                    guard distance <= 32768, raw.loadUnaligned(fromByteOffset: candidate, as: UInt32.self) == word else {
                        let byte = source[position]
                        symbols[symbolCount] = UInt32(byte)
                        symbolCount &+= 1
                        literals[Int(byte)] &+= 1
                        position &+= 1
                        continue
                    }
                    let length = Self.matchLength(raw, position, candidate, limit: min(258, count &- position))
                    symbols[symbolCount] = 1 << 31 | UInt32(length &- 3) << 15 | UInt32(distance &- 1)
                    symbolCount &+= 1
                    literals[257 &+ Int(lengthIndex[length &- 3])] &+= 1
                    let d = distance &- 1
                    distances[Int(d < 256 ? distanceIndex[d] : distanceIndex[256 &+ d &>> 7])] &+= 1
                    // The match's last position, so a repeat right after it is found.
                    let last = position &+ length &- 1
                    if last < hashEnd {
                        let lastWord = raw.loadUnaligned(fromByteOffset: last, as: UInt32.self)
                        head[Int((lastWord &* 0x9E37_79B1) &>> shift)] = Int32(truncatingIfNeeded: last)
                    }
                    position &+= length
                }
            }
        }
        // The last bytes, too few to hash: literals.
        if position >= hashEnd {
            while position < count && symbolCount < capacity {
                symbols[symbolCount] = UInt32(source[position])
                symbolCount &+= 1
                literals[Int(source[position])] &+= 1
                position &+= 1
            }
        }
        return (position, symbolCount)
    }

    /// How many bytes at `position` repeat those at `candidate`, given 4 do, up to `limit`.
    @inline(__always)
    private static func matchLength(_ raw: UnsafeRawPointer, _ position: Int, _ candidate: Int, limit: Int) -> Int {
        var length = 4
        while length &+ 8 <= limit {
            let difference = raw.loadUnaligned(fromByteOffset: position &+ length, as: UInt64.self).littleEndian
                ^ raw.loadUnaligned(fromByteOffset: candidate &+ length, as: UInt64.self).littleEndian
            if difference != 0 { return length &+ difference.trailingZeroBitCount &>> 3 }
            length &+= 8
        }
        while length < limit && raw.load(fromByteOffset: position &+ length, as: UInt8.self)
            == raw.load(fromByteOffset: candidate &+ length, as: UInt8.self) {
            length &+= 1
        }
        return length
    }

    /// Writes the block of bytes `start..<end`, whose `symbols` `findMatches` found, in
    /// the cheapest of the three block types.
    func writeBlock(_ source: UnsafePointer<UInt8>, from start: Int, to end: Int, symbols symbolCount: Int,
                    final: Bool, into writer: inout BitWriter) {
        literalFrequencies[256] = 1  // end of block
        HuffmanCode.lengths(of: literalFrequencies, count: 286, maxBits: 15, into: literalLengths)
        HuffmanCode.lengths(of: distanceFrequencies, count: 30, maxBits: 15, into: distanceLengths)
        let header = DynamicHeader(literalLengths: literalLengths, distanceLengths: distanceLengths)

        var extraBits = 0, dynamicBits = 3 + header.bits, fixedBits = 3
        DeflateTables.fixedLiteralLengths.withUnsafeBufferPointer { fixed in
            for symbol in 0..<286 {
                let frequency = Int(literalFrequencies[symbol])
                dynamicBits += frequency * Int(literalLengths[symbol])
                fixedBits += frequency * Int(fixed[symbol])
                if symbol > 256 { extraBits += frequency * Int(DeflateTables.lengthExtra[symbol - 257]) }
            }
        }
        for symbol in 0..<30 {
            let frequency = Int(distanceFrequencies[symbol])
            dynamicBits += frequency * Int(distanceLengths[symbol])
            fixedBits += frequency * 5
            extraBits += frequency * Int(DeflateTables.distanceExtra[symbol])
        }
        let chunks = max(1, (end - start + 65534) / 65535)
        let storedBits = writer.bitsToByte + 3 + 8 * (end - start) + chunks * 40 + (chunks - 1) * 8

        if storedBits <= min(dynamicBits, fixedBits) + extraBits {
            writeStored(source + start, end - start, final: final, into: &writer)
        } else if fixedBits <= dynamicBits {
            writer.put(final ? 0b011 : 0b010, 3)
            DeflateTables.fixedLiteralLengths.withUnsafeBufferPointer {
                HuffmanCode.codes(lengths: $0.baseAddress!, count: 288, into: literalCodes)
                literalLengths.update(from: $0.baseAddress!, count: 288)
            }
            DeflateTables.fixedDistanceLengths.withUnsafeBufferPointer {
                HuffmanCode.codes(lengths: $0.baseAddress!, count: 30, into: distanceCodes)
                distanceLengths.update(from: $0.baseAddress!, count: 30)
            }
            writeSymbols(symbolCount, into: &writer)
        } else {
            writer.put(final ? 0b101 : 0b100, 3)
            header.write(into: &writer)
            HuffmanCode.codes(lengths: literalLengths, count: 286, into: literalCodes)
            HuffmanCode.codes(lengths: distanceLengths, count: 30, into: distanceCodes)
            writeSymbols(symbolCount, into: &writer)
        }
    }

    /// Stored blocks of up to 65535 bytes each.
    private func writeStored(_ bytes: UnsafePointer<UInt8>, _ count: Int, final: Bool, into writer: inout BitWriter) {
        var offset = 0
        repeat {
            let length = min(65535, count - offset)
            writer.put(final && offset + length == count ? 1 : 0, 3)
            writer.alignToByte()
            writer.put(UInt64(length) | UInt64(~UInt16(length)) << 16, 32)
            writer.copy(bytes + offset, length)
            offset += length
        } while offset < count
    }

    /// The block's symbols in the codes now in `literalCodes` and `distanceCodes`, then end of block.
    private func writeSymbols(_ count: Int, into writer: inout BitWriter) {
        let symbols = symbols, literalCodes = literalCodes, literalLengths = literalLengths
        let distanceCodes = distanceCodes, distanceLengths = distanceLengths
        DeflateTables.lengthIndex.withUnsafeBufferPointer { lengthIndex in
        DeflateTables.distanceIndex.withUnsafeBufferPointer { distanceIndex in
        DeflateTables.lengthBase.withUnsafeBufferPointer { lengthBase in
        DeflateTables.lengthExtra.withUnsafeBufferPointer { lengthExtra in
        DeflateTables.distanceBase.withUnsafeBufferPointer { distanceBase in
        DeflateTables.distanceExtra.withUnsafeBufferPointer { distanceExtra in
            for index in 0..<count {
                let symbol = symbols[index]
                if symbol < 1 << 31 {
                    writer.put(UInt64(literalCodes[Int(symbol)]), Int(literalLengths[Int(symbol)]))
                    continue
                }
                let length = Int((symbol &>> 15) & 0xFF) &+ 3
                let l = Int(lengthIndex[length &- 3])
                var bits = UInt64(literalCodes[257 &+ l])
                var bitCount = Int(literalLengths[257 &+ l])
                bits |= UInt64(length &- Int(lengthBase[l])) &<< UInt64(bitCount)
                bitCount &+= Int(lengthExtra[l])
                let d = Int(symbol & 0x7FFF)
                let c = Int(d < 256 ? distanceIndex[d] : distanceIndex[256 &+ d &>> 7])
                bits |= UInt64(distanceCodes[c]) &<< UInt64(bitCount)
                bitCount &+= Int(distanceLengths[c])
                bits |= UInt64(d &+ 1 &- Int(distanceBase[c])) &<< UInt64(bitCount)
                bitCount &+= Int(distanceExtra[c])
                writer.put(bits, bitCount)
            }
        }}}}}}
        writer.put(UInt64(literalCodes[256]), Int(literalLengths[256]))
    }
}

/// A dynamic block's header: how many literal/length and distance code lengths it
/// gives, and those lengths run-length coded in the code-length code (RFC 1951 3.2.7).
struct DynamicHeader {
    private var literalCount = 257
    private var distanceCount = 1
    /// Code-length symbols: symbol | repeat-count extra << 8.
    private var items: [UInt16] = []
    private var codeLengths = [UInt8](repeating: 0, count: 19)
    private var codeLengthCodes = [UInt16](repeating: 0, count: 19)
    private var codeLengthCount = 4
    /// The header's size, after the 3 bits of block type.
    private(set) var bits = 0

    init(literalLengths: UnsafePointer<UInt8>, distanceLengths: UnsafePointer<UInt8>) {
        literalCount = 286
        while literalCount > 257 && literalLengths[literalCount - 1] == 0 { literalCount -= 1 }
        distanceCount = 30
        while distanceCount > 1 && distanceLengths[distanceCount - 1] == 0 { distanceCount -= 1 }
        var lengths = (0..<literalCount).map { literalLengths[$0] }
        lengths += (0..<distanceCount).map { distanceLengths[$0] }

        var frequencies = [UInt32](repeating: 0, count: 19)
        func item(_ symbol: Int, _ extra: Int = 0) {
            items.append(UInt16(symbol | extra << 8))
            frequencies[symbol] += 1
        }
        var index = 0
        while index < lengths.count {
            let length = Int(lengths[index])
            var run = 1
            while index + run < lengths.count && lengths[index + run] == lengths[index] { run += 1 }
            index += run
            if length == 0 {
                while run >= 11 { let n = min(run, 138); item(18, n - 11); run -= n }
                if run >= 3 { item(17, run - 3); run = 0 }
            } else {
                item(length)
                run -= 1
                while run >= 3 { let n = min(run, 6); item(16, n - 3); run -= n }
            }
            for _ in 0..<run { item(length) }
        }
        frequencies.withUnsafeBufferPointer { frequencies in
            codeLengths.withUnsafeMutableBufferPointer {
                HuffmanCode.lengths(of: frequencies.baseAddress!, count: 19, maxBits: 7, into: $0.baseAddress!)
            }
        }
        codeLengths.withUnsafeBufferPointer { lengths in
            codeLengthCodes.withUnsafeMutableBufferPointer {
                HuffmanCode.codes(lengths: lengths.baseAddress!, count: 19, into: $0.baseAddress!)
            }
        }
        codeLengthCount = 19
        while codeLengthCount > 4 && codeLengths[DeflateTables.codeLengthOrder[codeLengthCount - 1]] == 0 {
            codeLengthCount -= 1
        }
        bits = 14 + 3 * codeLengthCount
        for symbol in 0..<19 {
            bits += Int(frequencies[symbol]) * (Int(codeLengths[symbol]) + DeflateTables.codeLengthExtra(symbol))
        }
    }

    func write(into writer: inout BitWriter) {
        writer.put(UInt64(literalCount - 257) | UInt64(distanceCount - 1) << 5 | UInt64(codeLengthCount - 4) << 10, 14)
        for index in 0..<codeLengthCount {
            writer.put(UInt64(codeLengths[DeflateTables.codeLengthOrder[index]]), 3)
        }
        for item in items {
            let symbol = Int(item & 0xFF)
            writer.put(UInt64(codeLengthCodes[symbol]), Int(codeLengths[symbol]))
            writer.put(UInt64(item >> 8), DeflateTables.codeLengthExtra(symbol))
        }
    }
}
