internal import CZlib

/// One zlib stream, deflating or inflating gzip: it owns its `z_stream` and ends it in
/// `deinit`.
final class ZStream {
    enum Direction { case deflate, inflate }

    private let direction: Direction
    private let stream: UnsafeMutablePointer<z_stream>

    /// 15 bits of window, plus 16: gzip's header and trailer instead of zlib's.
    private static let gzipWindowBits: Int32 = 15 + 16

    init(_ direction: Direction) throws(GzipError) {
        self.direction = direction
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = switch direction {
        case .deflate: czlib_deflate_init2(stream, Z_BEST_SPEED, Self.gzipWindowBits, 8)
        case .inflate: czlib_inflate_init2(stream, Self.gzipWindowBits)
        }
        guard status == Z_OK else {
            stream.deallocate()
            throw GzipError("zlib would not start (\(status))")
        }
    }

    deinit {
        switch direction {
        case .deflate: deflateEnd(stream)
        case .inflate: inflateEnd(stream)
        }
        stream.deallocate()
    }

    /// `bytes` as one gzip member (zlib's fastest level: documents are stored as fetched
    /// and read back rarely).
    func deflate(_ bytes: [UInt8]) -> [UInt8] {
        let bound = Int(deflateBound(stream, uLong(bytes.count)))
        return bytes.withUnsafeBufferPointer { input in
            [UInt8](unsafeUninitializedCapacity: bound) { output, count in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.pointee.avail_in = uInt(input.count)
                stream.pointee.next_out = output.baseAddress
                stream.pointee.avail_out = uInt(bound)
                // deflateBound is enough for one Z_FINISH call (zlib's documented promise).
                let status = CZlib.deflate(stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate within deflateBound did not finish: \(status)")
                count = Int(stream.pointee.total_out)
            }
        }
    }

    /// The bytes of the gzip data `bytes`, every member in turn (as `gunzip` reads
    /// concatenated files), each checked against its CRC-32 and size by zlib; at most
    /// `maxOutput` bytes.
    func inflate(_ bytes: [UInt8], maxOutput: Int) throws(GzipError) -> [UInt8] {
        guard bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B else {
            throw GzipError(bytes.count < 2 ? "truncated header" : "not gzip data (no 1f 8b signature)")
        }
        var output: [UInt8] = []
        // The last member's trailer gives its size (modulo 2^32): room for that much at
        // once, within the limit, rather than growing by doubling (a hint, never trusted).
        let count = bytes.count
        if count >= 18 {  // a header and a trailer at least
            let stated = Int(bytes[count - 4]) | Int(bytes[count - 3]) << 8 | Int(bytes[count - 2]) << 16
                | Int(bytes[count - 1]) << 24
            output.reserveCapacity(min(stated, maxOutput, 64 << 20))
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let result: Result<Void, GzipError> = bytes.withUnsafeBufferPointer { input in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.pointee.avail_in = uInt(input.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.pointee.next_out = buffer.baseAddress
                    stream.pointee.avail_out = uInt(buffer.count)
                    return CZlib.inflate(stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.pointee.avail_out)
                guard output.count + produced <= maxOutput else { return .failure(.outputOver(maxOutput)) }
                output += chunk.prefix(produced)
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    let left = Int(stream.pointee.avail_in)
                    guard left > 0 else { return .success(()) }
                    // Another member must follow, or the data has a tail that is not gzip.
                    let next = input.count - left
                    guard left >= 2, input[next] == 0x1F, input[next + 1] == 0x8B else {
                        return .failure(GzipError("trailing data after the last member"))
                    }
                    inflateReset(stream)
                case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                    return .failure(GzipError("truncated stream"))
                case Z_DATA_ERROR:
                    return .failure(GzipError("corrupt data (\(message))"))
                case Z_MEM_ERROR:
                    return .failure(GzipError("out of memory"))
                default:
                    return .failure(GzipError("zlib error \(status) (\(message))"))
                }
            }
        }
        try result.get()
        return output
    }

    /// zlib's own words for the last error.
    private var message: String {
        stream.pointee.msg.map { String(cString: $0) } ?? "no message"
    }
}
