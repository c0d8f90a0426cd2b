import Foundation
import TestSupport
import Testing

/// The command line as a user meets it: help text, usage errors and exit codes, from the
/// real `bulletin` binary.
@Suite struct CommandLineTests {
    @Test func theTopLevelHelpListsEveryCommandAndGlobalOption() throws {
        let result = try runBulletin(["--help"])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.hasPrefix("OVERVIEW: Keep up with the security bulletins that concern what you run.\n"))
        #expect(result.stdout.contains(
            "USAGE: bulletin [--config <dir>] [--db <path>] [--feeds <file.opml>] [--quiet] [--verbose] <subcommand>"))
        for line in ["  --config <dir>          Read bulletin.toml and inventory.toml from <dir>.",
                     "  --db <path>             Use the database at <path>.",
                     "  --feeds <file.opml>     Use this feed catalog instead of the configured one.",
                     "  --quiet                 Print only results and errors.",
                     "  --version               Show the version.",
                     "  -h, --help              Show help information.",
                     "  run                     Fetch every feed, tag new bulletins and deliver the digest.",
                     "  fetch                   Fetch feeds and store their new entries, without a digest.",
                     "  digest                  Show or deliver the digest of what is stored, without fetching.",
                     "  parse                   Show how a feed document is understood.",
                     "  feeds                   Show and edit the feed catalog.",
                     "  config                  Check the configuration.",
                     "  See 'bulletin help <subcommand>' for detailed help."] {
            #expect(result.stdout.contains(line + "\n"), "missing: \(line)")
        }
    }

    @Test(arguments: [["help", "parse"], ["parse", "--help"], ["parse", "-h"], ["--quiet", "help", "parse"]])
    func everyWayOfAskingForACommandsHelpGivesTheSameText(arguments: [String]) throws {
        let result = try runBulletin(arguments)
        #expect(result.status == 0)
        #expect(result.stdout == """
            OVERVIEW: Show how a feed document is understood.

            USAGE: bulletin parse [--format <format>] <file-or-url>

            ARGUMENTS:
              <file-or-url>           A feed file, - for standard input, or an http(s) URL to fetch.

            OPTIONS:
              --format <format>       Output format. (values: text, json)
              --config <dir>          Read bulletin.toml and inventory.toml from <dir>.
              --db <path>             Use the database at <path>.
              --feeds <file.opml>     Use this feed catalog instead of the configured one.
              --quiet                 Print only results and errors.
              --verbose               Also print what each stage does, on standard error.
              -h, --help              Show help information.

            """)
    }

    @Test func aNestedCommandsHelpNamesItsPath() throws {
        let result = try runBulletin(["help", "config", "check"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: bulletin config check [--format <format>]\n"))
        let group = try runBulletin(["feeds", "--help"])
        #expect(group.stdout.contains("USAGE: bulletin feeds <subcommand>\n"))
        #expect(group.stdout.contains("  list                    List the catalog's feeds: title, category and URL.\n"))
        #expect(group.stdout.contains("See 'bulletin help feeds <subcommand>' for detailed help."))
    }

    @Test(arguments: [["--version"], ["search", "--version"], ["feeds", "list", "--version"], ["--quiet", "run", "--version"]])
    func theVersionIsPrintedWhereverItIsAsked(arguments: [String]) throws {
        let result = try runBulletin(arguments)
        #expect(result.status == 0)
        #expect(result.stdout.range(of: #"^bulletin \d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, "\(result.stdout)")
    }

    @Test(arguments: [
        ["search", "x", "--limit", "5", "--limit", "6"], ["digest", "--since=7d", "--since", "2w"],
        ["--db", "a.sqlite3", "search", "x", "--db", "b.sqlite3"],
    ])
    func anOptionGivenTwiceIsAnErrorNotTheLastOne(arguments: [String]) throws {
        let result = try runBulletin(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Error: The option '"), "\(result.stderr)")
        #expect(result.stderr.contains("' is given more than once\n"))
    }

    @Test(arguments: [
        (["frobnicate"], "Error: Unknown subcommand 'frobnicate'\nUsage: bulletin [--config <dir>] [--db <path>] [--feeds <file.opml>] [--quiet] [--verbose] <subcommand>\n  See 'bulletin --help' for more information.\n"),
        (["run", "--bogus"], "Error: Unknown option '--bogus'\nUsage: bulletin run [--all] [--alert] [--catch-up] [--format <format>]\n  See 'bulletin run --help' for more information.\n"),
        (["parse"], "Error: Missing expected argument '<file-or-url>'\nUsage: bulletin parse [--format <format>] <file-or-url>\n  See 'bulletin parse --help' for more information.\n"),
        (["parse", "a", "b"], "Error: Unexpected argument 'b'\nUsage: bulletin parse [--format <format>] <file-or-url>\n  See 'bulletin parse --help' for more information.\n"),
        (["parse", "f.xml", "--format", "yaml"], "Error: The value 'yaml' is invalid for '--format <format>'; use one of: text, json\nUsage: bulletin parse [--format <format>] <file-or-url>\n  See 'bulletin parse --help' for more information.\n"),
        (["parse", "f.xml", "--format"], "Error: Missing value for '--format <format>'\nUsage: bulletin parse [--format <format>] <file-or-url>\n  See 'bulletin parse --help' for more information.\n"),
        (["config"], "Error: Missing subcommand\nUsage: bulletin config <subcommand>\n  See 'bulletin config --help' for more information.\n"),
        (["feeds", "lst"], "Error: Unknown subcommand 'lst'\nUsage: bulletin feeds <subcommand>\n  See 'bulletin feeds --help' for more information.\n"),
        (["run", "--quiet=yes"], "Error: The flag '--quiet' takes no value\nUsage: bulletin run [--all] [--alert] [--catch-up] [--format <format>]\n  See 'bulletin run --help' for more information.\n"),
        (["help", "nothing"], "Error: Unknown subcommand 'nothing'\nUsage: bulletin [--config <dir>] [--db <path>] [--feeds <file.opml>] [--quiet] [--verbose] <subcommand>\n  See 'bulletin --help' for more information.\n"),
    ])
    func aUsageErrorPrintsTheErrorAndUsageOnStandardErrorAndExits2(arguments: [String], stderr: String) throws {
        let result = try runBulletin(arguments)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr == stderr)
    }

    @Test func aMissingConfigDirectoryIsAConfigurationError() throws {
        let result = try runBulletin(["config", "check", "--config", "/nonexistent/bulletin-config"])
        #expect(result.status == 2)
        #expect(result.stderr == "Error: config: /nonexistent/bulletin-config: no such directory\n")
    }

    @Test func aFeedFileThatIsMissingIsARuntimeError() throws {
        let result = try runBulletin(["parse", "/nonexistent/feed.xml"])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: parse: /nonexistent/feed.xml: no such file\n")
    }

    @Test func aDocumentThatIsNotAFeedIsARuntimeErrorSayingWhatItIs() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("<!DOCTYPE html><html><body>Login</body></html>", to: "page.xml")
        let result = try runBulletin(["parse", file])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: parse: \(file): not a feed: looks like an HTML page\n")
    }

    @Test func parseJSONFollowsTheDocumentedContract() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("""
            <?xml version="1.0"?>
            <rss version="2.0"><channel><title>Ex &amp; ample</title><link>https://example.com/</link>
            <item><title>USN-6543-1: nginx &lt;i&gt;vulnerability&lt;/i&gt;</title><link>/usn/6543-1</link>
            <guid>usn-6543-1</guid><pubDate>Tue, 10 Oct 2023 14:00:00 +0200</pubDate>
            <description>Fixes CVE-2023-44487 in nginx.</description><category>nginx</category>
            <author>security@example.com</author></item>
            <item><title>Second</title></item>
            </channel></rss>
            """, to: "feed.xml")
        let result = try runBulletin(["parse", "--format", "json", file])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let feed = try #require(json["feed"] as? [String: Any])
        #expect(feed["format"] as? String == "rss2.0")
        #expect(feed["title"] as? String == "Ex & ample")
        #expect(feed["updated"] is NSNull)
        let entries = try #require(json["entries"] as? [[String: Any]])
        #expect(entries.count == 2)
        #expect(entries[0]["id"] as? String == "usn-6543-1")
        #expect(entries[0]["title"] as? String == "USN-6543-1: nginx vulnerability")
        #expect(entries[0]["published"] as? String == "2023-10-10T12:00:00Z")
        #expect(entries[0]["updated"] is NSNull)
        #expect(entries[0]["summary"] as? String == "Fixes CVE-2023-44487 in nginx.")
        #expect(entries[0]["authors"] as? [String] == ["security@example.com"])
        #expect(entries[0]["categories"] as? [String] == ["nginx"])
        #expect(entries[0]["advisories"] as? [String] == ["USN-6543-1", "CVE-2023-44487"])
        #expect(entries[1]["link"] is NSNull)
        #expect(entries[1]["summary"] is NSNull)
        #expect((entries[1]["id"] as? String)?.isEmpty == false)
        // Key order is part of the contract.
        #expect(result.stdout.contains(#""id": "usn-6543-1",\#n      "title": "#))
    }

    @Test func aFileLargerThanAFeedMayBeIsRefusedBeforeItIsRead() throws {
        let directory = try TemporaryDirectory()
        let file = directory.path("huge.xml")
        #expect(FileManager.default.createFile(atPath: file, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: file))
        try handle.truncate(atOffset: 200 * 1024 * 1024)  // sparse: no disk, no memory
        try handle.close()
        let result = try runBulletin(["parse", file])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: parse: \(file): the document is 200.0 MB, more than the 64.0 MB a feed may be\n")
    }

    @Test func parseTextShowsWhatWasUnderstoodAndWhatWasRepaired() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("""
            <rss version="2.0"><channel><title>Ex</title>
            <item><title>AT&T fix for CVE-2024-0001&nbsp;now</title><link>https://example.com/1</link>
            <pubDate>Tue, 10 Oct 2023 14:00:00 +0200</pubDate></item></channel></rss>
            """, to: "feed.xml")
        let result = try runBulletin(["parse", file])
        #expect(result.status == 0)
        #expect(result.stdout == """
            Ex [rss2.0, UTF-8], 1 entry
              repairs and notes:
                - repaired 1 bare '&' (as '&amp;')
                - read 1 HTML entities XML does not define (&nbsp;)

            - AT&T fix for CVE-2024-0001 now
              id: https://example.com/1
              link: https://example.com/1
              published: 2023-10-10T12:00:00Z  updated: -
              advisories: CVE-2024-0001

            """)
        let json = try runBulletin(["parse", "--format", "json", file])
        #expect(json.stderr == "parse: \(file): repaired 1 bare '&' (as '&amp;')\n"
            + "parse: \(file): read 1 HTML entities XML does not define (&nbsp;)\n")
    }

    @Test(arguments: [
        (["prune", "--dry-run"], "Error: prune: --dry-run counts what --older-than <when> would delete; give --older-than\n"),
        (["prune", "--all"], "Error: prune: give --older-than <when>, --vacuum, or both\n"),
    ])
    func pruneSaysWhatItNeeds(arguments: [String], message: String) throws {
        let result = try runBulletin(arguments + ["--db", "/nonexistent/bulletin.sqlite3"])
        #expect(result.status == 2)
        #expect(result.stderr == message)
    }

    @Test func aDryRunVacuumSaysTheSizeAndChangesNothing() throws {
        let directory = try TemporaryDirectory()
        try directory.write("", to: "config/bulletin.toml")
        try directory.write("<opml version=\"2.0\"><body/></opml>", to: "feeds.opml")
        let options = ["--config", directory.path("config"), "--db", directory.path("db.sqlite3"), "--feeds", directory.path("feeds.opml")]
        #expect(try runBulletin(["fetch"] + options).status == 0)  // makes the database
        let size = try FileManager.default.attributesOfItem(atPath: directory.path("db.sqlite3"))[.size] as? Int
        let result = try runBulletin(["prune", "--vacuum", "--dry-run"] + options)
        #expect(result.status == 0)
        #expect(result.stdout == "would vacuum: the file is 0 MiB now\n")
        #expect(try FileManager.default.attributesOfItem(atPath: directory.path("db.sqlite3"))[.size] as? Int == size)
    }

    @Test func parseReadsStandardInputForADash() throws {
        let fixture = TestPaths.fixture("feeds/rss2-distribution-advisories-cve-lists.rss")
        let fromFile = try runBulletin(["parse", "--format", "json", fixture.path])
        let fromInput = try runBulletin(["parse", "--format", "json", "-"], input: fixture)
        #expect(fromInput.status == 0, "\(fromInput.stderr)")
        #expect(fromInput.stdout == fromFile.stdout)
        let directory = try TemporaryDirectory()
        let empty = try directory.write("", to: "empty")
        let nothing = try runBulletin(["parse", "-"], input: URL(fileURLWithPath: empty))
        #expect(nothing.status == 1)
        #expect(nothing.stderr == "Error: parse: -: not a feed: looks like an empty document\n")
    }

    @Test func inventoryImportReadsStandardInputForADash() throws {
        let directory = try TemporaryDirectory()
        try directory.write("[[service]]\nname = \"nginx\"\n", to: "config/inventory.toml")
        let list = TestPaths.fixture("inventory/plain-list-with-comments.txt")
        let fromFile = try runBulletin(["inventory", "import", list.path, "--config", directory.path("config")])
        let fromInput = try runBulletin(["inventory", "import", "-", "--config", directory.path("config")], input: list)
        #expect(fromInput.status == 0, "\(fromInput.stderr)")
        #expect(fromInput.stdout.contains("[[service]]"))
        #expect(fromInput.stdout.replacingOccurrences(of: list.path, with: "-") == fromFile.stdout.replacingOccurrences(of: list.path, with: "-"))
    }

    @Test func parseJSONOfALargeFeedIsWrittenWholeAndValid() throws {
        let directory = try TemporaryDirectory()
        let items = (0..<400).map { index in
            "<item><guid>https://example.com/advisories/\(index)</guid><title>Advisory \(index): a flaw in package \(index % 17)</title>"
                + "<description>&lt;p&gt;Versions before \(index).0 let a crafted request read memory it should not.&lt;/p&gt;</description>"
                + "<pubDate>Tue, 10 Oct 2023 12:00:00 GMT</pubDate></item>\n"
        }
        let file = try directory.write("<rss version=\"2.0\"><channel><title>Large</title>\n" + items.joined()
                                       + "</channel></rss>\n", to: "large.rss")
        let result = try runBulletin(["parse", "--format", "json", file])
        #expect(result.status == 0)
        #expect(result.stdout.utf8.count > 1 << 17)  // written in several pieces
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((json["entries"] as? [[String: Any]])?.count == 400)
        #expect(result.stdout.hasSuffix("\n  ]\n}\n"))
    }

    /// The entries' JSON is kept in chunks of 2 MB until the feed's own fields are known:
    /// entries that straddle the edges of chunks come out whole, escaped and in order.
    @Test func parseJSONAcrossTheEdgesOfItsChunksIsWholeAndInOrder() throws {
        let directory = try TemporaryDirectory()
        let sentence = #"A "quoted" back\slash, "#
        let summaries = (0..<6).map { String(repeating: sentence, count: 30_000 + $0).trimmingCharacters(in: .whitespaces) }
        let items = summaries.enumerated().map { "<item><guid>item-\($0)</guid><description>\($1)</description></item>" }
        let file = try directory.write(#"<rss version="2.0"><channel><title>Big</title>"# + items.joined()
            + "<lastBuildDate>Tue, 10 Oct 2023 14:00:00 GMT</lastBuildDate></channel></rss>", to: "big.xml")
        let result = try runBulletin(["parse", "--format", "json", file])
        #expect(result.status == 0)
        #expect(result.stdout.utf8.count > 4 << 20)  // escaped: more than two chunks
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((json["feed"] as? [String: Any])?["updated"] as? String == "2023-10-10T14:00:00Z")  // read after the entries
        let entries = try #require(json["entries"] as? [[String: Any]])
        #expect(entries.map { $0["id"] as? String } == (0..<6).map { "item-\($0)" })
        #expect(entries.map { $0["summary"] as? String } == summaries)
    }
}
