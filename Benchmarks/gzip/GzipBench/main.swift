import Compression
import FoundationEssentials
import Glibc

/// `GzipBench FILE…`: gzip-compresses each file with `Gzip.compress` and reads it back
/// with `Gzip.decompress` (checking the bytes), `ROUNDS` times each, and prints one JSON
/// object: bytes in, bytes out, and the median seconds per round for all files together.
/// Run by `Benchmarks/gzip/bench.py` (`make bench-gzip`).

let files = CommandLine.arguments.dropFirst().map { path in
    guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else {
        fail("cannot read \(path)")
    }
    return [UInt8](data)
}
let rounds = Int(ProcessInfo.processInfo.environment["ROUNDS"] ?? "") ?? 7

var compressTimes: [Double] = [], decompressTimes: [Double] = []
var inBytes = 0, outBytes = 0
let clock = ContinuousClock()
for _ in 0..<rounds {
    var compressed: [[UInt8]] = []
    compressed.reserveCapacity(files.count)
    let compressTime = clock.measure {
        for file in files { compressed.append(Gzip.compress(file)) }
    }
    var restored: [[UInt8]] = []
    restored.reserveCapacity(files.count)
    let decompressTime = try clock.measure {
        for blob in compressed { restored.append(try Gzip.decompress(blob, maxOutput: 1 << 30)) }
    }
    guard restored == files else {
        fail("a round trip changed the bytes")
    }
    compressTimes.append(seconds(compressTime))
    decompressTimes.append(seconds(decompressTime))
    inBytes = files.reduce(0) { $0 + $1.count }
    outBytes = compressed.reduce(0) { $0 + $1.count }
}

func fail(_ message: String) -> Never {
    var line = Array("GzipBench: \(message)\n".utf8)
    _ = write(2, &line, line.count)
    exit(1)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

print("{\"files\": \(files.count), \"in\": \(inBytes), \"out\": \(outBytes), "
    + "\"compress_s\": \(median(compressTimes)), \"decompress_s\": \(median(decompressTimes))}")
