import Foundation
import TestSupport
import Testing
import Zlib

/// gzip through the system's zlib (`Zlib`): round trips, the documents the store wrote
/// before zlib, and broken, hostile and oversized input, always an error that says what
/// failed, never a crash, a hang or output beyond `maxOutput`.
@Suite struct ZlibTests {
    /// `count` bytes no compressor can shrink (SplitMix64 from `seed`).
    static func random(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
    }

    /// Text that repeats with variations, as XML does.
    let text = Array((0..<400).map { "<item><title>CVE-2024-\($0 * 37) in package \($0 % 50)</title></item>" }.joined().utf8)

    private func gzipError(_ bytes: [UInt8], maxOutput: Int = 1 << 20) -> String? {
        do {
            _ = try Gzip.decompress(bytes, maxOutput: maxOutput)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [0, 1, 2, 3, 65_535, 65_536, 65_537, 300_000])
    func randomBytesComeBackByteForByte(count: Int) throws {
        let bytes = Self.random(count, seed: UInt64(count))
        #expect(try Gzip.decompress(Gzip.compress(bytes), maxOutput: count) == bytes)
    }

    @Test func textShrinksAndComesBack() throws {
        let compressed = Gzip.compress(text)
        #expect(compressed.prefix(3) == [0x1F, 0x8B, 8])
        #expect(compressed.count * 4 < text.count)
        #expect(try Gzip.decompress(compressed, maxOutput: text.count) == text)
    }

    /// A document as the store wrote it before it used zlib (Bulletin's own DEFLATE, header
    /// flags "fastest", Unix): still read, byte for byte.
    @Test func aDocumentTheOldCompressorWroteIsRead() throws {
        let old = [UInt8](try Data(contentsOf: TestPaths.fixture("gzip/atom-package-advisories-by-the-old-deflate.gz")))
        let original = [UInt8](try Data(contentsOf: TestPaths.fixture("feeds/atom-package-advisories-repeated-ids.atom")))
        #expect(try Gzip.decompress(old, maxOutput: 1 << 20) == original)
    }

    @Test func concatenatedMembersAreReadInTurn() throws {
        let two = Gzip.compress(Array("first ".utf8)) + Gzip.compress(Array("second".utf8))
        #expect(try Gzip.decompress(two, maxOutput: 100) == Array("first second".utf8))
    }

    /// What another gzip writes (Python's zlib at level 9, with a file name) reads too,
    /// and ours reads there.
    @Test func pythonsGzipAndOursReadEachOther() throws {
        let directory = try TemporaryDirectory()
        let plain = try directory.write(String(decoding: text, as: UTF8.self), to: "plain.txt")
        let ours = directory.path("ours.gz")
        try Data(Gzip.compress(text)).write(to: URL(fileURLWithPath: ours))
        let theirs = directory.path("theirs.gz")
        let script = """
            import gzip, sys
            data = open(sys.argv[1], 'rb').read()
            assert gzip.decompress(open(sys.argv[2], 'rb').read()) == data
            with gzip.GzipFile(filename='plain.txt', mode='wb', compresslevel=9, fileobj=open(sys.argv[3], 'wb')) as f:
                f.write(data)
            """
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, plain, ours, theirs])
        #expect(result.status == 0, "\(result.stderr)")
        let fromPython = [UInt8](try Data(contentsOf: URL(fileURLWithPath: theirs)))
        #expect(fromPython[3] & 0x08 != 0)  // FNAME set
        #expect(try Gzip.decompress(fromPython, maxOutput: 1 << 20) == text)
    }

    @Test func everyTruncationIsAnError() {
        let compressed = Gzip.compress(text)
        for length in 0..<compressed.count {
            let error = gzipError(Array(compressed.prefix(length)))
            #expect(error?.hasPrefix("gzip: truncated") == true, "cut at \(length) of \(compressed.count): \(error ?? "read")")
        }
        let two = Gzip.compress(text) + Gzip.compress(text)
        #expect(gzipError(Array(two.dropLast())) == "gzip: truncated stream")
    }

    @Test func aWrongCRC32OrSizeIsRefused() {
        var compressed = Gzip.compress(text)
        compressed[compressed.count - 8] ^= 0x01
        #expect(gzipError(compressed) == "gzip: corrupt data (incorrect data check)")
        compressed = Gzip.compress(text)
        compressed[compressed.count - 1] ^= 0x80
        #expect(gzipError(compressed) == "gzip: corrupt data (incorrect length check)")
    }

    @Test func trailingGarbageIsRefused() {
        #expect(gzipError(Gzip.compress(text) + Array("garbage".utf8)) == "gzip: trailing data after the last member")
        #expect(gzipError(Gzip.compress(text) + [0x1F]) == "gzip: trailing data after the last member")
    }

    @Test func badHeadersAreRefused() {
        let good = Gzip.compress(text)
        var bad = good
        bad[0] = 0x1E
        #expect(gzipError(bad) == "gzip: not gzip data (no 1f 8b signature)")
        bad = good
        bad[2] = 7
        #expect(gzipError(bad) == "gzip: corrupt data (unknown compression method)")
        bad = good
        bad[3] = 0x20
        #expect(gzipError(bad) == "gzip: corrupt data (unknown header flags set)")
        bad = good
        bad[3] = 0x02  // a header CRC, which is not there
        #expect(gzipError(bad) == "gzip: corrupt data (header crc mismatch)")
        bad = good
        bad[3] = 0x08  // a file name that never ends
        #expect(gzipError(Array(bad.prefix(10)) + [UInt8](repeating: 0x61, count: 20)) == "gzip: truncated stream")
        #expect(gzipError([]) == "gzip: truncated header")
        #expect(gzipError([0x1F]) == "gzip: truncated header")
        #expect(gzipError(Array("<rss/>".utf8)) == "gzip: not gzip data (no 1f 8b signature)")
    }

    @Test func aBombStopsAtMaxOutput() {
        let bomb = Gzip.compress([UInt8](repeating: 0, count: 64 << 20))
        #expect(bomb.count < 1 << 20)
        #expect(gzipError(bomb, maxOutput: 1 << 20) == "gzip: output over 1048576 bytes")
        #expect(gzipError(bomb, maxOutput: 64 << 20) == nil)
        #expect(gzipError(bomb, maxOutput: (64 << 20) - 1) == "gzip: output over 67108863 bytes")
        #expect(gzipError(Gzip.compress(Self.random(100_000)), maxOutput: 99_999) == "gzip: output over 99999 bytes")
        #expect(gzipError(Gzip.compress([1]), maxOutput: 0) == "gzip: output over 0 bytes")
        // A bomb of many members is bounded the same.
        let members = Array(repeating: Gzip.compress([UInt8](repeating: 0, count: 1 << 20)), count: 40).flatMap { $0 }
        #expect(gzipError(members, maxOutput: 4 << 20) == "gzip: output over 4194304 bytes")
    }

    @Test func flippedBitsAreCaughtOrChangeNothing() {
        let compressed = Gzip.compress(text)
        var random = Self.random(4000, seed: 11).makeIterator()
        for _ in 0..<1000 {
            var broken = compressed
            let index = 10 + (Int(random.next()!) << 8 | Int(random.next()!)) % (compressed.count - 10)
            broken[index] ^= 1 << (random.next()! % 8)
            let result = try? Gzip.decompress(broken, maxOutput: 1 << 20)
            #expect(result == nil || result == text, "bit flipped in byte \(index)")
        }
    }

    @Test func randomBytesAfterAGoodHeaderAreRefused() {
        let header: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]
        var accepted = 0
        for seed in 0..<2000 {
            let junk = Self.random(16 + seed % 300, seed: UInt64(seed) + 100)
            if (try? Gzip.decompress(header + junk, maxOutput: 1 << 16)) != nil { accepted += 1 }
        }
        #expect(accepted == 0)
    }
}
