import Foundation
import TestSupport
import Testing

/// `tag`, `explain`, `inventory`, `ack`/`acks`/`unack` and `kev` end to end: the real binary,
/// a feed we wrote served from 127.0.0.1, a real SQLite file.
@Suite struct MatchingCommandsTests {
    let directory: TemporaryDirectory
    let server: FeedServer

    static let inventory = """
        [[service]]
        name = "nginx"
        exclude = ["nginx-ui"]
        impact = 4
        likelihood = 4

        [[service]]
        name = "curl"

        [[service]]
        name = "xz"
        aliases = ["liblzma", { text = "xz[- ]?utils", match = "regex" }]

        [[service]]
        name = "PostgreSQL"
        category = "announcements"

        """

    init() throws {
        directory = try TemporaryDirectory()
        server = try FeedServer(routes: [
            "/advisories.rss": TestPaths.fixture("feeds/matching-advisories.rss").path,
            "/kev.json": TestPaths.fixture("kev/catalog-two-cves.json").path,
        ])
        try directory.write("""
            <opml version="2.0"><body>
              <outline text="Matching test advisories" xmlUrl="\(server.url("/advisories.rss"))" category="security"/>
            </body></opml>
            """, to: "feeds.opml")
        try directory.write(Self.inventory, to: "config/inventory.toml")
    }

    @discardableResult
    private func bulletin(_ arguments: String...) throws -> ProcessResult {
        try runBulletin(arguments + ["--config", directory.path("config"), "--db", directory.path("bulletin.sqlite3"),
                                     "--feeds", directory.path("feeds.opml")])
    }

