#if canImport(Glibc)
import Glibc
#endif

/// What a command reads when its file argument is `-`: standard input, whole, up to a limit.
enum StandardInput {
    /// Every byte of standard input, or a `RuntimeError` naming `stage` when it cannot be
    /// read or holds more than `limit` bytes.
    static func readAll(limit: Int = 256 << 20, stage: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw RuntimeError(message: "\(stage): standard input: \(String(cString: strerror(errno)))")
            }
            guard bytes.count + count <= limit else {
                throw RuntimeError(message: "\(stage): standard input: larger than \(limit) bytes")
            }
            bytes += chunk.prefix(count)
        }
    }
}
