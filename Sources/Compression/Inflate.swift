/// RFC 1951 DEFLATE decompression, for input that may be broken or hostile: stored,
/// fixed and dynamic blocks as any compressor writes them; every malformed stream (cut
/// short, bad block type, code lengths that over- or under-fill their code, a distance
/// before the output's start) is an error, never a crash or a loop, and the output stops
/// at `maxOutput` bytes, so a "bomb" ends with an error too.
public enum Inflate {
    /// The bytes of the raw DEFLATE stream `bytes`, which must end where the stream does.
    public static func decompress(_ bytes: [UInt8], maxOutput: Int) throws -> [UInt8] {
        try bytes.withUnsafeBytes { input in
            guard let base = input.baseAddress, !input.isEmpty else {
                throw CompressionError(format: "deflate", reason: "truncated stream")
            }
            var inflater = Inflater(base.assumingMemoryBound(to: UInt8.self), count: input.count, format: "deflate",
                                    maxOutput: maxOutput, expected: input.count * 4)
            try inflater.inflateStream()
            guard inflater.position == input.count else { throw inflater.error("trailing data after the stream") }
            return inflater.output()
        }
    }
}

/// A Huffman code made ready to decode: a table indexed by the next `fastBits` bits for
/// codes that short (symbol << 4 | length; 0 for a longer or unused code), and the
/// counts and symbols in canonical order to decode the rest a bit at a time.
struct HuffmanDecoder {
    let fastBits: Int
    let fast: UnsafeMutablePointer<UInt16>
    let counts: UnsafeMutablePointer<UInt16>
    let symbols: UnsafeMutablePointer<UInt16>

    /// Working memory for a code of up to `symbolCount` symbols, from `memory`.
    init(fastBits: Int, symbolCount: Int, memory: inout UnsafeMutablePointer<UInt16>) {
        self.fastBits = fastBits
        fast = memory
        counts = memory + (1 << fastBits)
        symbols = counts + 16
        memory = symbols + symbolCount
    }

    static func memory(fastBits: Int, symbolCount: Int) -> Int { (1 << fastBits) + 16 + symbolCount }

    /// Makes the code whose lengths are `lengths`. An incomplete code is refused, but for
    /// a single code of one bit (or none, when `allowsEmpty`), as zlib does; the unused
    /// codes then fail when read.
    func build(_ lengths: UnsafePointer<UInt8>, count: Int, name: String, allowsEmpty: Bool) -> String? {
        counts.update(repeating: 0, count: 16)
        for symbol in 0..<count { counts[Int(lengths[symbol])] &+= 1 }
        counts[0] = 0
        var left = 1, used = 0
        for length in 1..<16 {
            left = left << 1 - Int(counts[length])
            used += Int(counts[length])
            if left < 0 { return "over-subscribed \(name) code" }
        }
        if left > 0 && !(used == 1 && counts[1] == 1) && !(used == 0 && allowsEmpty) {
            return "incomplete \(name) code"
        }
        var offsets = [UInt16](repeating: 0, count: 16)
        for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
        for symbol in 0..<count where lengths[symbol] != 0 {
            let length = Int(lengths[symbol])
            symbols[Int(offsets[length])] = UInt16(symbol)
            offsets[length] += 1
        }
        fast.update(repeating: 0, count: 1 << fastBits)
        var code: UInt16 = 0, index = 0
        for length in 1...fastBits {
            for _ in 0..<counts[length] {
                let entry = symbols[index] << 4 | UInt16(length)
                var slot = Int(HuffmanCode.reversed(code, length))
                while slot < 1 << fastBits {
                    fast[slot] = entry
                    slot += 1 << length
                }
                code += 1
                index += 1
            }
            code <<= 1
        }
        return nil
    }
}

/// The state of one decompression: the input and its bit buffer, the output so far.
struct Inflater: ~Copyable {
    private let input: UnsafePointer<UInt8>
    private let inputCount: Int
    /// The next input byte not yet in `bits`.
    private(set) var position = 0
    /// Bits read ahead, from the low end; `bitCount` of them are valid (the bits above
    /// them may hold the next bytes' bits, never anything else).
    private var bits: UInt64 = 0
    private var bitCount = 0
    /// Zero bytes taken in past the input's end (a stream that needs them is cut short).
    private var padding = 0

