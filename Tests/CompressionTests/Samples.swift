import Foundation
import TestSupport

/// Inputs for the gzip tests: the shared corpus, and bytes made for the edge cases.
enum Samples {
    /// The file names of the shared corpus.
    static let corpusNames: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: TestPaths.corpus.path)) ?? []).sorted()

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

    /// Text that repeats with variations, as XML does, `count` bytes long.
    static func text(_ count: Int) -> [UInt8] {
        let words = random(count / 4 + 16, seed: 7)
        var out: [UInt8] = []
        out.reserveCapacity(count + 64)
        var index = 0
        while out.count < count {
            out += Array("<item><title>CVE-2024-\(Int(words[index]) * 37) in package \(words[index + 1] % 50)</title>".utf8)
            index = (index + 2) % (words.count - 2)
        }
        return Array(out.prefix(count))
    }

    /// The edge cases, by name: sizes around a stored block's 65535, runs, noise.
    static let edgeCases: [String: [UInt8]] = [
        "empty": [],
        "one-byte": [0x41],
        "two-bytes": [0x00, 0xFF],
        "three-same": [7, 7, 7],
        "text-65535": text(65535),
        "text-65536": text(65536),
        "text-65537": text(65537),
        "random-65535": random(65535),
        "random-65536": random(65536, seed: 2),
        "random-65537": random(65537, seed: 3),
        "zeros-1M": [UInt8](repeating: 0, count: 1 << 20),
        "run-abc": Array(String(repeating: "abc", count: 100_000).utf8),
        "random-300K": random(300_000, seed: 4),
        "text-1.5M": text(1_500_000),
        "every-byte": (0..<65536).map { UInt8(truncatingIfNeeded: $0 * 7 + $0 >> 8) },
        "run-then-random": [UInt8](repeating: 0x20, count: 40_000) + random(40_000, seed: 5),
    ]
}
