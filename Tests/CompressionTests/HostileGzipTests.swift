import Compression
import Testing

/// A DEFLATE stream written bit by bit, to make the broken ones no compressor would.
private struct Bits {
    var bytes: [UInt8] = []
    private var count = 0

    /// A number, low bit first (header fields, extra bits).
    mutating func put(_ value: Int, _ length: Int) {
        for index in 0..<length { bit(value >> index & 1) }
    }

    /// A Huffman code, first bit first.
    mutating func code(_ value: Int, _ length: Int) {
        for index in (0..<length).reversed() { bit(value >> index & 1) }
    }

    private mutating func bit(_ bit: Int) {
        if count % 8 == 0 { bytes.append(0) }
        bytes[bytes.count - 1] |= UInt8(bit) << UInt8(count % 8)
        count += 1
    }

    /// A dynamic block's header up to its code lengths: `lengths` of the code-length
    /// code's symbols, given in the RFC's order, as many as reach the last one set.
    mutating func dynamicHeader(literals: Int = 257, distances: Int = 1, codeLengths: [Int: Int]) {
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        let count = max(4, (order.lastIndex { codeLengths[$0] != nil } ?? 0) + 1)
        put(1, 1)
        put(2, 2)
        put(literals - 257, 5)
        put(distances - 1, 5)
        put(count - 4, 4)
        for symbol in order.prefix(count) { put(codeLengths[symbol] ?? 0, 3) }
    }
}

/// A fixed-code block's literal code (RFC 1951 3.2.6): 8 bits for 0…143, 9 for 144…255.
private func fixedLiteral(_ bits: inout Bits, _ byte: Int) {
    if byte < 144 { bits.code(0x30 + byte, 8) } else { bits.code(0x190 + byte - 144, 9) }
}

/// Broken, hostile and oversized input: always an error that says what failed, never a
/// crash, a hang or an allocation beyond `maxOutput`.
@Suite struct HostileGzipTests {
    let text = Samples.text(20_000)

    private func deflateError(_ bytes: [UInt8]) -> String? {
        do {
            _ = try Inflate.decompress(bytes, maxOutput: 1 << 20)
            return nil
        } catch {
            return "\(error)"
        }
    }