    private var out: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes of output so far.
    private(set) var count = 0
    /// Where the output of the stream being read starts (distances may not reach before it).
    var streamStart = 0
    private let maxOutput: Int
    private let format: String

    private let memory: UnsafeMutablePointer<UInt16>
    /// `DeflateTables`' length and distance tables, copied here for the decoding loop.
    private let lengthBase, lengthExtra, distanceBase, distanceExtra: UnsafeMutablePointer<UInt16>
    private let literals: HuffmanDecoder, distances: HuffmanDecoder, codeLengths: HuffmanDecoder
    private let fixedLiterals: HuffmanDecoder, fixedDistances: HuffmanDecoder
    private let lengths = UnsafeMutablePointer<UInt8>.allocate(capacity: 320)

    /// `expected`: the likely output size, to allocate once (never more than `maxOutput`).
    init(_ input: UnsafePointer<UInt8>, count: Int, format: String, maxOutput: Int, expected: Int) {
        self.input = input
        inputCount = count
        self.format = format
        self.maxOutput = max(0, maxOutput)
        capacity = min(self.maxOutput, max(expected, 1024))
        out = .allocate(capacity: capacity + 8)
        // Table bits: codes that long or shorter decode in one look-up. Every dynamic block
        // fills its tables anew, so they stay small (zlib's are 9 and 6 bits).
        let literal = (bits: 10, symbols: 288), distance = (bits: 8, symbols: 32), codeLength = (bits: 7, symbols: 19)
        let sizes = [literal, distance, codeLength, literal, distance]
        memory = .allocate(capacity: 4 * 32 + sizes.reduce(0) { $0 + HuffmanDecoder.memory(fastBits: $1.bits, symbolCount: $1.symbols) })
        lengthBase = memory
        lengthExtra = memory + 32
        distanceBase = memory + 64
        distanceExtra = memory + 96
        lengthBase.initialize(from: DeflateTables.lengthBase, count: 29)
        lengthExtra.initialize(from: DeflateTables.lengthExtra.map(UInt16.init), count: 29)
        distanceBase.initialize(from: DeflateTables.distanceBase, count: 30)
        distanceExtra.initialize(from: DeflateTables.distanceExtra.map(UInt16.init), count: 30)
        var next = memory + 4 * 32
        literals = HuffmanDecoder(fastBits: literal.bits, symbolCount: literal.symbols, memory: &next)
        distances = HuffmanDecoder(fastBits: distance.bits, symbolCount: distance.symbols, memory: &next)
        codeLengths = HuffmanDecoder(fastBits: codeLength.bits, symbolCount: codeLength.symbols, memory: &next)
        fixedLiterals = HuffmanDecoder(fastBits: literal.bits, symbolCount: literal.symbols, memory: &next)
        fixedDistances = HuffmanDecoder(fastBits: distance.bits, symbolCount: distance.symbols, memory: &next)
        DeflateTables.fixedLiteralLengths.withUnsafeBufferPointer {
            _ = fixedLiterals.build($0.baseAddress!, count: 288, name: "fixed", allowsEmpty: false)
        }
        DeflateTables.fixedDistanceLengths.withUnsafeBufferPointer {
            _ = fixedDistances.build($0.baseAddress!, count: 32, name: "fixed", allowsEmpty: false)
        }
    }

    deinit {
        out.deallocate()
        memory.deallocate()
        lengths.deallocate()
    }

    func error(_ reason: String) -> CompressionError { CompressionError(format: format, reason: reason) }

    /// The output so far.
    func output() -> [UInt8] { Array(UnsafeBufferPointer(start: out, count: count)) }

