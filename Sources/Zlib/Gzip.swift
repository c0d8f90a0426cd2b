/// gzip (RFC 1952) through the system's zlib: what the store compresses raw documents with.
public enum Gzip {
    /// `bytes` as one gzip member.
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        do {
            return try ZStream(.deflate).deflate(bytes)
        } catch {
            preconditionFailure("\(error)")  // only when zlib cannot allocate its state
        }
    }

    /// The bytes of the gzip data `bytes` (every member, each checked against its CRC-32
    /// and size), at most `maxOutput` of them: broken, truncated or oversized data is an
    /// error saying what failed.
    public static func decompress(_ bytes: [UInt8], maxOutput: Int) throws(GzipError) -> [UInt8] {
        try ZStream(.inflate).inflate(bytes, maxOutput: maxOutput)
    }
}
