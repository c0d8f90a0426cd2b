import Foundation
@testable import BulletinKit
import Models
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
        // The fixture's bulletins are from 2023 and 2024: a first digest sends them all here.
        try directory.write("[digest]\nfirst_run_days = 0\n", to: "config/bulletin.toml")
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

            About (subject):
              nginx       title: "nginx" (name) in title at 0: «nginx» 1.25.4 fixes an HTTP/3 flaw (CVE-2024-2…
            Digest: Action needed: high severity on nginx, whose risk 16 is at or above 15

            """)
        // --all also lists the services the entry does not name.
        let all = try bulletin("explain", "1", "--all")
        #expect(all.stdout.hasSuffix("""
            Not tagged:
              curl        not mentioned
              xz          not mentioned
              PostgreSQL  not mentioned

            """))
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

            About: none
            Digest: not shown (it is about none of your services)
            Not tagged:
              nginx       vetoed by exclude "nginx-ui" in title at 0: «nginx-ui» 2.0.0 fixes remote code execution (CVE-…; the hit was "nginx" (name) in summary at 72: …or lets an attacker run commands on the «nginx» host. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/…

            """)
    }

    @Test func explainShowsABoundaryMissARegexAliasAndACategoryFilter() throws {
        try fetch()
        let curlx = try bulletin("explain", "3", "--all")
        #expect(curlx.stdout.contains("""
            About: none
            Digest: not shown (it is about none of your services)
            Not tagged:
              nginx       not mentioned
              curl        only inside a longer word: "curl" (name) in title at 0: «curl»x 2.0 released

            """))
        let rapidReset = try bulletin("explain", "4")
        #expect(rapidReset.stdout.contains("""
            About: none
            Mentioned:
              xz          summary: "xz[- ]?utils" (alias, regex) in summary at 52: …ood servers with stream resets. Affects «XZ-Utils»? No: affects HTTP/2 servers; liblzma is…
            Digest: one line under Also mentioned (it only mentions xz)

            """))
        let postgres = try bulletin("explain", "5")
        #expect(postgres.stdout.contains("""
              PostgreSQL  takes only announcements bulletins; the hit was "PostgreSQL" (name) in title at 0: «PostgreSQL» 16.2, 15.6 and 14.11 released

            """))
    }

    @Test func explainAsJSONGivesEveryServicesVerdict() throws {
        try fetch()
        let result = try bulletin("explain", "CVE-2024-23827", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let entry = try #require(entries.first)
        #expect(entries.count == 1 && entry["entry"] as? Int == 2)
        #expect(entry["severity"] as? String == "critical" && entry["cvss"] as? Double == 9.8)
        #expect(entry["link"] as? String == "https://advisories.example.com/nginx-ui-2.0.0")
        #expect(entry["digest"] as? String == "not shown (it is about none of your services)")
        let services = try #require(entry["services"] as? [[String: Any]])
        #expect(services.map { $0["service"] as? String } == ["nginx", "curl", "xz", "PostgreSQL"])
        #expect(services.map { $0["outcome"] as? String } == ["vetoed", "not-mentioned", "not-mentioned", "not-mentioned"])
        let hit = try #require(services[0]["hit"] as? [String: Any])
        #expect(hit["field"] as? String == "summary" && hit["position"] as? Int == 72 && hit["phrase"] as? String == "nginx")
        #expect((services[0]["detail"] as? [String: Any])?["phrase"] as? String == "nginx-ui")
        #expect((entry["stored_tags_differ"] as? [Any])?.isEmpty == true)

        let tagged = try bulletin("explain", "1", "--format", "json")
        let first = try #require((try JSONSerialization.jsonObject(with: Data(tagged.stdout.utf8)) as? [[String: Any]])?.first)
        let nginx = try #require((first["services"] as? [[String: Any]])?.first)
        #expect(nginx["outcome"] as? String == "subject" && nginx["rule"] as? String == "title")
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
        // As JSON: nothing left to change, then the same two tags taken away.
        try directory.write(Self.inventory, to: "config/inventory.toml")
        let json = try #require(try JSONSerialization.jsonObject(
            with: Data(try bulletin("tag", "--dry-run", "--format", "json").stdout.utf8)) as? [String: Any])
        #expect(json["dry_run"] as? Bool == true && json["entries"] as? Int == 5)
        #expect((json["added"] as? [Any])?.isEmpty == true)
        let removed = try #require(json["removed"] as? [[String: Any]])
        #expect(removed.map { $0["entry"] as? Int } == [1, 4])
        #expect(removed.allSatisfy { $0["service"] as? String == "HTTP/2 servers" && $0["field"] as? String == "title" })

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

    @Test func explainSaysWhereTheDigestPutsTheEntryAndWhy() {
        let services = [Service(name: "nginx", impact: 4, likelihood: 4), Service(name: "curl")]
        func place(_ subjects: [String], _ severity: Severity?, kev: Bool = false, mentions: [String] = []) -> String {
            ExplainCommand.placement(subjects: subjects, mentions: mentions, severity: severity, kev: kev,
                                     services: services, highRisk: 15)
        }
        #expect(place(["curl"], .low, kev: true) == "Action needed: one of its CVEs is in CISA's KEV catalog")
        #expect(place(["curl"], .critical) == "Action needed: critical severity")
        #expect(place(["curl", "nginx"], .high) == "Action needed: high severity on nginx, whose risk 16 is at or above 15")
        #expect(place(["curl"], .high) == "a row under curl, not Action needed (high severity, but curl's risk 9 is "
            + "below 15; KEV-listed, critical, or high on a service at or above risk 15 would be)")
        #expect(place(["nginx"], nil).hasPrefix("a row under nginx, not Action needed (no severity stated;"))
        #expect(place([], nil, mentions: ["curl"]) == "one line under Also mentioned (it only mentions curl)")
    }

    // MARK: export

    @Test func exportPrintsEveryEntryWithItsTagsStrengthsAndRules() throws {
        try fetch()
        let result = try bulletin("export", "--format", "jsonl")
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try result.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(rows.count == 5)
        let nginx = try #require(rows.first { $0["id"] as? String == "nginx-1.25.4" })
        #expect((nginx["feed"] as? [String: Any])?["title"] as? String == "Matching test advisories")
        #expect((nginx["feed"] as? [String: Any])?["url"] as? String == server.url("/advisories.rss"))
        #expect(nginx["advisories"] as? [String] == ["CVE-2024-24989"])
        #expect(nginx["severity"] as? String == "high")
        #expect(nginx["published"] as? String == "2024-02-14T12:00:00Z")
        let tags = try #require(nginx["tags"] as? [[String: Any]])
        #expect(tags.count == 1)
        #expect(tags.first?["service"] as? String == "nginx")
        #expect(tags.first?["strength"] as? String == "subject")
        #expect(tags.first?["rule"] as? String == "title")
        #expect(tags.first?["field"] as? String == "title" && tags.first?["position"] as? Int == 0)
        // The Rapid Reset entry only mentions xz, after its first sentence.
        let reset = try #require(rows.first { $0["id"] as? String == "rapid-reset" })
        let resetTags = try #require(reset["tags"] as? [[String: Any]])
        #expect(resetTags.map { "\($0["service"] ?? ""):\($0["strength"] ?? ""):\($0["rule"] ?? "")" } == ["xz:mention:summary"])

        let csv = try bulletin("export", "--format", "csv", "--since", "2024-02-01")
        #expect(csv.status == 0)
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "feed,feed_url,rowid,id,title,link,published,updated,advisories,severity,kev,tags")
        #expect(lines.count == 4, "three entries are dated on or after 2024-02-01: \(lines)")
        #expect(lines.contains { $0.contains(",nginx-1.25.4,") && $0.hasSuffix(",high,no,nginx:subject") })
        let bad = try bulletin("export", "--since", "yesterday")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("export: '--since yesterday': expected an age"))
    }

    @Test func aCSVFieldIsQuotedAndAFormulaIsDefused() {
        #expect(ExportCommand.Row.csvField("plain") == "plain")
        #expect(ExportCommand.Row.csvField("a, b") == "\"a, b\"")
        #expect(ExportCommand.Row.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ExportCommand.Row.csvField("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(ExportCommand.Row.csvField("-1+2") == "'-1+2")
    }

    // MARK: first run

    @Test func aChannelsFirstDigestLeavesOutWhatIsOlderThanFirstRunDaysAndSaysSo() throws {
        try directory.write("", to: "config/bulletin.toml")  // the defaults: 14 days
        let first = try bulletin("run")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("First digest on this channel: 2 bulletins older than 14 days were marked as seen "
            + "without being sent (bulletin search finds them)."), "\(first.stdout)")
        #expect(!first.stdout.contains("nginx 1.25.4"))
        // They count as delivered: the next run has nothing new, and says nothing of them.
        let second = try bulletin("run")
        #expect(second.stdout.hasPrefix("Bulletin digest: nothing new for your services."))
        #expect(!second.stdout.contains("First digest"))
    }

    @Test func catchUpMarksEverythingDeliveredWithoutSending() throws {
        let caughtUp = try bulletin("run", "--catch-up")
        #expect(caughtUp.status == 0, "\(caughtUp.stderr)")
        #expect(!caughtUp.stdout.contains("nginx 1.25.4"))
        #expect(caughtUp.stderr.contains("deliver: stdout: 2 entries marked delivered without sending (--catch-up)"),
                "\(caughtUp.stderr)")
        #expect(try bulletin("run").stdout.hasPrefix("Bulletin digest: nothing new for your services."))
    }

    // MARK: search by strength

    @Test func searchFindsSubjectsWithServiceAndPassingNamesWithMentions() throws {
        try fetch()
        func ids(_ query: String) throws -> [String] {
            let result = try bulletin("search", query, "--format", "json")
            #expect(result.status == 0, "\(result.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            return (object?["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        #expect(try ids("service:nginx") == ["nginx-1.25.4"])
        #expect(try ids("service:xz") == [])
        #expect(try ids("mentions:xz") == ["rapid-reset"])
        #expect(try ids("tagged:yes") == ["nginx-1.25.4"])
        // Titles are cut at 50 characters, or as a wider terminal (COLUMNS) allows.
        let arguments = ["search", "nginx-ui", "--config", directory.path("config"), "--db", directory.path("bulletin.sqlite3"),
                         "--feeds", directory.path("feeds.opml")]
        let narrow = try runBulletin(arguments)
        #expect(narrow.stdout.contains("nginx-ui 2.0.0 fixes remote code execution (CVE-2…  "), "\(narrow.stdout)")
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "250"
        let wide = try runBulletin(arguments, environment: environment)
        #expect(wide.stdout.contains("nginx-ui 2.0.0 fixes remote code execution (CVE-2024-23827)  "), "\(wide.stdout)")
        #expect(wide.stdout.split(separator: "\n").first?.count == narrow.stdout.split(separator: "\n").first.map { $0.count + 66 })
        // A name the inventory does not know finds nothing, and the search says so.
        let typo = try bulletin("search", "service:ngnix")
        #expect(typo.status == 2)
        #expect(typo.stderr.hasPrefix("Error: search: no service named 'ngnix' in "), "\(typo.stderr)")
        #expect(typo.stderr.hasSuffix("inventory.toml; it has: curl, nginx, PostgreSQL, xz\n"), "\(typo.stderr)")
        let table = try bulletin("search", "mentions:xz")
        #expect(table.stdout.contains("  (xz)  "), "a mentioned service is shown in parentheses: \(table.stdout)")
    }

    // MARK: catalog topics

    @Test func aFeedTheCatalogSaysIsAboutAServiceMakesEachEntryASubject() throws {
        try directory.write("""
            <opml version="2.0"><body>
              <outline text="Matching test advisories" about="xz, Nothing We Run" xmlUrl="\(server.url("/advisories.rss"))" category="security"/>
            </body></opml>
            """, to: "feeds.opml")
        #expect(try bulletin("fetch").status == 0)
        let explained = try bulletin("explain", "3")
        #expect(explained.stdout.contains("About (subject):\n  xz          feed is about xz\n"), "\(explained.stdout)")
        let export = try bulletin("export")
        #expect(export.stdout.split(separator: "\n").allSatisfy { $0.contains("\"service\":\"xz\",\"strength\":\"subject\"") })
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
        // The Rapid Reset bulletin only mentions xz (after its first sentence): no row, a line
        // under Also mentioned.
        #expect(hidden.stdout.contains("nothing new for your services"))
        #expect(hidden.stdout.contains("Also mentioned (1)\n==============\n2023-10-10  HTTP/2 Rapid Reset in many servers"))

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
        // The Rapid Reset bulletin only mentions xz (after its first sentence): no row, a line
        // under Also mentioned.
        #expect(hidden.stdout.contains("nothing new for your services"))
        #expect(hidden.stdout.contains("Also mentioned (1)\n==============\n2023-10-10  HTTP/2 Rapid Reset in many servers"))
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

    @Test func importMakesOneServiceOfAProjectsPackagesAndKnowsThemInTheInventory() throws {
        try directory.write("[[service]]\nname = \"curl\"\n\n[[service]]\nname = \"OpenSSL\"\n", to: "config/inventory.toml")
        let path = TestPaths.fixture("inventory/cyclonedx-one-project-several-packages.json").path
        let result = try bulletin("inventory", "import", path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("# Imported from \(path) (cyclonedx): 4 new services; "
            + "already in the inventory: curl, libssl3 (as OpenSSL)\n"), "\(result.stdout)")
        #expect(!result.stdout.contains("libcurl"))
        #expect(result.stdout.contains("name = \"python3\"\nversion = \"3.11.2-6, 3.11.2-1+b1\"\n"))
        try directory.write("", to: "config/inventory.toml")
        let fresh = try bulletin("inventory", "import", path)
        #expect(fresh.stdout.contains("""
            [[service]]
            name = "curl"
            version = "7.88.1-10+deb12u5"
            purl = ["pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u5", "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5"]

            """), "libcurl is a built-in alias of curl: no aliases line")
    }

    @Test func inventoryCheckAsJSON() throws {
        try directory.write("""
            [[service]]
            name = "nginx"
            aliases = [{ text = "nginx-[0-9]+", match = "regex" }]
            exclude = ["nginx-ui"]
            owner = "web@example.com"
            impact = 5
            likelihood = 4

            [[service]]
            name = "Go"
            """, to: "config/inventory.toml")
        let result = try bulletin("inventory", "check", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let check = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(check["high_risk"] as? Int == 1 && check["high_risk_threshold"] as? Int == 15)
        let services = try #require(check["services"] as? [[String: Any]])
        #expect(services.map { $0["name"] as? String } == ["nginx", "Go"])
        #expect(services[0]["risk"] as? Int == 20 && services[0]["high_risk"] as? Bool == true)
        #expect(services[0]["owner"] as? String == "web@example.com" && services[1]["owner"] is NSNull)
        #expect(services[0]["exclude"] as? [String] == ["nginx-ui"])
        let phrases = try #require(services[0]["phrases"] as? [[String: String]])
        #expect(phrases.contains(["text": "nginx-[0-9]+", "source": "alias", "match": "regex"]))
        #expect(phrases.contains(["text": "NGINX Plus", "source": "built-in", "match": "word"]))
        #expect((check["warnings"] as? [String])?.first?.hasPrefix("Go: ") == true)
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
        // Short names are warned about, with what to do, on standard error.
        #expect(check.stderr.contains("warning: inventory: xz: \"xz\" has three letters or fewer and may name other things; "))
    }

    @Test func inventoryCheckAndImportWarnAboutNamesThatAreCommonWords() throws {
        try directory.write("[[service]]\nname = \"Go\"\naliases = [\"golang\"]\n", to: "config/inventory.toml")
        let check = try bulletin("inventory", "check")
        #expect(check.status == 0)
        #expect(check.stderr.contains("warning: inventory: Go: \"Go\" is also a common word or name; it counts only with "
            + "a version or words around it that make it the software"), "\(check.stderr)")
        try directory.write("Jenkins\nPostgreSQL\n", to: "services.txt")
        let imported = try bulletin("inventory", "import", directory.path("services.txt"))
        #expect(imported.status == 0)
        #expect(imported.stderr.contains("warning: import: Jenkins: \"Jenkins\" is also a common word or name"))
        #expect(!imported.stderr.contains("PostgreSQL:"))
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
        ("[[service]]\nname = \"x\"\npurl = \"npm/express\"\n",
         "config/inventory.toml:3:8: 'npm/express' is not a package URL (pkg:type/namespace/name, e.g. pkg:npm/express)"),
        ("[[service]]\nname = \"x\"\npurl = [\"pkg:npm/express\", 7]\n",
         "config/inventory.toml:3:28: expected a string for 'service[0].purl[1]', found an integer"),
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
