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
        for field in [title, summary] {
            // A missing field and an empty one differ; the separator keeps fields apart.
            mix(field == nil ? 0 : 1)
            for byte in (field ?? "").utf8 { mix(byte) }
            mix(0x1f)
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Registers `bulletin_content_hash(title, summary)` on `db`, for migrations.
    static func register(on db: SQLiteConnection) throws {
        try db.createFunction("bulletin_content_hash", argumentCount: 2) { arguments in
            .text(of(title: arguments[0].string, summary: arguments[1].string))
        }
    }
}
