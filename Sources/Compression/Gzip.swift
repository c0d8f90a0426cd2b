/// The gzip container (RFC 1952) around a DEFLATE stream: a header, the stream, then
/// the CRC-32 and the size (mod 2^32) of the uncompressed bytes.
public enum Gzip {
    /// `bytes` as one gzip member: no name, no time stamp, "fastest" flag, Unix.
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { input in
            [UInt8](unsafeUninitializedCapacity: 18 + Deflate.bound(input.count)) { buffer, count in
                let out = buffer.baseAddress!
                let header: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 4, 3]
                out.update(from: header, count: 10)
                var end = 10 + Deflate.compress(input, into: out + 10)
                for value in [CRC32.checksum(input), UInt32(truncatingIfNeeded: input.count)] {
                    for shift in stride(from: 0, to: 32, by: 8) {
                        out[end] = UInt8(truncatingIfNeeded: value >> shift)
                        end += 1
                    }
                }
                count = end
            }
        }
    }

    /// The bytes of the gzip data `bytes`: every member (as `gunzip` reads concatenated
    /// files), each checked against its CRC-32 and size; at most `maxOutput` bytes.
    public static func decompress(_ bytes: [UInt8], maxOutput: Int) throws -> [UInt8] {
        try bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count >= 18 else { throw failure("truncated header") }
            let input = base.assumingMemoryBound(to: UInt8.self)
            // The last member's size, to allocate the output once; believed only as far as
            // DEFLATE can expand (1032 times at most), so a forged size allocates no more.
            let expected = min(Int(littleEndian32(input + raw.count - 4)), raw.count * 1032)
            var inflater = Inflater(input, count: raw.count, format: "gzip", maxOutput: maxOutput, expected: expected)
            var position = 0
            repeat {
                guard raw.count - position >= 2, input[position] == 0x1F, input[position + 1] == 0x8B else {
                    throw failure(position == 0 ? "not gzip data (no 1f 8b signature)" : "trailing data after the last member")
                }
                let start = try header(input, count: raw.count, at: position)
                try inflater.inflate(from: start)
                position = inflater.position
                guard raw.count - position >= 8 else { throw failure("truncated trailer") }
                let output = inflater.output(from: inflater.streamStart)
                guard littleEndian32(input + position) == CRC32.checksum(output) else { throw failure("CRC-32 mismatch") }
                guard littleEndian32(input + position + 4) == UInt32(truncatingIfNeeded: output.count) else {
                    throw failure("size mismatch (ISIZE)")
                }
                position += 8
            } while position < raw.count
            return inflater.output()
        }
    }

    private static func failure(_ reason: String) -> CompressionError {
        CompressionError(format: "gzip", reason: reason)
    }

    private static func littleEndian32(_ p: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(p[0]) | UInt32(p[1]) << 8 | UInt32(p[2]) << 16 | UInt32(p[3]) << 24
    }

    /// Checks the member header at `start` and returns where its DEFLATE stream begins.
    private static func header(_ input: UnsafePointer<UInt8>, count: Int, at start: Int) throws(CompressionError) -> Int {
        guard count - start >= 10 else { throw failure("truncated header") }
        guard input[start + 2] == 8 else { throw failure("unknown compression method \(input[start + 2])") }
        let flags = input[start + 3]
        guard flags & 0xE0 == 0 else { throw failure("reserved header flags set") }
        var position = start + 10
        if flags & 0x04 != 0 {  // FEXTRA
            guard count - position >= 2 else { throw failure("truncated header") }
            position += 2 + (Int(input[position]) | Int(input[position + 1]) << 8)
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
            while position < count && input[position] != 0 { position += 1 }
            position += 1
        }
        if flags & 0x02 != 0 {  // FHCRC: the low 16 bits of the header's CRC-32
            guard count - position >= 2 else { throw failure("truncated header") }
            let crc = CRC32.checksum(UnsafeRawBufferPointer(start: input + start, count: position - start))
            guard UInt16(truncatingIfNeeded: crc) == UInt16(input[position]) | UInt16(input[position + 1]) << 8 else {
                throw failure("header CRC mismatch")
            }
            position += 2
        }
        guard position < count else { throw failure("truncated header") }
        return position
    }
}
