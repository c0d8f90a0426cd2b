import Foundation
import TestSupport
import Testing

/// `bulletin run` and `bulletin digest` delivering for real: the binary, feeds from the
/// our fixtures over HTTP, a real SQLite file, aiosmtpd and a webhook receiver on 127.0.0.1.
/// Every failure leaves the entries for the next run, which delivers them once.
@Suite struct DeliveryIntegrationTests {
    let directory: TemporaryDirectory
    let feeds: FeedServer

    init() throws {
        directory = try TemporaryDirectory()
        feeds = try FeedServer(routes: [
            "/nodejs.rss": TestPaths.fixture("feeds/rss2-critical-release-cdata-html.rss").path,
            "/npm.atom": TestPaths.fixture("feeds/atom-package-advisories-repeated-ids.atom").path,
        ])
        try directory.write("""
            <opml version="2.0"><body>
              <outline text="Node.js vulnerabilities" xmlUrl="\(feeds.url("/nodejs.rss"))" category="security"/>
              <outline text="npm advisories" xmlUrl="\(feeds.url("/npm.atom"))" category="security"/>
            </body></opml>
            """, to: "feeds.opml")
        try directory.write("""
            [[service]]
            name = "Node.js"
            aliases = ["nodejs"]
            owner = "platform@example.com"
            impact = 5
            likelihood = 4

            [[service]]
            name = "Angular"
            owner = "web@example.com"
            """, to: "config/inventory.toml")
    }

    /// Writes bulletin.toml: `[digest]` then the channel tables given. The corpus feeds are
    /// years old: the first digest sends them all.
    private func configure(heartbeat: Bool = false, _ channels: String) throws {
        try directory.write("[digest]\nheartbeat = \(heartbeat)\nfirst_run_days = 0\n\n" + channels,
                            to: "config/bulletin.toml")
    }

    private func emailChannel(port: Int, extra: String = "") -> String {
        """
        [[channel]]
        name = "ops-mail"
        kind = "email"
        to = ["ops@example.com", "Zoë Ops <zoe@example.org>"]
        from = "Bulletin <bulletin@example.com>"
        smtp_url = "smtp://127.0.0.1:\(port)"
        tls = "off"
        timeout = 5
        \(extra)
        """
    }

    private func bulletin(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        return try runBulletin(arguments + ["--config", directory.path("config"), "--db", directory.path("db.sqlite3"),
                                            "--feeds", directory.path("feeds.opml")], environment: merged)
    }

    private func mailServer(_ faults: [String] = [], tls: String? = nil, certificate: TestCertificate? = nil,
                            auth: String? = nil) throws -> SMTPServer {
        try SMTPServer(maildir: directory.url.appendingPathComponent("mail-\(UUID().uuidString)"), tls: tls,
                       certificate: certificate, auth: auth, faults: faults)
    }

