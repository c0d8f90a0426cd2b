/// Writes a DEFLATE bit stream (filled from each byte's low bit) into memory the caller
/// made big enough, with 8 bytes to spare past the last byte written: each `put`
/// stores a whole 64-bit word and moves on by the bytes it completed.
struct BitWriter {
    var out: UnsafeMutablePointer<UInt8>
    private var bits: UInt64 = 0
    /// Bits in `bits` not written for good yet: 0…7 between calls.
    private var count = 0

    init(_ out: UnsafeMutablePointer<UInt8>) { self.out = out }

    /// Appends the low `length` bits of `value` (at most 56; no higher bits set).
    @inline(__always) mutating func put(_ value: UInt64, _ length: Int) {
        bits |= value &<< UInt64(count)
        count &+= length
        UnsafeMutableRawPointer(out).storeBytes(of: bits.littleEndian, as: UInt64.self)
        let bytes = count &>> 3
        out += bytes
        bits = bits &>> UInt64(bytes &<< 3)
        count &= 7
    }

    /// Pads with zero bits to the next byte boundary (before a stored block, and at the end).
    mutating func alignToByte() {
        if count > 0 {
            out.pointee = UInt8(truncatingIfNeeded: bits)
            out += 1
        }
        bits = 0
        count = 0
    }

    /// Bits to pad to the next byte boundary.
    var bitsToByte: Int { (8 - count) & 7 }

    /// Appends bytes as they are; the stream must be at a byte boundary.
    mutating func copy(_ bytes: UnsafePointer<UInt8>, _ length: Int) {
        out.update(from: bytes, count: length)
        out += length
    }
}
