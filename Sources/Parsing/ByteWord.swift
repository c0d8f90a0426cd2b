/// Tests on eight bytes of text at once, read as one little-endian 64-bit word: each is
/// nonzero when some byte of the word matches (Bit Twiddling Hacks' "haszero" and
/// "hasless"). The bits set say roughly where: a byte right above a match may be set too,
/// so a caller that needs the exact place looks at the bytes one by one.
enum ByteWord {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `index` (the caller checks that there are eight).
    static func load(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
    }

    /// Nonzero when some byte equals `byte`; the high bit of every byte that does is set.
    static func bytes(_ word: UInt64, equalTo byte: UInt8) -> UInt64 {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highBits
    }

    /// Nonzero when some byte is a control character (below 0x20); the high bit of every
    /// one that is is set.
    static func controlBytes(_ word: UInt64) -> UInt64 {
        (word &- ones &* 0x20) & ~word & highBits
    }
}
