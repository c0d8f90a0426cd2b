import Foundation
import TestSupport
import Testing

/// `bulletin config check` on good, broken and hostile configuration files: every error
/// names file:line:column and exits 2.
@Suite struct ConfigurationTests {
    private func check(settings: String? = nil, inventory: String? = nil) throws -> ProcessResult {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("config"),
                                                withIntermediateDirectories: true)
        if let settings { try directory.write(settings, to: "config/bulletin.toml") }
        if let inventory { try directory.write(inventory, to: "config/inventory.toml") }
        try directory.write("<opml version=\"2.0\"><body><outline text=\"a\" xmlUrl=\"https://example.com/a.xml\"/></body></opml>",
                            to: "feeds.opml")
        return try runBulletin(["config", "check", "--config", "config", "--feeds", "feeds.opml"],
                               currentDirectory: directory.url)
    }

    @Test func theShippedConfigurationIsValid() throws {
        let result = try runBulletin(["config", "check", "--config", TestPaths.packageRoot.appendingPathComponent("Config").path,
                                      "--db", "/tmp/unused.sqlite3"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("inventory.toml ok, 9 services"))
        #expect(result.stdout.contains("catalog: 38 feeds from "))
    }

    @Test func everyBrokenFileIsReportedNotOnlyTheFirst() throws {
        let directory = try TemporaryDirectory()
        try directory.write("[fetch]\nconcurrency = \"many\"\n", to: "config/bulletin.toml")
        try directory.write("[[service]]\nname = \"nginx\"\nimpact = 9\n", to: "config/inventory.toml")
        try directory.write("<opml version=\"2.0\"><body><outline text=\"a\" xmlUrl=\"https://example.com/a.xml\"/></body></opml>",
                            to: "good.opml")
        let result = try runBulletin(["config", "check", "--config", "config", "--feeds", "missing.opml"],
                                     currentDirectory: directory.url)
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 3, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("Error: config/bulletin.toml:2:15: ") == true, "\(result.stderr)")
        #expect(lines.dropFirst().first == "Error: config/inventory.toml:3:10: 'impact' must be between 1 and 5, found 9")
        #expect(lines.last == "Error: catalog: missing.opml: cannot read the file: it is no such file")
        #expect(result.stdout == "")
        // Another command still stops at the first error.
        let fetch = try runBulletin(["fetch", "--config", "config", "--feeds", "good.opml", "--db", "db.sqlite3"],
                                    currentDirectory: directory.url)
        #expect(fetch.status == 2)
        #expect(fetch.stderr.split(separator: "\n").count == 1)
    }

    @Test func emptyFilesAreValid() throws {
        let result = try check(settings: "", inventory: "")
        #expect(result.status == 0)
        #expect(result.stdout.contains("inventory: config/inventory.toml ok, 0 services"))
    }

    @Test func missingFilesMeanTheDefaults() throws {
        let result = try check()
        #expect(result.status == 0)
        #expect(result.stdout.contains("settings: config/bulletin.toml not found, defaults apply"))
    }

    @Test(arguments: [
        ("[[service]]\nname = \"nginx\"\naliases = [\"a\", 1]\n",
         "config/inventory.toml:3:17: expected a string for 'service[0].aliases[1]', found an integer"),
        ("[[service]]\nname = \"nginx\"\nimpact = 9\n",
         "config/inventory.toml:3:10: 'impact' must be between 1 and 5, found 9"),
        ("[[service]]\nname = \"x\"\nlikelihood = 0\n",
         "config/inventory.toml:3:14: 'likelihood' must be between 1 and 5, found 0"),
        ("[[service]]\nname = \"x\"\n[[service]]\nname = \"NGINX\"\naliasses = []\n",
         "config/inventory.toml:5:1: unknown key 'aliasses' in [[service]]"),
        ("[[service]]\nname = \"x\"\n[[service]]\nname = \"X\"\n",
         "config/inventory.toml:4:8: a service named 'X' is already defined"),
        ("[[service]]\nname = \"x\"\naliases = [\"ok\", \" \"]\n",
         "config/inventory.toml:3:18: 'aliases[1]' must not be empty"),
        ("[[service]]\naliases = [\"x\"]\n",
         "config/inventory.toml:1:1: missing key 'name' in [[service]]"),
        ("[[service]]\nname = \"\"\n", "config/inventory.toml:2:8: 'name' must not be empty"),
    ])
    func inventoryErrorsPointAtTheirLineAndColumn(inventory: String, message: String) throws {
        let result = try check(inventory: inventory)
        #expect(result.status == 2)
        #expect(result.stderr == "Error: \(message)\n")
        #expect(result.stdout == "")
    }

    @Test(arguments: [
        ("[fetch]\nconcurrency = \"lots\"\n",
         "config/bulletin.toml:2:15: expected an integer for 'fetch.concurrency', found a string"),
        ("[fetch]\ntimeout = 0\n",
         "config/bulletin.toml:2:11: 'timeout' must be more than 0 and at most 3600 seconds, found 0.0"),
        ("[fetch]\nper_host = 1000\n", "config/bulletin.toml:2:12: 'per_host' must be between 1 and 100, found 1000"),
        ("[digest]\nhigh_risk = 26\n", "config/bulletin.toml:2:13: 'high_risk' must be between 1 and 25, found 26"),
        ("[run]\nlock_wait = -1\n", "config/bulletin.toml:2:13: 'lock_wait' must be between 0 and 86400, found -1"),
        ("[digest]\nheartbeat = \"yes\"\n",
         "config/bulletin.toml:2:13: expected a boolean for 'digest.heartbeat', found a string"),
        ("[[channel]]\nname = \"m\"\nkind = \"pager\"\n",
         "config/bulletin.toml:3:8: unknown channel kind 'pager'; use one of: stdout, email, slack, teams, webhook"),
        ("[[channel]]\nname = \"m\"\nkind = \"stdout\"\n[[channel]]\nname = \"m\"\nkind = \"stdout\"\n",
         "config/bulletin.toml:5:8: a channel named 'm' is already defined"),
        ("databse = \"x\"\n", "config/bulletin.toml:1:1: unknown key 'databse' in the top level"),
        ("when = 2024-02-30\n", "config/bulletin.toml:1:8: invalid date or time '2024-02-30': day 30 is not in month 2 of 2024"),
        ("when = 2024-01-01\n", "config/bulletin.toml:1:1: unknown key 'when' in the top level"),
        ("database = \"\"\n", "config/bulletin.toml:1:12: 'database' must not be empty"),
        ("database = \"a\\u0000b\"\n", "config/bulletin.toml:1:12: 'database' must not hold a control character (U+0)"),
        ("[digest\n", "config/bulletin.toml:1:8: expected ']' to close the table header, found a newline"),
        ("feeds = \"one.opml\"\n", "config/bulletin.toml:1:9: expected an array for 'feeds', found a string"),
    ])
    func settingsErrorsPointAtTheirLineAndColumn(settings: String, message: String) throws {
        let result = try check(settings: settings)
        #expect(result.status == 2)
        #expect(result.stderr == "Error: \(message)\n")
    }

    @Test func hostileConfigurationsGiveAnErrorNotACrash() throws {
        let deep = "x = " + String(repeating: "[", count: 100_000) + "\n"
        let huge = "database = \"" + String(repeating: "a", count: 2_000_000) + "\"\n[fetch]\ncolour = 1\n"
        for settings in [deep, huge, "\u{0}\u{1}\u{2}", "a = \"unterminated\n"] {
            let result = try check(settings: settings)
            #expect(result.status == 2)
            #expect(result.stderr.hasPrefix("Error: config/bulletin.toml:"))
            #expect(!result.stderr.dropLast().contains("\n"), "one line: \(result.stderr.prefix(200))")
        }
    }

    @Test func aFileThatIsNotUTF8IsAnError() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("config"), withIntermediateDirectories: true)
        try Data([0x61, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0xFE, 0x22]).write(to: directory.url.appendingPathComponent("config/bulletin.toml"))
        let result = try runBulletin(["config", "check", "--config", "config"], currentDirectory: directory.url)
        #expect(result.status == 2)
        #expect(result.stderr == "Error: config/bulletin.toml:1:6: the file is not valid UTF-8 here\n")
    }

    @Test func aCatalogThatIsNotOPMLIsAnErrorNamingTheFile() throws {
        let directory = try TemporaryDirectory()
        try directory.write("<rss><channel/></rss>", to: "feeds.opml")
        let result = try runBulletin(["config", "check", "--config", ".", "--feeds", "feeds.opml"], currentDirectory: directory.url)
        #expect(result.status == 2)
        #expect(result.stderr == "Error: catalog: parse: feeds.opml: not a feed: looks like an XML document whose root is <rss>, not <opml>\n")
    }

    @Test func configCheckSaysWhichDirectoryWasUsedAndWhy() throws {
        let directory = try TemporaryDirectory()
        try directory.write("", to: "given/bulletin.toml")
        try directory.write("", to: "Config/bulletin.toml")
        try directory.write("", to: "xdg/bulletin/bulletin.toml")
        try directory.write("<opml version=\"2.0\"><body/></opml>", to: "feeds.opml")
        var environment = ProcessInfo.processInfo.environment
        environment["BULLETIN_CONFIG"] = nil
        environment["XDG_CONFIG_HOME"] = directory.path("xdg")
        func used(_ arguments: [String], in place: String, _ extra: [String: String] = [:]) throws -> String {
            let result = try runBulletin(["config", "check", "--feeds", directory.path("feeds.opml")] + arguments,
                                         environment: environment.merging(extra) { $1 },
                                         currentDirectory: directory.url.appendingPathComponent(place))
            #expect(result.status == 0, "\(result.stderr)")
            return String(result.stdout.split(separator: "\n").first ?? "")
        }
        #expect(try used(["--config", directory.path("given")], in: ".") == "config: \(directory.path("given")) (from --config)")
        #expect(try used([], in: ".", ["BULLETIN_CONFIG": directory.path("given")])
            == "config: \(directory.path("given")) (from $BULLETIN_CONFIG)")
        #expect(try used([], in: ".") == "config: Config (from ./Config in the current directory)")
        #expect(try used([], in: "xdg") == "config: \(directory.path("xdg"))/bulletin (from $XDG_CONFIG_HOME)")
    }

    @Test func verboseSaysWhichConfigurationCatalogAndDatabaseARunUses() throws {
        let directory = try TemporaryDirectory()
        try directory.write("", to: "config/bulletin.toml")
        try directory.write("<opml version=\"2.0\"><body/></opml>", to: "config/feeds/a.opml")
        let arguments = ["fetch", "--config", directory.path("config"), "--db", directory.path("db.sqlite3")]
        let verbose = try runBulletin(arguments + ["--verbose"])
        #expect(verbose.status == 0, "\(verbose.stderr)")
        #expect(verbose.stderr.hasPrefix("config: \(directory.path("config")) (from --config); catalog: "
            + "\(directory.path("config"))/feeds/a.opml; database: \(directory.path("db.sqlite3"))\n"), "\(verbose.stderr)")
        #expect(try runBulletin(arguments).stderr == "")
    }

    @Test func theConfigDirectoryComesFromTheEnvironmentWhenNotGiven() throws {
        let directory = try TemporaryDirectory()
        try directory.write("[[service]]\nname = \"a\"\n[[service]]\nname = \"b\"\n", to: "elsewhere/inventory.toml")
        try directory.write("<opml version=\"2.0\"><body/></opml>", to: "elsewhere/feeds/x.opml")
        var environment = ProcessInfo.processInfo.environment
        environment["BULLETIN_CONFIG"] = directory.path("elsewhere")
        let result = try runBulletin(["config", "check"], environment: environment, currentDirectory: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("2 services"))
    }
}