    @Test func aRunEmailsTheDigestAndTheNextRunSendsNothingAgain() throws {
        let server = try mailServer()
        try configure(emailChannel(port: server.port))
        let first = try bulletin(["run"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "")
        let messages = try server.messages()
        #expect(messages.count == 1)
        #expect(try server.envelopes().first?.to == ["ops@example.com", "zoe@example.org"])
        let mail = try ReadMail(try #require(messages.first))
        #expect(mail.headers["Subject"] == "[bulletin] 1 action needed, 2 new for Node.js, Angular")
        #expect(mail.headers["From"] == "Bulletin <bulletin@example.com>")
        #expect(mail.headers["To"] == "ops@example.com, Zoë Ops <zoe@example.org>")
        #expect(mail.headers["Auto-Submitted"] == "auto-generated")
        #expect(mail.headers["List-Id"] == "\"Bulletin ops-mail\" <ops-mail.bulletin.example.com>")
        #expect(mail.headers["Message-ID"]?.hasSuffix("@example.com>") == true)
        #expect(mail.type == "multipart/alternative")
        #expect(mail.parts.map(\.type) == ["text/plain", "text/html"])
        #expect(mail.crlfOnly && mail.longestLine <= 78 && mail.defects.isEmpty)
        let text = mail.parts[0].text, html = mail.parts[1].text
        #expect(text.contains("Action needed (1)"))
        #expect(text.contains("2020-01-23  [Node.js]  [CRITICAL]  February 2020 Security Releases"))
        #expect(html.contains("href=\"https://github.com/advisories/GHSA-g93w-mfhg-p222\""))
        #expect(html.contains("[@angular/compiler] Angular vulnerable to XSS in i18n attribute bindings"))

        let second = try bulletin(["run"])
        #expect(second.status == 0)
        #expect(try server.messages().count == 1)
    }

    @Test func theHeartbeatSaysNothingIsNewAndShowsFeedHealth() throws {
        let server = try mailServer()
        try configure(heartbeat: true, emailChannel(port: server.port))
        _ = try bulletin(["run"])
        let second = try bulletin(["run"])
        #expect(second.status == 0)
        let messages = try server.messages()
        #expect(messages.count == 2)
        let quiet = try ReadMail(messages[1])
        #expect(quiet.headers["Subject"] == "[bulletin] nothing new; all 2 feeds fetched fine")
        #expect(quiet.parts[0].text.contains("Bulletin digest: nothing new for your services."))
        #expect(quiet.parts[0].text.contains("All 2 feeds fetched fine."))
        #expect(quiet.headers["Message-ID"] != (try ReadMail(messages[0])).headers["Message-ID"])
    }

    @Test(arguments: ["rcpt:550:1", "rcpt:451:1", "data:554:1", "data:451:1"])
    func aRefusedSendLeavesEverythingForTheNextRunWhichSendsItOnce(fault: String) throws {
        let server = try mailServer([fault])
        try configure(emailChannel(port: server.port))
        let first = try bulletin(["run"])
        #expect(first.status == 3)
        #expect(first.stderr.contains("warning: deliver: ops-mail: smtp: smtp://127.0.0.1:\(server.port): "))
        #expect(first.stderr.contains("its 11 entries wait for the next run"))
        #expect(try server.messages().isEmpty)

        let second = try bulletin(["run"])
        #expect(second.status == 0, "\(second.stderr)")
        let messages = try server.messages()
        #expect(messages.count == 1)
        #expect(try ReadMail(messages[0]).headers["Subject"] == "[bulletin] 1 action needed, 2 new for Node.js, Angular")

        let third = try bulletin(["run"])
        #expect(third.status == 0)
        #expect(try server.messages().count == 1)
    }

    @Test func aServerThatIsDownOrSilentFailsTheRunAndLosesNothing() throws {
        try configure(emailChannel(port: 1))
        let down = try bulletin(["run"])
        #expect(down.status == 3)
        #expect(down.stderr.contains("warning: deliver: ops-mail: smtp: smtp://127.0.0.1:1: "))

        let silent = try SMTPServer(maildir: directory.url.appendingPathComponent("silent"), silent: true)
        try configure(emailChannel(port: silent.port, extra: "timeout = 2").replacingOccurrences(of: "timeout = 5\n", with: ""))
        let timedOut = try bulletin(["run"])
        #expect(timedOut.status == 3)
        #expect(timedOut.stderr.contains("curl error 28"))

        let server = try mailServer()
        try configure(emailChannel(port: server.port))
        #expect(try bulletin(["run"]).status == 0)
        #expect(try server.messages().count == 1)
    }

    @Test func starttlsAndAuthWithAPasswordFromTheEnvironmentThatNeverShows() throws {
        let certificate = try TestCertificate(in: directory.url)
        let server = try mailServer(tls: "starttls", certificate: certificate, auth: "bulletin:correct horse")
        try configure("""
            [[channel]]
            name = "ops-mail"
            kind = "email"
            to = ["ops@example.com"]
            from = "bulletin@example.com"
            smtp_url = "smtp://127.0.0.1:\(server.port)"
            username = "bulletin"
            password_env = "BULLETIN_SMTP_PASSWORD"
            ca_file = "\(certificate.certificate)"
            timeout = 5
            """)
        let refused = try bulletin(["run", "--verbose"], environment: ["BULLETIN_SMTP_PASSWORD": "battery staple"])
        #expect(refused.status == 3)
        #expect(!(refused.stdout + refused.stderr).contains("battery staple"))
        #expect(try server.messages().isEmpty)

        let accepted = try bulletin(["run", "--verbose"], environment: ["BULLETIN_SMTP_PASSWORD": "correct horse"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(!(accepted.stdout + accepted.stderr).contains("correct horse"))
        #expect(try server.messages().count == 1)
    }

    @Test func aSendARunDiedInIsReportedByTheNextRunNotPassedOver() throws {
        let server = try mailServer()
        try configure(emailChannel(port: server.port))
        _ = try bulletin(["fetch"])
        // What a run killed between the server's 250 and the confirmation leaves behind.
        let insert = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("INSERT INTO dispatch (channel, message_id, started_at, status, entries) VALUES ('ops-mail', 'lost@example.com', 1715668200, 'sending', 11)")
            db.commit()
            """, directory.path("db.sqlite3")])
        #expect(insert.status == 0, "\(insert.stderr)")
        let run = try bulletin(["run"])
        #expect(run.status == 0)
        #expect(run.stderr.hasPrefix("warning: deliver: ops-mail: a send started at 2024-05-14T06:30:00Z (Message-ID lost@example.com) "
            + "was interrupted before it was confirmed; its 11 entries go out again and may arrive twice\n"))
        #expect(run.stderr.hasSuffix("\nrun: 2 feeds, 0 new entries; ops-mail: 2 rows (11 entries) delivered\n"), "\(run.stderr)")
        #expect(try server.messages().count == 1)
        // Nothing left to send: only the run's one-line summary.
        #expect(try bulletin(["run"]).stderr == "run: 2 feeds, 0 new entries; ops-mail: nothing new\n")
    }

    /// The server took the mail, then the store could not record it (a full disk, here a
    /// trigger that refuses the confirmation): the run says the mail may arrive twice, and
    /// the next run, at least once, sends it again and says why.
    @Test func aMailTheStoreCannotRecordIsSaidToMaybeArriveTwice() throws {
        let server = try mailServer()
        try configure(emailChannel(port: server.port))
        _ = try bulletin(["fetch"])
        func sql(_ statement: String) throws {
            let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1])
                db.executescript(sys.argv[2])
                db.commit()
                """, directory.path("db.sqlite3"), statement])
            #expect(result.status == 0, "\(result.stderr)")
        }
        try sql("""
            CREATE TRIGGER refuse_confirmation BEFORE UPDATE OF status ON dispatch WHEN NEW.status = 'accepted'
            BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END;
            """)
        let run = try bulletin(["run"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("deliver: ops-mail: mail accepted by the server but not recorded: it may arrive twice"),
                "\(run.stderr)")
        #expect(!run.stderr.contains("\n") || run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(try server.messages().count == 1)
        try sql("DROP TRIGGER refuse_confirmation;")
        let next = try bulletin(["run"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("was interrupted before it was confirmed; its"))
        #expect(try server.messages().count == 2)
    }

    @Test func anAlertSendsOnlyWhatNeedsActionAndTheDailyRunTheRest() throws {
        let server = try mailServer()
        try configure(emailChannel(port: server.port))
        let alert = try bulletin(["run", "--alert"])
        #expect(alert.status == 0, "\(alert.stderr)")
        let daily = try bulletin(["run"])
        #expect(daily.status == 0)
        let messages = try server.messages().map(ReadMail.init)
        #expect(messages.map { $0.headers["Subject"] ?? "" } == [
            "[bulletin] ALERT: 1 action needed, 1 new for Node.js",
            "[bulletin] 1 new for Angular",
        ])
        try #require(messages.count == 2)
        #expect(messages[0].parts[0].text.contains("February 2020 Security Releases"))
        #expect(!messages[1].parts[0].text.contains("February 2020 Security Releases"))
    }

    @Test func routingSendsEachOwnerItsOwnServices() throws {
        let server = try mailServer()
        try configure(emailChannel(port: server.port, extra: "owner = \"platform@example.com\"") + """

            [[channel]]
            name = "web-mail"
            kind = "email"
            to = ["web@example.com"]
            from = "bulletin@example.com"
            smtp_url = "smtp://127.0.0.1:\(server.port)"
            tls = "off"
            services = ["angular"]
            """)
        #expect(try bulletin(["run"]).status == 0)
        let subjects = try server.messages().map { try ReadMail($0).headers["Subject"] ?? "" }
        #expect(subjects.sorted() == ["[bulletin] 1 action needed, 1 new for Node.js", "[bulletin] 1 new for Angular"])
    }

    @Test func aSignedWebhookGetsTheJSONDigestAndAFailureWaitsForTheNextRun() throws {
        let receiver = try WebhookReceiver(directory: directory.url, secret: "hook-secret", responses: [500, 500, 200])
        try configure("""
            [[channel]]
            name = "hook"
            kind = "webhook"
            url = "\(receiver.url())"
            secret_env = "HOOK_SECRET"
            retries = 0
            """)
        let failed = try bulletin(["run"], environment: ["HOOK_SECRET": "hook-secret"])
        #expect(failed.status == 3)
        #expect(failed.stderr.contains("warning: deliver: hook: webhook: http://127.0.0.1:\(receiver.server.port)/…: HTTP 500"))
        _ = try bulletin(["run"], environment: ["HOOK_SECRET": "hook-secret"])
        let delivered = try bulletin(["run", "--format", "json"], environment: ["HOOK_SECRET": "hook-secret"])
        #expect(delivered.status == 0, "\(delivered.stderr)")
        let requests = try receiver.requests()
        #expect(requests.map(\.status) == [500, 500, 200])
        #expect(requests.allSatisfy { $0.signature == "valid" })
        let body = try #require(try JSONSerialization.jsonObject(with: Data(requests[2].body.utf8)) as? [String: Any])
        #expect((body["summary"] as? [String: Any])?["items"] as? Int == 2)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(delivered.stdout.utf8)) as? [String: Any])
        let deliveries = try #require(summary["deliveries"] as? [[String: Any]])
        #expect(deliveries.first?["status"] as? String == "delivered")
        #expect(deliveries.first?["entries"] as? Int == 11)
        #expect(summary["exit_code"] as? Int == 0)
    }

    @Test func digestPrintsWindowsDryRunsAndDelivers() throws {
        let server = try mailServer()
        try configure(emailChannel(port: server.port))
        _ = try bulletin(["fetch"])
        let dry = try bulletin(["digest", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.hasPrefix("== ops-mail (email): would send 2 rows, 11 entries; nothing is sent or marked delivered\n"
            + "To: ops@example.com, Zoë Ops <zoe@example.org>\nVia: smtp://127.0.0.1:\(server.port)\n"
            + "Subject: [bulletin] 1 action needed, 2 new for Node.js, Angular\n"))
        #expect(try server.messages().isEmpty)

        let printed = try bulletin(["digest", "--format", "markdown"])
        #expect(printed.stdout.hasPrefix("# Bulletin digest\n\n**2 new bulletins for your services, 1 action needed**.\n"))
        let delivered = try bulletin(["digest", "--deliver"])
        #expect(delivered.status == 0)
        #expect(delivered.stderr == "digest: delivered to 1 of 1 channels\n")
        #expect(try server.messages().count == 1)
        #expect(try bulletin(["digest"]).stdout.hasPrefix("Bulletin digest: nothing new for your services."))

        // A window shows what was delivered too.
        let window = try bulletin(["digest", "--since", "2020-01-01", "--until", "2020-02-01", "--format", "json"])
        #expect(window.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(window.stdout.utf8)) as? [String: Any])
        #expect(object["since"] as? String == "2020-01-01T00:00:00Z")
        #expect((object["summary"] as? [String: Any])?["items"] as? Int == 1)
        #expect(window.stdout.contains("February 2020 Security Releases"))
    }

    @Test(arguments: [
        (["digest", "--since", "yesterday"], "Error: digest: --since 'yesterday': expected an age (12h, 7d, 2w, 1y) or a date (2024-01-01, 2024-01-01T12:00:00Z)\n"),
        (["digest", "--deliver", "--print"], "Error: digest: give --deliver or --print, not both\n"),
        (["digest", "--channel", "nope"], "Error: config: no channel named 'nope' in \\CONFIG/bulletin.toml\n"),
    ])
    func digestUsageErrorsExit2(arguments: [String], message: String) throws {
        try configure("[[channel]]\nname = \"t\"\nkind = \"stdout\"\n")
        let result = try bulletin(arguments)
        #expect(result.status == 2)
        #expect(result.stderr == message.replacingOccurrences(of: "\\CONFIG", with: directory.path("config")))
    }
}

/// Every channel key is checked with the position of the key at fault.
@Suite struct ChannelConfigurationTests {
    private func check(_ settings: String, files: [String] = []) throws -> ProcessResult {
        let directory = try TemporaryDirectory()
        try directory.write(settings, to: "config/bulletin.toml")
        for file in files { try directory.write("x", to: "config/" + file) }  // files the settings name
        try directory.write("<opml version=\"2.0\"><body/></opml>", to: "feeds.opml")
        return try runBulletin(["config", "check", "--config", "config", "--feeds", "feeds.opml"],
                               currentDirectory: directory.url)
    }

    private static let mail = "[[channel]]\nname = \"m\"\nkind = \"email\"\nfrom = \"b@example.com\"\n"

    @Test(arguments: [
        (mail + "to = [\"ops@example.com\"]\n", "config/bulletin.toml:3:8: an email channel needs 'smtp_url' (smtp://host:587 or smtps://host:465)"),
        (mail + "to = [\"ops@example.com\"]\nsmtp_url = \"http://mail.example.com\"\n",
         "config/bulletin.toml:6:12: 'smtp_url' must be smtp://host[:port] or smtps://host[:port], found 'http://mail.example.com'"),
        (mail + "to = [\"ops@example.com\"]\nsmtp_url = \"smtp://user:pw@mail.example.com\"\n",
         "config/bulletin.toml:6:12: 'smtp_url' must not hold a user or password: use 'username' and 'password_env'"),
        (mail + "to = [\"ops@example.com\"]\nsmtp_url = \"smtps://bulletin@mail.example.com:465\"\n",
         "config/bulletin.toml:6:12: 'smtp_url' must not hold a user or password: use 'username' and 'password_env'"),
        (mail + "to = [\"ops@example.com\"]\nsmtp_url = \"smtps://\"\n",
         "config/bulletin.toml:6:12: 'smtp_url' must be smtp://host[:port] or smtps://host[:port], found 'smtps://'"),
        (mail + "to = [\"o@example.com\"]\nsmtp_url = \"smtp://127.0.0.1.example.com\"\ntls = \"off\"\n",
         "config/bulletin.toml:7:7: tls = \"off\" is only for an smtp:// relay on 127.0.0.1 or localhost"),
        (mail + "to = [\"ops@example.com\", \"not an address\"]\nsmtp_url = \"smtp://mail.example.com\"\n",
         "config/bulletin.toml:5:26: 'to[1]' is not an email address: 'not an address'"),
        (mail + "to = []\nsmtp_url = \"smtp://mail.example.com\"\n", "config/bulletin.toml:5:6: 'to' must list at least one address"),
        (mail + "to = [\"o@example.com\"]\nsmtp_url = \"smtp://mail.example.com\"\ntls = \"off\"\n",
         "config/bulletin.toml:7:7: tls = \"off\" is only for an smtp:// relay on 127.0.0.1 or localhost"),
        (mail + "to = [\"o@example.com\"]\nsmtp_url = \"smtp://mail.example.com\"\ntls = \"maybe\"\n",
         "config/bulletin.toml:7:7: 'tls' must be \"required\" (STARTTLS on smtp://, implicit on smtps://) or \"off\", found 'maybe'"),
        (mail + "to = [\"o@example.com\"]\nsmtp_url = \"smtp://mail.example.com\"\nusername = \"u\"\n",
         "config/bulletin.toml:7:12: 'username' needs 'password_env' or 'password_file' (never the password itself)"),
        (mail + "to = [\"o@example.com\"]\nsmtp_url = \"smtp://mail.example.com\"\nusername = \"u\"\npassword_env = \"A\"\npassword_file = \"f\"\n",
         "config/bulletin.toml:9:17: give 'password_env' or 'password_file', not both"),
        (mail + "to = [\"o@example.com\"]\nsmtp_url = \"smtp://mail.example.com\"\npassword = \"hunter2\"\n",
         "config/bulletin.toml:7:1: unknown key 'password' in [[channel]]"),
        ("[[channel]]\nname = \"s\"\nkind = \"slack\"\nurl = \"http://hooks.example.com/x\"\n",
         "config/bulletin.toml:4:7: 'url' must be an https:// URL (http:// only to 127.0.0.1 or localhost)"),
        ("[[channel]]\nname = \"s\"\nkind = \"slack\"\nurl = \"ftp://hooks.example.com/x\"\n",
         "config/bulletin.toml:4:7: 'url' must be an https:// URL (http:// only to 127.0.0.1 or localhost)"),
        ("[[channel]]\nname = \"s\"\nkind = \"slack\"\nurl = \"https://\"\n",
         "config/bulletin.toml:4:7: 'url' is not a URL with a host"),
        ("[[channel]]\nname = \"s\"\nkind = \"slack\"\n",
         "config/bulletin.toml:3:8: a slack channel needs 'url', 'url_env' or 'url_file'"),
        ("[[channel]]\nname = \"s\"\nkind = \"teams\"\nurl = \"https://h.example.com/x\"\nurl_env = \"TEAMS_URL\"\n",
         "config/bulletin.toml:4:7: give one of 'url', 'url_env' and 'url_file'"),
        ("[[channel]]\nname = \"s\"\nkind = \"teams\"\nurl_env = \"TEAMS_URL\"\nurl_file = \"teams-url\"\n",
         "config/bulletin.toml:5:12: give 'url_env' or 'url_file', not both"),
        ("[[channel]]\nname = \"s\"\nkind = \"slack\"\nurl = \"https://hooks.example.com/x\"\nto = [\"a@b.c\"]\n",
         "config/bulletin.toml:5:6: 'to' does not apply to a channel of kind 'slack'"),
        ("[[channel]]\nname = \"w\"\nkind = \"webhook\"\nurl = \"https://h.example.com\"\nretries = 9\n",
         "config/bulletin.toml:5:11: 'retries' must be between 0 and 5, found 9"),
        ("[[channel]]\nname = \"t\"\nkind = \"stdout\"\nformat = \"pdf\"\n",
         "config/bulletin.toml:4:10: unknown format 'pdf'; use one of: text, markdown, html, json, atom"),
        ("[[channel]]\nname = \"t\"\nkind = \"stdout\"\nmin_severity = \"urgent\"\n",
         "config/bulletin.toml:4:16: unknown severity 'urgent'; use one of: low, medium, high, critical"),
        ("[[channel]]\nname = \"t\"\nkind = \"stdout\"\nmin_risk = 30\n",
         "config/bulletin.toml:4:12: 'min_risk' must be between 1 and 25, found 30"),
        ("[digest]\nfailing_runs = 0\n", "config/bulletin.toml:2:16: 'failing_runs' must be between 1 and 1000, found 0"),
        ("[fetch]\nflag_after = 3\n[digest]\nfailing_runs = 2\n",
         "config/bulletin.toml:4:16: 'failing_runs' is the older name of [fetch] flag_after, which says 3: keep one"),
    ])
    func channelErrorsPointAtTheKey(settings: String, message: String) throws {
        let result = try check(settings)
        #expect(result.status == 2)
        #expect(result.stderr == "Error: \(message)\n")
    }

    @Test(arguments: ["smtp://127.0.0.1:2525", "smtp://[::1]:25", "SMTP://LocalHost"])
    func plainTextIsAllowedToALoopbackRelay(url: String) throws {
        let result = try check(Self.mail + "to = [\"o@example.com\"]\nsmtp_url = \"\(url)\"\ntls = \"off\"\n")
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func everyKeyOfEveryKindIsAccepted() throws {
        let result = try check("""
            [digest]
            failing_runs = 2

            [[channel]]
            name = "ops-mail"
            kind = "email"
            to = ["ops@example.com", "Zoë <zoe@example.org>"]
            from = "Bulletin <bulletin@example.com>"
            smtp_url = "smtps://mail.example.com:465"
            tls = "required"
            username = "bulletin"
            password_file = "smtp-password"
            ca_file = "ca.pem"
            timeout = 30
            owner = "web-team@example.com"
            min_severity = "high"

            [[channel]]
            name = "slack"
            kind = "slack"
            url = "https://hooks.slack.com/services/T/B/X"
            min_risk = 15
            retries = 3

            [[channel]]
            name = "teams"
            kind = "teams"
            url = "https://example.webhook.office.com/x"
            tag = "edge"

            [[channel]]
            name = "slack-from-env"
            kind = "slack"
            url_env = "SLACK_WEBHOOK_URL"

            [[channel]]
            name = "teams-from-file"
            kind = "teams"
            url_file = "teams-url"

            [[channel]]
            name = "hook"
            kind = "webhook"
            url = "http://127.0.0.1:8080/hook"
            secret_env = "HOOK_SECRET"
            services = ["nginx"]

            [[channel]]
            name = "term"
            kind = "stdout"
            format = "markdown"
            """, files: ["smtp-password", "ca.pem", "teams-url"])
        #expect(result.status == 0, "\(result.stderr)")
    }
}
