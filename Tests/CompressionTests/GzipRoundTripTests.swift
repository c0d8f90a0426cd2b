import Compression
import Foundation
import TestSupport
import Testing

/// Our gzip reads back what it wrote, byte for byte, and shrinks what can be shrunk.
@Suite struct GzipRoundTripTests {
    @Test(arguments: Samples.corpusNames)
    func everyCorpusFeedComesBackByteForByteAndSmaller(name: String) throws {
        let original = [UInt8](try Data(contentsOf: TestPaths.corpusFile(name)))
        let compressed = Gzip.compress(original)
        #expect(try Gzip.decompress(compressed, maxOutput: original.count) == original)
        if original.count >= 4096 { #expect(compressed.count * 2 < original.count) }
    }

    @Test func theCorpusIsThere() {
        #expect(Samples.corpusNames.count > 100)
    }

    @Test(arguments: Samples.edgeCases.keys.sorted())
    func edgeCasesComeBackByteForByte(name: String) throws {
        let original = try #require(Samples.edgeCases[name])
        let compressed = Gzip.compress(original)
        #expect(try Gzip.decompress(compressed, maxOutput: original.count) == original)
        let deflated = Deflate.compress(original)
        #expect(try Inflate.decompress(deflated, maxOutput: original.count) == original)
        // Never much bigger than stored: 5 bytes a 64 KB block, and the gzip frame's 18.
        #expect(compressed.count <= original.count + 5 * (original.count / 16384 + 2) + 18)
    }

    @Test func longRunsAndRepeatedTextShrinkALot() {
        #expect(Gzip.compress([UInt8](repeating: 0, count: 1 << 20)).count < 8 << 10)
        #expect(Gzip.compress(Samples.text(1 << 20)).count < (1 << 20) / 4)
    }

    @Test func theEmptyInputIsTheShortestGzip() throws {
        let compressed = Gzip.compress([])
        #expect(compressed.count == 20)
        #expect(try Gzip.decompress(compressed, maxOutput: 0) == [])
    }

    @Test func concatenatedMembersReadAsOne() throws {
        let first = Array("first member\n".utf8), second = Samples.text(70_000)
        #expect(try Gzip.decompress(Gzip.compress(first) + Gzip.compress(second), maxOutput: 1 << 20) == first + second)
    }

    @Test func crc32MatchesTheKnownValues() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        let text = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(CRC32.checksum(text) == 0x414F_A339)
        #expect(CRC32.checksum(Array(text[9...]), continuing: CRC32.checksum(Array(text[..<9]))) == 0x414F_A339)
    }
}
