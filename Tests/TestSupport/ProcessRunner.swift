import Foundation

/// What a finished process left behind.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs a program to its end with no standard input (or the file `input`) and collects its
/// output (through files, so no pipe ever fills up and blocks the child).
public func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                       currentDirectory: URL? = nil, input: URL? = nil) throws -> ProcessResult {
    let scratch = try TemporaryDirectory()
    let outURL = scratch.url.appendingPathComponent("stdout"), errURL = scratch.url.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = try input.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return ProcessResult(status: process.terminationStatus,
                         stdout: try String(contentsOf: outURL, encoding: .utf8),
                         stderr: try String(contentsOf: errURL, encoding: .utf8))
}

/// Runs the built `bulletin` with `arguments`.
public func runBulletin(_ arguments: [String], environment: [String: String]? = nil,
                        currentDirectory: URL? = nil, input: URL? = nil) throws -> ProcessResult {
    try runProcess(TestPaths.bulletinExecutable, arguments, environment: environment,
                   currentDirectory: currentDirectory, input: input)
}

/// Runs the built `bulletin` with its standard output and standard error each on a
/// terminal of its own (`Tests/Servers/on_terminal.py`), to see what a person sees:
/// highlights, the progress line, escaped control characters.
public func runBulletinOnTerminal(_ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
    let script = TestPaths.packageRoot.appendingPathComponent("Tests/Servers/on_terminal.py").path
    let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                [TestPaths.python, script, "--", TestPaths.bulletinExecutable.path] + arguments,
                                environment: environment)
    guard result.status == 0,
          let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
          let status = object["status"] as? Int,
          let stdout = (object["stdout"] as? String).flatMap({ Data(base64Encoded: $0) }),
          let stderr = (object["stderr"] as? String).flatMap({ Data(base64Encoded: $0) }) else {
        throw TerminalRunError(output: result.stdout + result.stderr)
    }
    return ProcessResult(status: Int32(status), stdout: String(decoding: stdout, as: UTF8.self),
                         stderr: String(decoding: stderr, as: UTF8.self))
}

/// `on_terminal.py` itself failed.
public struct TerminalRunError: Error, CustomStringConvertible {
    public let output: String
    public var description: String { "on_terminal.py failed: \(output)" }
}