    private func fetch() throws {
        let result = try bulletin("fetch")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("1 feeds: 1 changed, 0 unchanged, 0 failed; 5 new entries, 2 tagged; "))
    }

    // MARK: explain

    @Test func explainShowsTheTagWithTheTextAroundIt() throws {
        try fetch()
        let result = try bulletin("explain", "1")
        #expect(result.status == 0)
        #expect(result.stdout == """
            Entry 1: nginx 1.25.4 fixes an HTTP/3 flaw (CVE-2024-24989)
              feed:       Matching test advisories (security)
              link:       https://advisories.example.com/nginx-1.25.4
              date:       2024-02-14T12:00:00Z
              advisories: CVE-2024-24989
              severity:   high

            Tagged:
              nginx       "nginx" (name) in title at 0: «nginx» 1.25.4 fixes an HTTP/3 flaw (CVE-2024-2…
            Not tagged:
              curl        not mentioned
              xz          not mentioned
              PostgreSQL  not mentioned

            """)
    }

    @Test func explainNamesTheExcludeThatVetoedAMatch() throws {
        try fetch()
        let result = try bulletin("explain", "CVE-2024-23827")
        #expect(result.status == 0)
        #expect(result.stdout == """
            Entry 2: nginx-ui 2.0.0 fixes remote code execution (CVE-2024-23827)
              feed:       Matching test advisories (security)
              link:       https://advisories.example.com/nginx-ui-2.0.0
              date:       2024-01-29T09:30:00Z
              advisories: CVE-2024-23827
              severity:   critical (CVSS 9.8)

            Tagged: none
            Not tagged:
              nginx       vetoed by exclude "nginx-ui" in title at 0: «nginx-ui» 2.0.0 fixes remote code execution (CVE-…; the hit was "nginx" (name) in title at 0: «nginx»-ui 2.0.0 fixes remote code execution (C…
              curl        not mentioned
              xz          not mentioned
              PostgreSQL  not mentioned

            """)
    }

    @Test func explainShowsABoundaryMissARegexAliasAndACategoryFilter() throws {
        try fetch()
        let curlx = try bulletin("explain", "3")
        #expect(curlx.stdout.contains("""
            Tagged: none
            Not tagged:
              nginx       not mentioned
              curl        only inside a longer word: "curl" (name) in title at 0: «curl»x 2.0 released

            """))
        let rapidReset = try bulletin("explain", "4")
        #expect(rapidReset.stdout.contains("""
            Tagged:
              xz          "xz[- ]?utils" (alias, regex) in summary at 52: …ood servers with stream resets. Affects «XZ-Utils»? No: affects HTTP/2 servers; liblzma is…

            """))
        let postgres = try bulletin("explain", "5")
        #expect(postgres.stdout.contains("""
              PostgreSQL  takes only announcements bulletins; the hit was "PostgreSQL" (name) in title at 0: «PostgreSQL» 16.2, 15.6 and 14.11 released

            """))
    }

    @Test(arguments: [("99", "Error: explain: no entry 99 in "), ("CVE-1999-0001", "Error: explain: no stored entry names 'CVE-1999-0001'")])
    func explainOfAnUnknownIdFails(_ id: String, _ message: String) throws {
        try fetch()
        let result = try bulletin("explain", id)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix(message))
    }

    // MARK: tag

    @Test func aDryRunShowsExactlyTheChangesTheRealRunMakes() throws {
        try fetch()
        try directory.write(Self.inventory + """
            [[service]]
            name = "HTTP/2 servers"
            aliases = ["HTTP/2", "HTTP/3"]

            """, to: "config/inventory.toml")
        let dryRun = try bulletin("tag", "--dry-run", "--days", "100000")
        #expect(dryRun.status == 0)
        #expect(dryRun.stdout == """
            + HTTP/2 servers: entry 1 "nginx 1.25.4 fixes an HTTP/3 flaw (CVE-2024-24989)" (title, "HTTP/3")
            + HTTP/2 servers: entry 4 "HTTP/2 Rapid Reset in many servers (CVE-2023-44487)" (title, "HTTP/2")

            HTTP/2 servers: would have matched 2 bulletins in the last 100000 days (2 in all; +2 -0)

            Would add 2 tags and remove 0 over 5 entries (dry run: nothing written).

            """)
        // Nothing was written: a second dry run says the same.
        #expect(try bulletin("tag", "--dry-run", "--days", "100000").stdout == dryRun.stdout)
        let real = try bulletin("tag", "--days", "100000")
        #expect(real.status == 0)
        func changes(_ text: String) -> [String] {
            text.split(separator: "\n").filter { $0.hasPrefix("+ ") || $0.hasPrefix("- ") }.map(String.init)
        }
        #expect(changes(real.stdout) == changes(dryRun.stdout))
        #expect(real.stdout.hasSuffix("Added 2 tags and removed 0 over 5 entries.\n"))
        #expect(try bulletin("tag", "--dry-run").stdout == "Would add 0 tags and remove 0 over 5 entries (dry run: nothing written).\n")

        // Taking the service out again removes its tags, the dry run first.
        try directory.write(Self.inventory, to: "config/inventory.toml")
        let removal = try bulletin("tag", "--dry-run")
        #expect(changes(removal.stdout) == [
            "- HTTP/2 servers: entry 1 \"nginx 1.25.4 fixes an HTTP/3 flaw (CVE-2024-24989)\" (title, \"HTTP/3\")",
            "- HTTP/2 servers: entry 4 \"HTTP/2 Rapid Reset in many servers (CVE-2023-44487)\" (title, \"HTTP/2\")",
        ])
        #expect(removal.stdout.contains("HTTP/2 servers: would have matched 0 bulletins in the last 90 days (0 in all; +0 -2)"))
        #expect(changes(try bulletin("tag").stdout) == changes(removal.stdout))
    }

    @Test func tagRejectsABadWindow() throws {
        let result = try bulletin("tag", "--days", "0")
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Error: The value '0' is invalid for '--days'; use a whole number above 0\n"))
    }

    // MARK: ack

    @Test func anAckHidesAnEntryFromTheDigestUntilItIsUndone() throws {
        try fetch()
        let ack = try bulletin("ack", "1", "--until", "30d", "--reason", "patched on all hosts")
        #expect(ack.status == 0)
        #expect(ack.stdout.hasPrefix("ack 1: entry 1 \"nginx 1.25.4 fixes an HTTP/3 flaw (CVE-2024-24989)\" hidden until "))
        #expect(ack.stdout.hasSuffix(" (undo: bulletin unack 1)\n"))
        let list = try bulletin("acks")
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("ACK  TARGET   SERVICE       HIDDEN") == true, "\(list.stdout)")
        #expect(lines.last?.hasPrefix("1    entry 1  all services  until ") == true, "\(list.stdout)")
        #expect(list.stdout.hasSuffix("  patched on all hosts\n"))
        let again = try bulletin("ack", "1", "--until", "60d")
        #expect(again.status == 2)
        #expect(again.stderr.hasPrefix("Error: ack: entry 1 \"nginx 1.25.4 fixes an HTTP/3 flaw (CVE-2024-24989)\" is already "
            + "hidden until "), "\(again.stderr)")
        #expect(again.stderr.contains(" by ack 1; 'bulletin unack 1' first to change it\n"))
        #expect(try bulletin("ack", "1", "--service", "nginx").status == 0, "an ack of one service's tag is another ack")
        #expect(try bulletin("unack", "2").status == 0)

        let hidden = try bulletin("run")
        #expect(hidden.status == 0)
        #expect(!hidden.stdout.contains("nginx 1.25.4"))
        #expect(hidden.stdout.contains("XZ-Utils") == false)
        #expect(hidden.stdout.contains("HTTP/2 Rapid Reset"))

        #expect(try bulletin("unack", "1").stdout == "ack 1 removed\n")
        #expect(try bulletin("acks").stdout == "No acks.\n")
        let shown = try bulletin("run")
        #expect(shown.stdout.contains("nginx 1.25.4 fixes an HTTP/3 flaw"))
        #expect(!shown.stdout.contains("HTTP/2 Rapid Reset"))  // delivered by the first run
    }

    @Test func anAckOfOneEntryHidesTheOtherReportsOfTheSameAdvisory() throws {
        let elsewhere = try FeedServer(routes: [
            "/distro.rss": TestPaths.fixture("feeds/matching-same-cve-elsewhere.rss").path,
        ])
        try directory.write("""
            <opml version="2.0"><body>
              <outline text="Matching test advisories" xmlUrl="\(server.url("/advisories.rss"))" category="security"/>
              <outline text="Distribution notices" xmlUrl="\(elsewhere.url("/distro.rss"))" category="security"/>
            </body></opml>
            """, to: "feeds.opml")
        #expect(try bulletin("fetch").status == 0)
        let preview = try bulletin("digest", "--print")
        #expect(preview.stdout.contains("DSA-5624-1"), "the Debian notice is one row with the nginx bulletin")
        #expect(try bulletin("ack", "1").status == 0)  // entry 1: the nginx bulletin naming CVE-2024-24989
        let hidden = try bulletin("run")
        #expect(hidden.status == 0, "\(hidden.stderr)")
        #expect(!hidden.stdout.contains("nginx 1.25.4"))
        #expect(!hidden.stdout.contains("DSA-5624-1"), "the acked entry's cluster is hidden with it")
        #expect(hidden.stdout.contains("HTTP/2 Rapid Reset"))
    }

    @Test func anAckOfAnAdvisoryForOneServiceHidesOnlyThatTag() throws {
        try fetch()
        let ack = try bulletin("ack", "cve-2023-44487", "--service", "XZ")
        #expect(ack.stdout.hasPrefix("ack 1: CVE-2023-44487 (1 stored entry names it) hidden for xz for good"))
        let run = try bulletin("run")
        #expect(!run.stdout.contains("HTTP/2 Rapid Reset"))
        #expect(run.stdout.contains("nginx 1.25.4"))
    }

    @Test(arguments: [
        (["ack", "1", "--until", "yesterday"], "Error: The value 'yesterday' is invalid for '--until <date>'; expected an age (12h, 7d, 2w, 1y) or a date (2024-01-01, 2024-01-01T12:00:00Z)\n"),
        (["ack", "1", "--until", "2001-01-01"], "Error: The date '2001-01-01' for '--until <date>' is not in the future\n"),
        (["ack", "1", "--service", "nope"], "Error: No service named 'nope' in "),
        (["ack", "hello"], "Error: 'hello' is neither an entry number nor an advisory id\n"),
        (["unack", "x"], "Error: 'x' is not an ack number\n"),
    ])
    func ackMistakesAreUsageErrors(_ arguments: [String], _ message: String) throws {
        let result = try runBulletin(arguments + ["--config", directory.path("config"), "--db", directory.path("bulletin.sqlite3")])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix(message))
    }

    @Test func unackOfAnUnknownAckFails() throws {
        let result = try bulletin("unack", "7")
        #expect(result.status == 1)
        #expect(result.stderr == "Error: unack: no ack 7 (see 'bulletin acks --all')\n")
    }

    // MARK: kev

    @Test func theKEVCatalogFlagsStoredEntriesAndExplainSaysSo() throws {
        try fetch()
        #expect(try bulletin("kev", "status").stdout == "kev: no catalog loaded yet; run 'bulletin kev update'\n")
        let update = try bulletin("kev", "update", TestPaths.fixture("kev/catalog-two-cves.json").path)
        #expect(update.status == 0)
        #expect(update.stdout == "kev: catalog 2024.02.20, 2 vulnerabilities; 1 stored entry names a known exploited CVE\n")
        let explain = try bulletin("explain", "4")
        #expect(explain.stdout.contains("""
              severity:   not stated
              exploited:  CVE-2023-44487 is in CISA's KEV catalog (added 2023-10-10, due 2023-10-31)

            """))
    }

    @Test func theKEVCatalogIsFetchedLikeAFeedAndNotAgainWhenUnchanged() throws {
        try fetch()
        let first = try bulletin("kev", "update", server.url("/kev.json"))
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasSuffix(" vulnerabilities; 1 stored entry names a known exploited CVE\n"))
        let second = try bulletin("kev", "update", server.url("/kev.json"))
        #expect(second.stdout.hasPrefix("kev: \(server.url("/kev.json")) has not changed (catalog "))
        #expect(try bulletin("kev", "status").stdout.contains(" vulnerabilities, from \(server.url("/kev.json")), loaded "))
    }

    @Test(arguments: [
        ("kev/catalog-bad-id.json", "vulnerabilities[0].cveID: 'NOT-A-CVE' is not a CVE id"),
        ("inventory/plain-list-with-comments.txt", "not a KEV catalog: invalid JSON"),
    ])
    func aBrokenCatalogChangesNothing(_ fixture: String, _ reason: String) throws {
        try fetch()
        _ = try bulletin("kev", "update", TestPaths.fixture("kev/catalog-two-cves.json").path)
        let path = TestPaths.fixture(fixture).path
        let result = try bulletin("kev", "update", path)
        #expect(result.status == 1)
        #expect(result.stderr == "Error: kev: \(path): \(reason)\n")
        #expect(try bulletin("kev", "status").stdout.hasPrefix("kev: catalog 2024.02.20 "))
    }

    // MARK: inventory

    @Test func importPrintsOnlyTheServicesTheInventoryLacks() throws {
        try directory.write("""
            [[service]]
            name = "Amazon S3"
            aliases = ["S3"]

            [[service]]
            name = "AWS Lambda"

            """, to: "config/inventory.toml")
        let path = TestPaths.fixture("inventory/komiser-aws-export.csv").path
        let result = try bulletin("inventory", "import", path)
        #expect(result.status == 0)
        #expect(result.stdout == """
            # Imported from \(path) (komiser): 3 new services; already in the inventory: Lambda (as AWS Lambda), S3 (as Amazon S3)

            # Komiser, AWS: 1 resource
            [[service]]
            name = "EC2"

            # Komiser, AWS: 2 resources
            [[service]]
            name = "RDS"
            version = "15.6, 14.11"

            # Komiser, AWS: 1 resource
            [[service]]
            name = "EKS"
            version = "1.29"

            """)
    }

    @Test func importWriteAppendsOnceAndTheResultIsValid() throws {
        let path = TestPaths.fixture("inventory/cyclonedx-nested-and-duplicates.json").path
        let written = try bulletin("inventory", "import", path, "--write")
        #expect(written.status == 0)
        #expect(written.stderr.hasPrefix("import: added 5 services to "))
        let again = try bulletin("inventory", "import", path, "--write")
        #expect(again.stderr.hasPrefix("import: nothing to add to "))
        let check = try bulletin("inventory", "check")
        #expect(check.status == 0)
        #expect(check.stdout.contains("lodash: risk 9, version 4.17.21, 4.17.20\n  phrases: lodash\n"))
        #expect(check.stdout.hasSuffix("inventory.toml: 9 services, 1 high risk (at or above 15)\n"))
    }

    @Test func aBrokenImportIsAConfigurationError() throws {
        let path = TestPaths.fixture("inventory/komiser-short-row.csv").path
        let result = try bulletin("inventory", "import", path, "--write")
        #expect(result.status == 2)
        #expect(result.stderr == "Error: import: \(path):3: expected 9 fields, found 8\n")
        #expect(try String(contentsOfFile: directory.path("config/inventory.toml"), encoding: .utf8) == Self.inventory)
    }

    @Test(arguments: [
        ("[[service]]\nname = \"x\"\naliases = [{ text = \"a\", match = \"fuzzy\" }]\n",
         "config/inventory.toml:3:34: 'match' must be one of: word, prefix, regex; found 'fuzzy'"),
        ("[[service]]\nname = \"x\"\naliases = [{ text = \"(unclosed\", match = \"regex\" }]\n",
         "config/inventory.toml:3:21: not a valid regular expression: "),
        ("[[service]]\nname = \"x\"\naliases = [\"a\", { text = \" \" }]\n",
         "config/inventory.toml:3:26: 'aliases[1]' must not be empty"),
        ("[[service]]\nname = \"x\"\naliases = [{ text = \"a\", mode = \"prefix\" }]\n",
         "config/inventory.toml:3:26: unknown key 'mode' in [[service.aliases]]"),
        ("[[service]]\nname = \"x\"\ncategory = \"all\"\n",
         "config/inventory.toml:3:12: 'category' must be one of: security, announcements, both; found 'all'"),
        ("[[service]]\nname = \"x\"\ntags = [\"prod\", \"\"]\n", "config/inventory.toml:3:17: 'tags[1]' must not be empty"),
        ("[[service]]\nname = \"x\"\nbuiltin_aliases = \"no\"\n",
         "config/inventory.toml:3:19: expected a boolean for 'service[0].builtin_aliases', found a string"),
        ("[[service]]\nname = \"x\"\nowner = \"\"\n", "config/inventory.toml:3:9: 'owner' must not be empty"),
    ])
    func newInventoryKeysAreChecked(_ text: String, _ message: String) throws {
        try directory.write(text, to: "config/inventory.toml")
        let result = try runBulletin(["inventory", "check", "--config", "config"], currentDirectory: directory.url)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Error: " + message), "\(result.stderr)")
    }

    @Test func theHelpListsTheNewCommands() throws {
        let result = try runBulletin(["--help"])
        for line in ["  tag                     Re-tag every stored bulletin against the current inventory.",
                     "  explain                 Show why a bulletin was or was not tagged, service by service.",
                     "  inventory               Check the inventory, or import services from an SBOM, Komiser or a list.",
                     "  ack                     Hide a bulletin from future digests, for a while or for good.",
                     "  acks                    List the acks that hide bulletins from digests.",
                     "  unack                   Remove an ack: its bulletins show in digests again.",
                     "  kev                     Load CISA's Known Exploited Vulnerabilities catalog."] {
            #expect(result.stdout.contains(line + "\n"), "missing: \(line)")
        }
    }
}
