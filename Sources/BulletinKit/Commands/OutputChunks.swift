#if canImport(Glibc)
import Glibc
#endif
import Delivery

/// A large output kept in memory until it can be written, in chunks of 2 MB, each aligned
/// to 2 MB and marked for transparent huge pages (`MADV_HUGEPAGE`): filling 20 MB then
/// costs ten page faults, not 5,000. Where the kernel gives no huge pages the advice is
/// ignored and the output is the same. The chunks are freed in `deinit`.
final class OutputChunks: ByteOutput {
    /// The chunks filled so far, with the bytes used in each.
    private var filled: [(memory: UnsafeMutableRawPointer, used: Int)] = []
    /// The chunk being filled (nil before the first byte).
    private var current: UnsafeMutableRawPointer?
    private var used = 0
    private var room = 0
    private static let chunkBytes = 2 << 20

    init() {}

    deinit {
        for chunk in filled { chunk.memory.deallocate() }
        current?.deallocate()
    }

    func append(_ byte: UInt8) {
        if room == 0 { startChunk() }
        current!.storeBytes(of: byte, toByteOffset: used, as: UInt8.self)
        used += 1
        room -= 1
    }

    func append(bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        if let source = bytes.baseAddress, bytes.count <= room {
            (current! + used).copyMemory(from: source, byteCount: bytes.count)
            used += bytes.count
            room -= bytes.count
            return
        }
        var rest = bytes  // across the end of the chunk
        while let source = rest.baseAddress, !rest.isEmpty {
            if room == 0 { startChunk() }
            let count = min(room, rest.count)
            (current! + used).copyMemory(from: source, byteCount: count)
            used += count
            room -= count
            rest = UnsafeRawBufferPointer(rebasing: rest[count...])
        }
    }

    private func startChunk() {
        if let current { filled.append((current, used)) }
        let memory = UnsafeMutableRawPointer.allocate(byteCount: Self.chunkBytes, alignment: Self.chunkBytes)
        // Advice only: when it is refused, the chunk has ordinary pages.
        _ = madvise(memory, Self.chunkBytes, MADV_HUGEPAGE)
        current = memory
        used = 0
        room = Self.chunkBytes
    }

    /// Writes everything appended to `output`, in order.
    func write(to output: FileDescriptorOutput) throws(DeliveryError) {
        for chunk in filled { try output.write(bytes: UnsafeRawBufferPointer(start: chunk.memory, count: chunk.used)) }
        if let current { try output.write(bytes: UnsafeRawBufferPointer(start: current, count: used)) }
    }
}

@available(*, unavailable)
extension OutputChunks: Sendable {}
