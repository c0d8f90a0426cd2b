/// Where JSON text is written: a `[UInt8]`, or a `ByteBuffer` when a large document is built
/// of many small pieces.
protocol ByteOutput {
    mutating func append(_ byte: UInt8)
    mutating func append(bytes: UnsafeRawBufferPointer)
}

extension ByteOutput {
    /// Appends the UTF-8 of a literal (straight from the binary, with no `String` made).
    mutating func append(literal: StaticString) {
        append(bytes: UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}

extension [UInt8]: ByteOutput {
    mutating func append(bytes: UnsafeRawBufferPointer) { append(contentsOf: bytes) }
}

/// Bytes in memory of its own (freed in `deinit`), growing by doubling. An append is a
/// capacity check and a copy: far less than `Array.append(contentsOf:)` costs, which
/// matters where each JSON entry is some thirty appends.
final class ByteBuffer: ByteOutput {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 4096) {
        self.capacity = max(capacity, 16)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit {
        base.deallocate()
    }

    /// The bytes appended so far, valid until the next change.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    func removeAll() {
        count = 0
    }

    func append(_ byte: UInt8) {
        if count == capacity { grow(toFit: 1) }
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    func append(bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        if capacity - count < bytes.count { grow(toFit: bytes.count) }
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    private func grow(toFit more: Int) {
        let newCapacity = max(capacity * 2, count + more)
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}

@available(*, unavailable)
extension ByteBuffer: Sendable {}
