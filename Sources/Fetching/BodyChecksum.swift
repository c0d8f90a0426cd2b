/// A checksum of a feed document, to tell an unchanged 200 from a changed one without
/// keeping the old body at hand: a 64-bit hash and the length, in hex. It detects change;
/// it is not a cryptographic hash (a server can only fool it about its own feed).
///
/// The hash reads the body eight bytes at a time (a multiply and a rotation a word), which
/// costs an eighth of the byte-at-a-time FNV-1a of checksums stored by earlier versions;
/// those (16 hex digits, no `w` before them) are still compared with the body they name.
public enum BodyChecksum {
    public static func of(_ bytes: [UInt8]) -> String {
        "w" + hex(wordHash(bytes)) + "-" + String(bytes.count, radix: 16)
    }

    /// True when `checksum`, of this version's kind or of an earlier one, is that of `bytes`;
    /// `current` is `of(bytes)`, already made.
    public static func matches(_ checksum: String?, _ bytes: [UInt8], current: String) -> Bool {
        guard let checksum else { return false }
        if checksum.hasPrefix("w") { return checksum == current }
        return checksum == hex(fnv1a(bytes)) + "-" + String(bytes.count, radix: 16)
    }

    private static func wordHash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { buffer in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            func mix(_ word: UInt64) {
                hash = ((hash ^ word) &* 0x9E37_79B9_7F4A_7C15)
                hash = (hash << 31) | (hash >> 33)
            }
            var index = 0
            while index + 8 <= buffer.count {
                mix(UInt64(littleEndian: UnsafeRawPointer(buffer.baseAddress! + index).loadUnaligned(as: UInt64.self)))
                index += 8
            }
            var tail: UInt64 = 0
            for (shift, byte) in buffer[index...].enumerated() { tail |= UInt64(byte) << (8 * UInt64(shift)) }
            mix(tail)
            // Each bit of the last words reaches every bit of the result.
            hash ^= hash >> 29
            hash = hash &* 0xBF58_476D_1CE4_E5B9
            return hash ^ (hash >> 32)
        }
    }

    /// 64-bit FNV-1a, byte by byte: the checksums earlier versions stored.
    private static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
