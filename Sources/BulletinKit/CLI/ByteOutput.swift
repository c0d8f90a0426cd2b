/// Where JSON text is written: a `[UInt8]`, or `OutputChunks` when a large document is
/// built of many small pieces (there an append is a capacity check and a copy, where
/// `Array.append(contentsOf:)` costs some 150 instructions).
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
