/// Tests on eight bytes of text at once, read as one little-endian 64-bit word: each gives
/// the high bit of every byte that matches, exactly (no false positives, so the matches
/// can be combined byte by byte).
enum ByteWord {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let lowBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// The eight bytes at `index` (the caller checks that there are eight).
    static func load(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
    }

    /// The high bit of each zero byte.
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        ~(((word & lowBits) &+ lowBits) | word | lowBits)
    }

    /// The high bit of each byte equal to `byte`.
    static func bytes(_ word: UInt64, equalTo byte: UInt8) -> UInt64 {
        zeroBytes(word ^ (ones &* UInt64(byte)))
    }

    /// The high bit of each control character (below 0x20).
    static func controlBytes(_ word: UInt64) -> UInt64 {
        zeroBytes(word & (ones &* 0xE0))
    }
}
