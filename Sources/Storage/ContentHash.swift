import SQLite

/// The fingerprint of an entry's content (title and summary), kept so a revised entry
/// still shows what it was: 64-bit FNV-1a over the UTF-8 text, as 16 hex digits.
/// Not a security hash; it only tells versions of one entry apart.
enum ContentHash {
    static func of(title: String?, summary: String?) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        // A missing field and an empty one differ; the separator keeps fields apart. Read
        // through `withUTF8` and written into one buffer: this runs once per stored entry.
        func mix(_ field: String?) {
            mix(field == nil ? 0 : 1)
            if var text = field { text.withUTF8 { for byte in $0 { mix(byte) } } }
            mix(0x1f)
        }
        mix(title)
        mix(summary)
        return String(unsafeUninitializedCapacity: 16) { digits in
            for index in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: hash >> UInt64(60 - 4 * index)) & 0xf
                digits[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            }
            return 16
        }
    }

    /// Registers `bulletin_content_hash(title, summary)` on `db`, for migrations.
    static func register(on db: SQLiteConnection) throws {
        try db.createFunction("bulletin_content_hash", argumentCount: 2) { arguments in
            .text(of(title: arguments[0].string, summary: arguments[1].string))
        }
    }
}
