@testable import BulletinKit
import Foundation
import TestSupport
import Testing

/// Bad values `config check` must catch, each at its file:line:column, and files that
/// cannot be read as configuration at all; messages stay one line and short.
@Suite struct ConfigurationHostileTests {
    private func check(settings: String? = nil, inventory: String? = nil,
                       prepare: (TemporaryDirectory) throws -> Void = { _ in }) throws -> ProcessResult {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("config"),
                                                withIntermediateDirectories: true)
        if let settings { try directory.write(settings, to: "config/bulletin.toml") }
        if let inventory { try directory.write(inventory, to: "config/inventory.toml") }
        try directory.write("<opml version=\"2.0\"><body/></opml>", to: "feeds.opml")
        try prepare(directory)
        return try runBulletin(["config", "check", "--config", "config", "--feeds", "feeds.opml"],
                               currentDirectory: directory.url)
    }

    private static let mail = "[[channel]]\nname = \"m\"\nkind = \"email\"\nfrom = \"b@example.com\"\nto = [\"o@example.com\"]\n"
        + "smtp_url = \"smtps://mail.example.com\"\n"

    @Test(arguments: [
        (mail + "username = \"u\"\npassword_file = \"missing-secret\"\n",
         "config/bulletin.toml:8:17: 'password_file' names 'missing-secret': no such file"),
        (mail + "ca_file = \"/nonexistent/ca.pem\"\n",
         "config/bulletin.toml:7:11: 'ca_file' names '/nonexistent/ca.pem': no such file"),
        ("[[channel]]\nname = \"h\"\nkind = \"webhook\"\nurl = \"https://example.com/h\"\nsecret_file = \"config\"\n",
         "config/bulletin.toml:5:15: 'secret_file' names 'config': a directory, not a file"),
    ])
    func aFileKeyNamingNoReadableFileIsAnError(settings: String, message: String) throws {
        let result = try check(settings: settings) { directory in
            try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("config/config"),
                                                    withIntermediateDirectories: true)
        }
        #expect(result.status == 2)
        #expect(result.stderr == "Error: \(message)\n")
    }

    @Test func aSecretFileThatExistsIsAccepted() throws {
        let result = try check(settings: Self.mail + "username = \"u\"\npassword_file = \"secret\"\n") { directory in
            try directory.write("pw", to: "config/secret")
        }
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test(arguments: [
        ("[[service]]\nname = \"x\"\naliases = [\"---\"]\n",
         "config/inventory.toml:3:12: 'aliases[0]' holds no letter or digit, so it can match nothing a bulletin says"),
        ("[[service]]\nname = \"x\"\naliases = [{ text = \"...\", match = \"prefix\" }]\n",
         "config/inventory.toml:3:21: 'aliases[0]' holds no letter or digit, so it can match nothing a bulletin says"),
        ("[[service]]\nname = \"x\"\naliases = [{ text = \"a*\", match = \"regex\" }]\n",
         "config/inventory.toml:3:21: the regular expression matches the empty string, so it would match every bulletin"),
        ("[[service]]\nname = \"x\"\naliases = [{ text = \"(a+)+$\", match = \"regex\" }]\n",
         "config/inventory.toml:3:21: the regular expression repeats a group that itself repeats (as in '(a+)+'): "
            + "it can take exponential time on some text; repeat once, e.g. 'a+'"),
        ("[[service]]\nname = \"x\"\naliases = [{ text = \"(x(\\\\w*))*y\", match = \"regex\" }]\n",
         "config/inventory.toml:3:21: the regular expression repeats a group that itself repeats (as in '(a+)+'): "
            + "it can take exponential time on some text; repeat once, e.g. 'a+'"),
        ("[[service]]\nname = \"a\\u0000b\"\n", "config/inventory.toml:2:8: 'name' must not hold a control character (U+0)"),
    ])
    func badInventoryValuesAreCaught(inventory: String, message: String) throws {
        let result = try check(inventory: inventory)
        #expect(result.status == 2)
        #expect(result.stderr == "Error: \(message)\n")
    }

    @Test func aUTF16FileIsAnErrorAtItsStart() throws {
        let result = try check { directory in
            var bytes: [UInt8] = [0xFF, 0xFE]
            for unit in "database = \"x\"\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
            try Data(bytes).write(to: directory.url.appendingPathComponent("config/bulletin.toml"))
        }
        #expect(result.status == 2)
        #expect(result.stderr == "Error: config/bulletin.toml:1:1: the file is UTF-16 or UTF-32: save it as UTF-8\n")
    }

    @Test func aDirectoryIsAnErrorNotMissing() throws {
        let result = try check { directory in
            try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("config/inventory.toml"),
                                                    withIntermediateDirectories: true)
        }
        #expect(result.status == 2)
        #expect(result.stderr == "Error: config/inventory.toml:1:1: cannot read the file: it is a directory, not a file\n")
    }

    @Test func aFIFOIsAnErrorAndNeverBlocks() throws {
        let result = try check { directory in
            #expect(mkfifo(directory.path("config/bulletin.toml"), 0o600) == 0)
        }
        #expect(result.status == 2)
        #expect(result.stderr == "Error: config/bulletin.toml:1:1: cannot read the file: it is not a regular file "
            + "(a FIFO, socket or device)\n")
    }

    @Test func aSymbolicLinkLoopIsAnErrorNotMissing() throws {
        let result = try check { directory in
            try FileManager.default.createSymbolicLink(atPath: directory.path("config/bulletin.toml"),
                                                       withDestinationPath: "bulletin.toml")
        }
        #expect(result.status == 2)
        #expect(result.stderr == "Error: config/bulletin.toml:1:1: cannot read the file: it is a symbolic link that "
            + "leads nowhere (a loop, or its target is missing)\n")
    }

    @Test func anErrorNeverCarriesARawLineBreakFromTheInput() throws {
        let result = try check(settings: "\"evil\\r\\nError: forged line\" = 1\n")
        #expect(result.status == 2)
        #expect(result.stderr == "Error: config/bulletin.toml:1:1: unknown key 'evil\\r\\nError: forged line' in the top level\n")
    }

    @Test func aLongKeyIsCutInTheError() throws {
        let key = String(repeating: "k", count: 10_000)
        let result = try check(settings: "\(key) = 1\n")
        #expect(result.status == 2)
        #expect(result.stderr.count < 200)
        #expect(result.stderr.contains("…(10000 characters)…"))
    }

    @Test func aCatalogThatIsAFIFOIsAnErrorAndNeverBlocks() throws {
        let result = try check { directory in
            try FileManager.default.removeItem(atPath: directory.path("feeds.opml"))
            #expect(mkfifo(directory.path("feeds.opml"), 0o600) == 0)
        }
        #expect(result.status == 2)
        #expect(result.stderr == "Error: catalog: feeds.opml: cannot read the file: it is not a regular file "
            + "(a FIFO, socket or device)\n")
    }
}
