import Foundation

/// The test feed server (`Tests/Servers/feed_server.py`) running on 127.0.0.1 on a free
/// port. It stops when this object goes away (its standard input closes), and by itself
/// after `lifetime` seconds in any case.
public final class FeedServer: @unchecked Sendable {
    private let server: ServerProcess
    private let requestLog: URL
    public var port: Int { server.port }

    /// - Parameters:
    ///   - routes: `"/path": "FILE"`, or any target the server's doc string lists
    ///     (`"status:404"`, `"redirect:301:/to"`, `"gzip:FILE"`, `"hang"`, …).
    ///   - latency: milliseconds before every answer.
    public init(routes: [String: String], latency: Int = 0, lifetime: Int = 120) throws {
        requestLog = FileManager.default.temporaryDirectory.appendingPathComponent("feed-server-\(UUID().uuidString).log")
        server = try ServerProcess(script: "feed_server.py",
                                   arguments: ["--lifetime", String(lifetime), "--latency", String(latency),
                                               "--log", requestLog.path] + routes.map { "\($0.key)=\($0.value)" },
                                   python: "python3")
    }

    deinit {
        try? FileManager.default.removeItem(at: requestLog)
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
        guard let data = FileManager.default.contents(atPath: requestLog.path) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map {
            try JSONDecoder().decode(Request.self, from: Data($0))
        }
    }
}

public struct FeedServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