    private func gzipError(_ bytes: [UInt8], maxOutput: Int = 1 << 20) -> String? {
        do {
            _ = try Gzip.decompress(bytes, maxOutput: maxOutput)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func blockType3IsRefused() {
        #expect(deflateError([0x07]) == "deflate: invalid block type 3")
        let gzip: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0x07, 0, 0, 0, 0, 0, 0, 0, 0]
        #expect(gzipError(gzip) == "gzip: invalid block type 3")
    }

    @Test func aStoredLengthThatDoesNotMatchItsComplementIsRefused() {
        #expect(deflateError([0x01, 5, 0, 0, 0, 1, 2, 3, 4, 5]) == "deflate: stored block length does not match its complement")
        #expect(deflateError([0x01, 5, 0, 0xFA, 0xFF, 1, 2]) == "deflate: truncated stream")
    }

    @Test func anOverSubscribedLiteralCodeIsRefused() {
        // Code-length code: 1 → "0", 0 → "10", 18 → "11". Three literal codes of 1 bit.
        var bits = Bits()
        bits.dynamicHeader(codeLengths: [1: 1, 0: 2, 18: 2])
        bits.code(0, 1); bits.code(0, 1)  // symbols 0 and 1: length 1
        bits.code(3, 2); bits.put(127, 7)  // 138 zeros
        bits.code(3, 2); bits.put(105, 7)  // 116 zeros
        bits.code(0, 1)  // 256: length 1
        bits.code(2, 2)  // the distance: 0
        #expect(deflateError(bits.bytes) == "deflate: over-subscribed literal/length code")
    }

    @Test func anIncompleteLiteralCodeIsRefused() {
        // Code-length code: 18 → "0", 0 → "10", 2 → "11". Two literal codes of 2 bits.
        var bits = Bits()
        bits.dynamicHeader(codeLengths: [18: 1, 0: 2, 2: 2])
        bits.code(3, 2)  // symbol 0: length 2
        bits.code(0, 1); bits.put(127, 7)  // 138 zeros
        bits.code(0, 1); bits.put(106, 7)  // 117 zeros
        bits.code(3, 2)  // 256: length 2
        bits.code(2, 2)  // the distance: 0
        #expect(deflateError(bits.bytes) == "deflate: incomplete literal/length code")
    }

    @Test func anOverSubscribedCodeLengthCodeIsRefused() {
        var bits = Bits()
        bits.dynamicHeader(codeLengths: [16: 1, 17: 1, 18: 1, 0: 1])
        #expect(deflateError(bits.bytes) == "deflate: over-subscribed code-length code")
    }

    @Test func aRepeatWithNothingBeforeIsRefused() {
        // Code-length code: 0 → "0", 16 → "1"; the first length says "repeat the last".
        var bits = Bits()
        bits.dynamicHeader(codeLengths: [16: 1, 0: 1])
        bits.code(1, 1); bits.put(0, 2)
        #expect(deflateError(bits.bytes) == "deflate: repeated code length with none before")
    }

    @Test func lengthsRepeatedPastTheirEndAreRefused() {
        // Code-length code: 0 → "0", 18 → "1": 138 zeros twice, then 138 more of 258.
        var bits = Bits()
        bits.dynamicHeader(codeLengths: [18: 1, 0: 1])
        for _ in 0..<2 { bits.code(1, 1); bits.put(127, 7) }
        #expect(deflateError(bits.bytes) == "deflate: code lengths repeated past their end")
    }

    @Test func aBlockWithoutAnEndOfBlockCodeIsRefused() {
        // Code-length code: 1 → "0", 18 → "1". Literals 0 and 1 of 1 bit, none for 256.
        var bits = Bits()
        bits.dynamicHeader(codeLengths: [1: 1, 18: 1])
        bits.code(0, 1); bits.code(0, 1)
        bits.code(1, 1); bits.put(127, 7)  // 138 zeros
        bits.code(1, 1); bits.put(106, 7)  // 117 zeros: to 256
        bits.code(0, 1)  // the distance: 1 bit
        #expect(deflateError(bits.bytes) == "deflate: no end-of-block code")
    }

    @Test func tooManyLengthCodesAreRefused() {
        var bits = Bits()
        bits.dynamicHeader(literals: 287, codeLengths: [0: 1, 18: 1])
        #expect(deflateError(bits.bytes) == "deflate: too many length or distance codes")
    }

    @Test func aDistanceBeforeTheStartOfTheOutputIsRefused() {
        var bits = Bits()
        bits.put(1, 1); bits.put(1, 2)  // final, fixed code
        fixedLiteral(&bits, 0x61)
        bits.code(1, 7)  // length 3
        bits.code(1, 5)  // distance 2, with 1 byte out
        bits.code(0, 7)
        #expect(deflateError(bits.bytes) == "deflate: distance 2 beyond the start of the output")
    }

    @Test func lengthAndDistanceCodesNoStreamMayUseAreRefused() {
        var bits = Bits()
        bits.put(1, 1); bits.put(1, 2)
        fixedLiteral(&bits, 0x61)
        bits.code(0xC6, 8)  // 286
        #expect(deflateError(bits.bytes) == "deflate: invalid length code 286")
        bits = Bits()
        bits.put(1, 1); bits.put(1, 2)
        fixedLiteral(&bits, 0x61)
        bits.code(1, 7)
        bits.code(30, 5)
        #expect(deflateError(bits.bytes) == "deflate: invalid distance code 30")
    }

    @Test func everyTruncationIsAnError() {
        let compressed = Gzip.compress(text)
        for length in 0..<compressed.count {
            let error = gzipError(Array(compressed.prefix(length)))
            #expect(error?.hasPrefix("gzip: truncated") == true, "cut at \(length) of \(compressed.count): \(error ?? "read")")
        }
        let deflated = Deflate.compress(text)
        for length in 0..<deflated.count {
            #expect(deflateError(Array(deflated.prefix(length))) == "deflate: truncated stream")
        }
    }

    @Test func aWrongCRC32OrSizeIsRefused() {
        var compressed = Gzip.compress(text)
        compressed[compressed.count - 8] ^= 0x01
        #expect(gzipError(compressed) == "gzip: CRC-32 mismatch")
        compressed = Gzip.compress(text)
        compressed[compressed.count - 1] ^= 0x80
        #expect(gzipError(compressed) == "gzip: size mismatch (ISIZE)")
    }

    @Test func trailingGarbageIsRefused() {
        #expect(gzipError(Gzip.compress(text) + Array("garbage".utf8)) == "gzip: trailing data after the last member")
        #expect(gzipError(Gzip.compress(text) + [0x1F]) == "gzip: trailing data after the last member")
        #expect(deflateError(Deflate.compress(text) + [0]) == "deflate: trailing data after the stream")
    }

    @Test func badHeadersAreRefused() {
        let good = Gzip.compress(text)
        var bad = good
        bad[0] = 0x1E
        #expect(gzipError(bad) == "gzip: not gzip data (no 1f 8b signature)")
        bad = good
        bad[2] = 7
        #expect(gzipError(bad) == "gzip: unknown compression method 7")
        bad = good
        bad[3] = 0x20
        #expect(gzipError(bad) == "gzip: reserved header flags set")
        bad = good
        bad[3] = 0x02  // a header CRC, which is not there
        #expect(gzipError(bad) == "gzip: header CRC mismatch")
        bad = good
        bad[3] = 0x08  // a file name that never ends
        #expect(gzipError(Array(bad.prefix(10)) + [UInt8](repeating: 0x61, count: 20)) == "gzip: truncated header")
        #expect(gzipError([]) == "gzip: truncated header")
        #expect(deflateError([]) == "deflate: truncated stream")
    }

    @Test func aBombStopsAtMaxOutput() {
        let bomb = Gzip.compress([UInt8](repeating: 0, count: 8 << 20))
        #expect(bomb.count < 64 << 10)
        #expect(gzipError(bomb, maxOutput: 1 << 20) == "gzip: output over 1048576 bytes")
        #expect(gzipError(bomb, maxOutput: 8 << 20) == nil)
        #expect(gzipError(bomb, maxOutput: (8 << 20) - 1) == "gzip: output over 8388607 bytes")
        #expect(gzipError(Gzip.compress(Samples.random(100_000)), maxOutput: 99_999) == "gzip: output over 99999 bytes")
        #expect(gzipError(Gzip.compress([1]), maxOutput: 0) == "gzip: output over 0 bytes")
    }

    @Test func flippedBitsAreCaughtOrChangeNothing() {
        let compressed = Gzip.compress(text)
        var random = Samples.random(4000, seed: 11).makeIterator()
        for _ in 0..<1000 {
            var broken = compressed
            let index = 10 + (Int(random.next()!) << 8 | Int(random.next()!)) % (compressed.count - 10)
            broken[index] ^= 1 << (random.next()! % 8)
            let result = try? Gzip.decompress(broken, maxOutput: 1 << 20)
            #expect(result == nil || result == text, "bit flipped in byte \(index)")
        }
    }

    @Test func randomBytesAfterAGoodHeaderNeverCrash() {
        let header: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]
        var accepted = 0
        for seed in 0..<2000 {
            let junk = Samples.random(16 + seed % 300, seed: UInt64(seed) + 100)
            if (try? Gzip.decompress(header + junk, maxOutput: 1 << 16)) != nil { accepted += 1 }
            _ = try? Inflate.decompress(junk, maxOutput: 1 << 16)
        }
        #expect(accepted == 0)
    }
}
