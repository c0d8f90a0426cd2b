/// A checksum of a feed document, to tell an unchanged 200 from a changed one without
/// keeping the old body at hand: 64-bit FNV-1a and the length, in hex. It detects change;
/// it is not a cryptographic hash (a server can only fool it about its own feed).
public enum BodyChecksum {
    public static func of(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + "-" + String(bytes.count, radix: 16)
    }
}
