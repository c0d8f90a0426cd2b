import Foundation

/// The test feed server (`Tests/Servers/feed_server.py`) running on 127.0.0.1 on a free
/// port. It stops when this object goes away (its standard input closes), and by itself
/// after `lifetime` seconds in any case.
public final class FeedServer: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let logFile: URL
    public let port: Int

    /// - Parameters:
    ///   - routes: `"/path": "FILE"`, or any target the server's doc string lists
    ///     (`"status:404"`, `"redirect:301:/to"`, `"gzip:FILE"`, `"hang"`, …).
    ///   - latency: milliseconds before every answer.
    public init(routes: [String: String], latency: Int = 0, lifetime: Int = 120) throws {
        let output = Pipe()
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("feed-server-\(UUID().uuidString).log")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.packageRoot.appendingPathComponent("Tests/Servers/feed_server.py").path,
                             "--lifetime", String(lifetime), "--latency", String(latency), "--log", logFile.path]
            + routes.map { "\($0.key)=\($0.value)" }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is "PORT <n>".
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        let words = String(decoding: line, as: UTF8.self).split(separator: " ")
        guard words.count == 2, words[0] == "PORT", let port = Int(words[1]) else {
            process.terminate()
            throw FeedServerError(message: "feed server did not start: '\(String(decoding: line, as: UTF8.self))'")
        }
        self.port = port
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: logFile)
    }

    /// The URL of `path` on this server.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// A request the server received: its method, path, headers (names in lower case),
    /// when it arrived and when its answer began (seconds since 1970).
    public struct Request: Decodable, Sendable {
        public let method: String
        public let path: String
        public let headers: [String: String]
        public let start: Double
        public let end: Double
    }

    /// Every request so far, in the order their answers began.
    public func requests() throws -> [Request] {
        guard let data = FileManager.default.contents(atPath: logFile.path) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map {
            try JSONDecoder().decode(Request.self, from: Data($0))
        }
    }
}

public struct FeedServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
