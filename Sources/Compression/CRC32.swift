/// CRC-32 as gzip (RFC 1952) and zlib's `crc32` compute it: the reflected polynomial
/// 0xEDB88320, starting from all ones and inverted at the end. Eight bytes a step
/// ("slicing by 8"), so the checksum costs little beside the compressor.
public enum CRC32 {
    /// The CRC-32 of `bytes`, continuing from `crc` (the CRC of the bytes before them).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress else { return crc }
        return tables.withUnsafeBufferPointer { table in
            update(~crc, base, bytes.count, table.baseAddress!)
        }
    }

    public static func checksum(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: crc) }
    }

    /// Eight tables of 256: table k gives the CRC of a byte followed by k zero bytes.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            tables[byte] = crc
        }
        for k in 1..<8 {
            for byte in 0..<256 {
                let before = tables[(k - 1) * 256 + byte]
                tables[k * 256 + byte] = (before >> 8) ^ tables[Int(before & 0xFF)]
            }
        }
        return tables
    }()

    private static func update(_ start: UInt32, _ base: UnsafeRawPointer, _ count: Int,
                               _ table: UnsafePointer<UInt32>) -> UInt32 {
        var crc = start
        var p = base
        let end = base + count
        while end - p >= 8 {
            let low = p.loadUnaligned(as: UInt32.self).littleEndian ^ crc
            let high = (p + 4).loadUnaligned(as: UInt32.self).littleEndian
            crc = table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
                ^ table[5 * 256 + Int((low >> 16) & 0xFF)] ^ table[4 * 256 + Int(low >> 24)]
                ^ table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                ^ table[1 * 256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
            p += 8
        }
        while p < end {
            crc = (crc >> 8) ^ table[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)]
            p += 1
        }
        return ~crc
    }
}
