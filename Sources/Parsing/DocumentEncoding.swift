/// Chooses the encoding to read a feed document with when nothing reliable names one.
enum DocumentEncoding {
    /// The encoding to impose, or nil to let libxml2 follow the BOM and XML declaration.
    ///
    /// A caller's (HTTP) charset is used when the document declares nothing itself. A
    /// document with no BOM, no declared encoding and bytes that are not UTF-8 is read as
    /// windows-1252 (what browsers do), or ISO-8859-1 when it holds bytes windows-1252
    /// leaves undefined, so no byte is lost.
    static func choose(for bytes: [UInt8], given: String?) -> String? {
        if hasBOM(bytes) || declaresEncoding(bytes) { return nil }
        if let given { return given }
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        let undefinedIn1252: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]
        return bytes.contains(where: undefinedIn1252.contains) ? "ISO-8859-1" : "windows-1252"
    }

    private static func hasBOM(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE])
    }

    /// True when an XML declaration at the start names an encoding.
    private static func declaresEncoding(_ bytes: [UInt8]) -> Bool {
        guard bytes.starts(with: Array("<?xml".utf8)) else { return false }
        let declaration = bytes.prefix(200).prefix { $0 != UInt8(ascii: ">") }
        return String(decoding: declaration, as: UTF8.self).contains("encoding")
    }

    /// The document with its XML declaration reduced to `<?xml version="1.0"?>`, for a
    /// second reading when the declared encoding is unknown or a lie.
    static func removingDeclaredEncoding(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.starts(with: Array("<?xml".utf8)),
              let end = bytes.prefix(200).firstIndex(of: UInt8(ascii: ">")) else { return bytes }
        return Array("<?xml version=\"1.0\"?>".utf8) + bytes[(end + 1)...]
    }
}
