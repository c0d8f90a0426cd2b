#if canImport(Glibc)
import Glibc
#endif
import Parsing

/// A feed file mapped read-only into memory (`mmap`), unmapped in `deinit`: the parser reads
/// the bytes where the kernel keeps them, with no copy of the file. A file larger than a feed
/// may be is refused before it is mapped.
final class MappedFile {
    /// The file's bytes, valid while this object lives.
    let bytes: UnsafeBufferPointer<UInt8>

    init(path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw RuntimeError(message: "parse: \(path): \(errno == ENOENT ? "no such file" : Self.reason(errno))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw RuntimeError(message: "parse: \(path): \(Self.reason(errno))") }
        guard status.st_mode & S_IFMT != S_IFDIR else { throw RuntimeError(message: "parse: \(path): \(Self.reason(EISDIR))") }
        let size = Int(status.st_size)
        guard size <= FeedLimits.maxDocumentBytes else { throw ParseError.tooLarge(document: path, bytes: size) }
        guard size > 0 else {
            bytes = UnsafeBufferPointer(start: nil, count: 0)  // mmap refuses an empty mapping (and pipes say 0)
            return
        }
        // MAP_POPULATE maps every page at once: the parser reads them all, and one fault per
        // 16 pages would cost more kernel time than the parsing of them.
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0)
        guard let address, address != MAP_FAILED else { throw RuntimeError(message: "parse: \(path): mmap: \(Self.reason(errno))") }
        bytes = UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }

    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}

@available(*, unavailable)
extension MappedFile: Sendable {}