    /// The output from `start`, as raw bytes (for its checksum).
    func output(from start: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: out + start, count: count - start)
    }

    // MARK: Input

    /// Fills `bits` to at least 56 valid bits, with zero bytes past the input's end.
    @inline(__always) private mutating func refill() throws(CompressionError) {
        if position &+ 8 <= inputCount {
            bits |= UnsafeRawPointer(input + position).loadUnaligned(as: UInt64.self).littleEndian &<< UInt64(bitCount)
            position &+= (63 &- bitCount) &>> 3
            bitCount |= 56
            return
        }
        while bitCount <= 56 {
            if position < inputCount {
                bits |= UInt64(input[position]) &<< UInt64(bitCount)
                position += 1
            } else {
                padding += 1
                if padding > 8 { throw truncated }
            }
            bitCount += 8
        }
    }

    private var truncated: CompressionError { error("truncated stream") }

    /// Takes `n` (at most 32) bits.
    private mutating func take(_ n: Int) throws(CompressionError) -> Int {
        if bitCount < n { try refill() }
        return takeBuffered(n)
    }

    /// Takes `n` bits known to be buffered.
    @inline(__always) private mutating func takeBuffered(_ n: Int) -> Int {
        let value = Int(truncatingIfNeeded: bits & (1 &<< UInt64(n) &- 1))
        bits = bits &>> UInt64(n)
        bitCount &-= n
        return value
    }

    /// Drops the bits to the next byte boundary and gives back the whole bytes buffered,
    /// so the input is read from `position` on; fails when that is past the input's end.
    private mutating func alignToByte() throws(CompressionError) {
        let buffered = bitCount >> 3
        guard buffered >= padding else { throw truncated }
        position -= buffered - padding
        padding = 0
        bits = 0
        bitCount = 0
    }

    /// The next symbol of `code`; at least 15 bits must be buffered.
    @inline(__always) private mutating func decode(_ code: HuffmanDecoder) throws(CompressionError) -> Int {
        let entry = code.fast[Int(truncatingIfNeeded: bits & (1 &<< UInt64(code.fastBits) &- 1))]
        if entry != 0 {
            let length = Int(entry & 15)
            bits = bits &>> UInt64(length)
            bitCount &-= length
            return Int(entry >> 4)
        }
        // Longer codes a bit at a time, as zlib's puff.c decodes.
        var value = 0, first = 0, index = 0
        var peek = bits
        for length in 1..<16 {
            value |= Int(peek & 1)
            peek >>= 1
            let count = Int(code.counts[length])
            if value - count < first {
                _ = takeBuffered(length)
                return Int(code.symbols[index + value - first])
            }
            index += count
            first = (first + count) << 1
            value <<= 1
        }
        throw error("invalid Huffman code")
    }

    // MARK: Output

    @inline(__always) private mutating func reserve(_ n: Int) throws(CompressionError) {
        if count &+ n > capacity { try grow(n) }
    }

    private mutating func grow(_ n: Int) throws(CompressionError) {
        guard count + n <= maxOutput else { throw error("output over \(maxOutput) bytes") }
        let newCapacity = min(maxOutput, max(capacity * 2, count + n, 4096))
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + 8)
        grown.update(from: out, count: count)
        out.deallocate()
        out = grown
        capacity = newCapacity
    }

    // MARK: Blocks

    /// Reads one DEFLATE stream from `position`, appending its bytes to the output; leaves
    /// `position` at the byte after the stream.
    mutating func inflate(from start: Int) throws(CompressionError) {
        position = start
        bits = 0
        bitCount = 0
        padding = 0
        try inflateStream()
    }

    mutating func inflateStream() throws(CompressionError) {
        streamStart = count
        var final = false
        do throws(CompressionError) {
            while !final {
                final = try take(1) == 1
                switch try take(2) {
                case 0: try storedBlock()
                case 1: try codedBlock(fixedLiterals, fixedDistances)
                case 2:
                    try readDynamicCodes()
                    try codedBlock(literals, distances)
                default: throw error("invalid block type 3")
                }
                guard !isPastEnd else { throw truncated }
            }
        } catch {
            // Whatever the zero bits past the end decoded to, the stream was cut short.
            throw isPastEnd ? truncated : error
        }
        try alignToByte()
    }

    /// True when bits past the input's end were taken.
    private var isPastEnd: Bool { padding * 8 > bitCount }

    private mutating func storedBlock() throws(CompressionError) {
        try alignToByte()
        guard inputCount - position >= 4 else { throw truncated }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == complement ^ 0xFFFF else { throw error("stored block length does not match its complement") }
        position += 4
        guard inputCount - position >= length else { throw truncated }
        try reserve(length)
        (out + count).update(from: input + position, count: length)
        count += length
        position += length
    }

    /// The literal/length and distance codes of a dynamic block, from its header.
    private mutating func readDynamicCodes() throws(CompressionError) {
        let literalCount = try take(5) + 257
        let distanceCount = try take(5) + 1
        let codeLengthCount = try take(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw error("too many length or distance codes") }
        lengths.update(repeating: 0, count: 19)
        for index in 0..<codeLengthCount {
            lengths[DeflateTables.codeLengthOrder[index]] = UInt8(try take(3))
        }
        if let problem = codeLengths.build(lengths, count: 19, name: "code-length", allowsEmpty: false) {
            throw error(problem)
        }
        let total = literalCount + distanceCount
        var index = 0
        while index < total {
            if bitCount < 32 { try refill() }
            let symbol = try decode(codeLengths)
            if symbol < 16 {
                lengths[index] = UInt8(symbol)
                index += 1
                continue
            }
            var repeated: UInt8 = 0, times: Int
            switch symbol {
            case 16:
                guard index > 0 else { throw error("repeated code length with none before") }
                repeated = lengths[index - 1]
                times = 3 + takeBuffered(2)
            case 17: times = 3 + takeBuffered(3)
            default: times = 11 + takeBuffered(7)
            }
            guard index + times <= total else { throw error("code lengths repeated past their end") }
            (lengths + index).update(repeating: repeated, count: times)
            index += times
        }
        guard lengths[256] != 0 else { throw error("no end-of-block code") }
        if let problem = literals.build(lengths, count: literalCount, name: "literal/length", allowsEmpty: false) {
            throw error(problem)
        }
        if let problem = distances.build(lengths + literalCount, count: distanceCount, name: "distance",
                                         allowsEmpty: true) {
            throw error(problem)
        }
    }

    /// Literals and matches up to the end-of-block code.
    private mutating func codedBlock(_ literalCode: HuffmanDecoder, _ distanceCode: HuffmanDecoder)
        throws(CompressionError) {
        while true {
            // A symbol takes at most 48 bits: 15 + 5 extra, then 15 + 13 extra.
            if bitCount < 48 { try refill() }
            let symbol = try decode(literalCode)
            if symbol < 256 {
                try reserve(1)
                out[count] = UInt8(truncatingIfNeeded: symbol)
                count &+= 1
                continue
            }
            if symbol == 256 { return }
            let l = symbol &- 257
            guard l < 29 else { throw error("invalid length code \(symbol)") }
            let length = Int(lengthBase[l]) &+ takeBuffered(Int(lengthExtra[l]))
            let d = try decode(distanceCode)
            guard d < 30 else { throw error("invalid distance code \(d)") }
            let distance = Int(distanceBase[d]) &+ takeBuffered(Int(distanceExtra[d]))
            guard distance <= count &- streamStart else {
                throw error("distance \(distance) beyond the start of the output")
            }
            try reserve(length)
            copyMatch(length: length, distance: distance)
        }
    }

    /// Appends `length` bytes from `distance` back; room for them (and 8 more) is reserved.
    @inline(__always) private mutating func copyMatch(length: Int, distance: Int) {
        var to = out + count
        var from = to - distance
        let end = to + length
        if distance >= 8 {
            while to < end {
                UnsafeMutableRawPointer(to).storeBytes(of: UnsafeRawPointer(from).loadUnaligned(as: UInt64.self),
                                                       as: UInt64.self)
                to += 8
                from += 8
            }
        } else {
            while to < end {
                to.pointee = from.pointee
                to += 1
                from += 1
            }
        }
        count &+= length
    }
}
