import Foundation

/// A test server script from `Tests/Servers/` running on 127.0.0.1 on a free port. The
/// script prints "PORT <n>" first; it stops when this object goes away (its standard input
/// closes) and by itself after its `--lifetime` in any case.
public final class ServerProcess: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    public let port: Int
    /// What the script wrote on standard error (its log), for failure messages.
    public let logFile: URL

    public init(script: String, arguments: [String], python: String = TestPaths.python) throws {
        let output = Pipe()
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("bulletin-server-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, TestPaths.packageRoot.appendingPathComponent("Tests/Servers/\(script)").path]
            + arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        let words = String(decoding: line, as: UTF8.self).split(separator: " ")
        guard words.count == 2, words[0] == "PORT", let port = Int(words[1]) else {
            process.terminate()
            process.waitUntilExit()
            let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            throw FeedServerError(message: "\(script) did not start (for smtp_server.py: is aiosmtpd installed? `make test-deps`): \(log)")
        }
        self.port = port
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: logFile)
    }

    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }
}

/// The SMTP test server (`Tests/Servers/smtp_server.py`, aiosmtpd): messages land in a
/// Maildir, byte for byte, with their envelopes.
public final class SMTPServer: @unchecked Sendable {
    public let server: ServerProcess
    public let maildir: URL
    public var port: Int { server.port }

    /// - Parameters:
    ///   - tls: "starttls" or "implicit" with a certificate from `TestCertificate`, or nil.
    ///   - auth: "user:password" the server requires.
    ///   - faults: "rcpt:550", "data:451:1" (stage, code, how many transactions).
    public init(maildir: URL, tls: String? = nil, certificate: TestCertificate? = nil, auth: String? = nil,
                faults: [String] = [], silent: Bool = false, lifetime: Int = 120) throws {
        self.maildir = maildir
        var arguments = ["--maildir", maildir.path, "--lifetime", String(lifetime)]
        if let tls, let certificate {
            arguments += ["--\(tls == "implicit" ? "implicit-tls" : "starttls")", certificate.certificate, certificate.key]
        }
        if let auth { arguments += ["--auth", auth] }
        for fault in faults { arguments += ["--fault", fault] }
        if silent { arguments.append("--silent") }
        server = try ServerProcess(script: "smtp_server.py", arguments: arguments)
    }

    /// The messages received so far, oldest first, as raw bytes.
    public func messages() throws -> [Data] {
        let new = maildir.appendingPathComponent("new")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: new.path)) ?? []
        return try names.sorted { lhs, rhs in
            let number = { (name: String) in Int(name.split(separator: ".")[1]) ?? 0 }
            return number(lhs) < number(rhs)
        }.map { try Data(contentsOf: new.appendingPathComponent($0)) }
    }

    /// The envelopes (`from`, `to`) of the messages received, in order.
    public func envelopes() throws -> [(from: String, to: [String])] {
        guard let text = try? String(contentsOf: maildir.appendingPathComponent("envelopes.jsonl"), encoding: .utf8) else {
            return []
        }
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return (object["from"] as! String, object["to"] as! [String])
        }
    }
}

/// The webhook receiver (`Tests/Servers/webhook_server.py`): records every POST and checks
/// its HMAC signature with Python's own `hmac`.
public final class WebhookReceiver: @unchecked Sendable {
    public let server: ServerProcess
    public let record: URL

    /// - Parameter responses: the statuses to answer in turn, the last repeated.
    public init(directory: URL, secret: String? = nil, responses: [Int] = [200]) throws {
        record = directory.appendingPathComponent("webhook-\(UUID().uuidString).jsonl")
        var arguments = ["--record", record.path, "--responses", responses.map(String.init).joined(separator: ",")]
        if let secret { arguments += ["--secret", secret] }
        server = try ServerProcess(script: "webhook_server.py", arguments: arguments, python: "python3")
    }

    public func url(_ path: String = "/hook") -> String { "http://127.0.0.1:\(server.port)\(path)" }

    /// The requests received, in order: headers (as sent), body, "valid"/"invalid"/"missing", status answered.
    public func requests() throws -> [(headers: [String: String], body: String, signature: String, status: Int)] {
        guard let text = try? String(contentsOf: record, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return (object["headers"] as! [String: String], object["body"] as! String, object["signature"] as! String,
                    object["status"] as! Int)
        }
    }
}

/// A self-signed certificate for 127.0.0.1 (made with the `openssl` command), to test
/// STARTTLS and smtps:// with `ca_file` pointing at it.
public struct TestCertificate: Sendable {
    public let certificate: String
    public let key: String

    public init(in directory: URL) throws {
        certificate = directory.appendingPathComponent("cert.pem").path
        key = directory.appendingPathComponent("key.pem").path
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
            "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        guard result.status == 0 else { throw FeedServerError(message: "openssl failed: \(result.stderr)") }
    }
}

/// One message as Python's `email` package reads it (`Tests/Servers/read_mail.py`).
public struct ReadMail: Sendable {
    public struct Part: Sendable {
        public let type: String
        public let charset: String?
        public let encoding: String?
        public let text: String
    }

    public let headers: [String: String]
    public let headerNames: [String]
    public let type: String
    public let parts: [Part]
    public let defects: [String]
    public let crlfOnly: Bool
    public let longestLine: Int
    public let asciiOnly: Bool

    public init(_ raw: Data) throws {
        let scratch = try TemporaryDirectory()
        let file = scratch.url.appendingPathComponent("message.eml")
        try raw.write(to: file)
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), [
            "python3", TestPaths.packageRoot.appendingPathComponent("Tests/Servers/read_mail.py").path, file.path,
        ])
        guard result.status == 0 else { throw FeedServerError(message: "read_mail.py failed: \(result.stderr)") }
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        headers = object["headers"] as! [String: String]
        headerNames = object["header_names"] as! [String]
        type = object["type"] as! String
        parts = (object["parts"] as! [[String: Any]]).map {
            Part(type: $0["type"] as! String, charset: $0["charset"] as? String, encoding: $0["encoding"] as? String,
                 text: $0["text"] as! String)
        }
        defects = object["defects"] as! [String]
        crlfOnly = object["crlf_only"] as! Bool
        longestLine = object["longest_line"] as! Int
        asciiOnly = object["ascii_only"] as! Bool
    }
}
