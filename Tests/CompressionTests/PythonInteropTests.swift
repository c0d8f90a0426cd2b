import Compression
import Foundation
import TestSupport
import Testing

/// Our gzip against a real peer, Python's `gzip` (zlib): it reads what we write, and we
/// read what it writes at levels 1, 6 and 9, over the corpus and the edge cases.
@Suite struct PythonInteropTests {
    let directory: TemporaryDirectory
    /// Every input, by file name: the corpus and the edge cases.
    let inputs: [String: [UInt8]]

    init() throws {
        directory = try TemporaryDirectory()
        var inputs = Samples.edgeCases
        for name in Samples.corpusNames {
            inputs["corpus-" + name] = [UInt8](try Data(contentsOf: TestPaths.corpusFile(name)))
        }
        self.inputs = inputs
    }

    private func runPeer(_ arguments: [String]) throws {
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/Servers/gzip_peer.py").path
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), [TestPaths.python, script] + arguments)
        #expect(result.status == 0, "gzip_peer.py \(arguments): \(result.stderr)")
    }

    private func makeDirectory(_ name: String) throws -> URL {
        let url = directory.url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func pythonReadsWhatWeWrite() throws {
        let ours = try makeDirectory("ours"), read = try makeDirectory("read")
        for (name, bytes) in inputs {
            try Data(Gzip.compress(bytes)).write(to: ours.appendingPathComponent(name))
        }
        try runPeer(["decompress", ours.path, read.path])
        for (name, bytes) in inputs {
            let back = try Data(contentsOf: read.appendingPathComponent(name))
            #expect([UInt8](back) == bytes, "\(name)")
        }
    }

    @Test(arguments: [1, 6, 9])
    func weReadWhatPythonWrites(level: Int) throws {
        let plain = try makeDirectory("plain-\(level)"), theirs = try makeDirectory("theirs-\(level)")
        for (name, bytes) in inputs { try Data(bytes).write(to: plain.appendingPathComponent(name)) }
        try runPeer(["compress", String(level), plain.path, theirs.path])
        for (name, bytes) in inputs {
            let compressed = [UInt8](try Data(contentsOf: theirs.appendingPathComponent(name)))
            #expect(try Gzip.decompress(compressed, maxOutput: bytes.count) == bytes, "\(name)")
        }
    }
}
