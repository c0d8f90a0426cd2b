import Foundation

/// The test feed server (`Tests/Servers/feed_server.py`) running on 127.0.0.1 on a free
/// port. It stops when this object goes away (its standard input closes), and by itself
/// after `lifetime` seconds in any case.
public final class FeedServer: @unchecked Sendable {
    private let server: ServerProcess
    public var port: Int { server.port }

    /// - Parameter routes: `"/path": "FILE"`, or `"status:404"`, `"redirect:301:/to"`, `"bytes:TEXT"`.
    public init(routes: [String: String], lifetime: Int = 120) throws {
        server = try ServerProcess(script: "feed_server.py",
                                   arguments: ["--lifetime", String(lifetime)] + routes.map { "\($0.key)=\($0.value)" },
                                   python: "python3")
    }

    /// The URL of `path` on this server.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }
}

public struct FeedServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
