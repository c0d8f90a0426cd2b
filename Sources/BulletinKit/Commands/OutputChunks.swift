#if canImport(Glibc)
import Glibc
#endif
import Delivery

/// A large output kept in memory until it can be written, in chunks of 2 MB, each aligned
/// to 2 MB and marked for transparent huge pages (`MADV_HUGEPAGE`): filling 20 MB then
/// costs ten page faults, not 5,000. Where the kernel gives no huge pages the advice is
/// ignored and the output is the same.
final class OutputChunks {
    private var chunks: [(memory: UnsafeMutableRawBufferPointer, used: Int)] = []
    private static let chunkBytes = 2 << 20

    init() {}

    deinit {
        for chunk in chunks { chunk.memory.deallocate() }
    }

    /// Appends `bytes`, in a new chunk when the last one lacks room (a chunk as large as
    /// `bytes` when they are larger than a chunk).
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if chunks.isEmpty || chunks[chunks.count - 1].memory.count - chunks[chunks.count - 1].used < bytes.count {
            let size = (bytes.count + Self.chunkBytes - 1) / Self.chunkBytes * Self.chunkBytes
            let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: Self.chunkBytes)
            // Advice only: when it is refused, the chunk has ordinary pages.
            _ = madvise(memory.baseAddress, size, MADV_HUGEPAGE)
            chunks.append((memory, 0))
        }
        let last = chunks.count - 1
        (chunks[last].memory.baseAddress! + chunks[last].used).copyMemory(from: source, byteCount: bytes.count)
        chunks[last].used += bytes.count
    }

    /// Writes everything appended to `output`, in order.
    func write(to output: FileDescriptorOutput) throws(DeliveryError) {
        for chunk in chunks {
            try output.write(bytes: UnsafeRawBufferPointer(rebasing: chunk.memory[..<chunk.used]))
        }
    }
}

@available(*, unavailable)
extension OutputChunks: Sendable {}
