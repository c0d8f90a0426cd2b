import Foundation
import TestSupport
import Testing

/// What a person at a terminal sees, with the real binary on pseudo-terminals: the
/// progress line, highlighted search words, and a hostile feed's control characters
/// shown rather than obeyed. (Without a terminal, none of it: the other suites check that.)
@Suite struct TerminalTests {
    let directory: TemporaryDirectory
    let server: FeedServer
    static let escape = "\u{1B}"
    /// A feed whose text would retitle the window and clear the screen if printed raw; the
    /// C1 control U+009B (CSI) too.
    static let hostileBody = "<rss version=\"2.0\"><channel><title>t\(escape)]0;pwned\u{07}</title>"
        + "<item><guid>1</guid><title>Kernel \(escape)[2J update\u{9B}</title></item></channel></rss>\r\n"

    init() throws {
        directory = try TemporaryDirectory()
        server = try FeedServer(routes: [
            "/node": TestPaths.fixture("feeds/rss2-critical-release-cdata-html.rss").path,
            "/hostile": "bytes:" + Self.hostileBody,
        ])
        let outlines = ["node", "hostile"].map { "<outline text=\"\($0)\" xmlUrl=\"\(server.url("/\($0)"))\"/>" }
        try directory.write("<opml version=\"2.0\"><body>\(outlines.joined())</body></opml>", to: "feeds.opml")
        try directory.write("", to: "config/bulletin.toml")
    }

    private var options: [String] {
        ["--config", directory.path("config"), "--db", directory.path("bulletin.sqlite3"),
         "--feeds", directory.path("feeds.opml")]
    }

    @Test func aFetchDrawsItsProgressLineOnStandardErrorAndClearsIt() throws {
        let result = try runBulletinOnTerminal(["fetch"] + options)
        #expect(result.status == 0)
        #expect(result.stderr.contains("\r\(Self.escape)[Kfetch: 2/2 feeds, "))
        #expect(result.stderr.hasSuffix("\r\(Self.escape)[K"))
        #expect(result.stdout.hasPrefix("2 feeds: 2 changed, 0 unchanged, 0 failed; "))
        let quiet = try runBulletinOnTerminal(["fetch", "--quiet"] + options)
        #expect(quiet.stderr == "")
    }

    @Test func theDigestIsColouredOnATerminalUnlessNoColorIsSet() throws {
        try directory.write("[[service]]\nname = \"Node.js\"\n", to: "config/inventory.toml")
        #expect(try runBulletin(["fetch"] + options).status == 0)
        let digest = ["digest", "--since", "2020-01-01"] + options
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = nil
        let coloured = try runBulletinOnTerminal(digest, environment: environment)
        #expect(coloured.status == 0)
        #expect(coloured.stdout.contains("February 2020 Security Releases"))
        #expect(coloured.stdout.contains("\(Self.escape)["))
        environment["NO_COLOR"] = ""  // empty: not set, by no-color.org's rule
        #expect(try runBulletinOnTerminal(digest, environment: environment).stdout.contains("\(Self.escape)["))
        environment["NO_COLOR"] = "1"
        let plain = try runBulletinOnTerminal(digest, environment: environment)
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("February 2020 Security Releases"))
        #expect(!plain.stdout.contains(Self.escape))
    }

    @Test func searchHighlightsTheMatchedWordsOnlyOnATerminal() throws {
        #expect(try runBulletin(["fetch"] + options).status == 0)
        let shown = try runBulletinOnTerminal(["search", "kernel"] + options)
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("\(Self.escape)[1mKernel\(Self.escape)[0m"))
        let piped = try runBulletin(["search", "kernel"] + options)
        #expect(piped.stdout.contains("Kernel"))
        #expect(!piped.stdout.contains(Self.escape))
    }

    @Test func aDumpShowsAHostileFeedsControlCharactersInsteadOfSendingThem() throws {
        #expect(try runBulletin(["fetch"] + options).status == 0)
        let shown = try runBulletinOnTerminal(["feeds", "dump", "hostile", "--body"] + options)
        #expect(shown.status == 0)
        #expect(shown.stdout == "<rss version=\"2.0\"><channel><title>t^[]0;pwned^G</title>"
            + "<item><guid>1</guid><title>Kernel ^[[2J update<U+009B></title></item></channel></rss>\r\n")
        #expect(shown.stderr == "feeds dump: control characters shown as ^X; redirect to a file for the exact bytes\n")
        let plain = try runBulletinOnTerminal(["feeds", "dump", "node", "--body"] + options)
        #expect(plain.stderr == "")
        let piped = try runBulletin(["feeds", "dump", "hostile", "--body"] + options)
        #expect(piped.stdout == Self.hostileBody)
    }
}
