import Digest
import Foundation
import Models

/// Digests the renderer tests (and `docs/examples/`) are made from: a realistic one with
/// every feature, and a hostile one whose feed values try to break every format.
enum DigestFixtures {
    static let generated = Date(timeIntervalSince1970: 1_715_668_200)  // 2024-05-14T06:30:00Z

    static let services = [
        Service(name: "nginx", owner: "web-team@example.com", impact: 5, likelihood: 4),
        Service(name: "PostgreSQL", owner: "data-team@example.com", impact: 4, likelihood: 3),
        Service(name: "OpenSSL", impact: 3, likelihood: 3),
        Service(name: "curl", impact: 2, likelihood: 2),
        Service(name: "AWS Lambda", impact: 3, likelihood: 2),
    ]

    static func day(_ text: String) -> Date {
        try! Date.ISO8601FormatStyle().parse(text + "T09:00:00Z")
    }

    static func candidate(_ rowID: Int64, feed: String, _ category: FeedCategory = .security, title: String,
                          link: String?, date: String, advisories: [String], services: [String],
                          summary: String? = nil, severity: Severity? = nil, kev: Bool = false,
                          cluster: String? = nil) -> DigestCandidate {
        let entry = FeedEntry(id: link ?? "entry-\(rowID)", title: title, link: link, published: day(date),
                              summary: summary, advisories: advisories)
        return DigestCandidate(entry: StoredEntry(rowID: rowID, feedTitle: feed, category: category, entry: entry),
                               services: services, severity: severity, kev: kev, cluster: cluster)
    }

    static var example: DigestModel {
        let candidates = [
            candidate(11, feed: "AWS Security Bulletins", title: "HTTP/2 Rapid Reset attack affecting nginx (CVE-2023-44487)",
                      link: "https://aws.amazon.com/security/security-bulletins/AWS-2023-011/", date: "2024-05-10",
                      advisories: ["CVE-2023-44487"], services: ["nginx"],
                      summary: "A denial of service in HTTP/2 servers, exploited in the wild.", severity: .high, kev: true,
                      cluster: "CVE-2023-44487"),
            candidate(12, feed: "Ubuntu Security Notices", title: "USN-6427-1: nginx vulnerability",
                      link: "https://ubuntu.com/security/notices/USN-6427-1", date: "2024-05-11",
                      advisories: ["USN-6427-1", "CVE-2023-44487"], services: ["nginx"], cluster: "CVE-2023-44487"),
            candidate(13, feed: "Debian Security Advisories", title: "DSA-5521-1 nginx - security update",
                      link: "https://www.debian.org/security/2024/dsa-5521", date: "2024-05-12",
                      advisories: ["DSA-5521-1", "CVE-2023-44487"], services: ["nginx"], cluster: "CVE-2023-44487"),
            candidate(14, feed: "curl security advisories", title: "SOCKS5 heap buffer overflow",
                      link: "https://curl.se/docs/CVE-2023-38545.html", date: "2024-05-13",
                      advisories: ["CVE-2023-38545"], services: ["curl"], severity: .critical),
            candidate(15, feed: "PostgreSQL news", title: "PostgreSQL 16.3, 15.7, 14.12 released",
                      link: "https://www.postgresql.org/about/news/postgresql-163-157-1412-released-2865/",
                      date: "2024-05-09", advisories: ["CVE-2024-4317"], services: ["PostgreSQL"], severity: .medium),
            candidate(16, feed: "OpenSSL vulnerabilities", title: "Excessive time spent checking DH keys and parameters",
                      link: "https://www.openssl.org/news/secadv/20240516.txt", date: "2024-05-08",
                      advisories: ["CVE-2024-4603"], services: ["OpenSSL"], severity: .low),
            candidate(17, feed: "What's New with AWS", .announcements,
                      title: "AWS Lambda adds support for Node.js 22",
                      link: "https://aws.amazon.com/about-aws/whats-new/2024/05/aws-lambda-nodejs-22/", date: "2024-05-13",
                      advisories: [], services: ["AWS Lambda"]),
        ]
        let health = FeedHealthReport(feedCount: 38, problems: [
            FeedHealth(feed: "CERT/CC Vulnerability Notes", url: "https://www.kb.cert.org/vuls/atomfeed/",
                       status: .failing(runs: 3, error: "fetch: https://www.kb.cert.org/vuls/atomfeed/: HTTP 503"),
                       lastSuccess: day("2024-05-11")),
            FeedHealth(feed: "Fedora updates", url: "https://bodhi.fedoraproject.org/rss/updates/",
                       status: .moved(to: "https://bodhi.fedoraproject.org/rss/updates/?type=security")),
        ])
        let mentions = [
            candidate(18, feed: "Google Cloud Blog", .announcements, title: "Build a dev workflow with Cloud Code",
                      link: "https://cloud.google.com/blog/dev-workflow", date: "2024-05-12", advisories: [],
                      services: ["nginx", "PostgreSQL"]),
        ]
        return DigestBuilder(services: services).build(candidates: candidates, mentions: mentions, feedHealth: health,
                                                       at: generated)
    }

    static let fiftyKilobytes = String(repeating: "A", count: 50_000)

    /// Markup, script, tracking images, `javascript:` links, terminal escapes, bidi
    /// overrides and a 50 kB title, in every field a feed controls.
    static var hostile: DigestModel {
        let candidates = [
            candidate(1, feed: "<b>Evil</b> feed", title: "<script>alert(1)</script> nginx *bold* [x](javascript:alert(1)) <img src=//tracker.example/p.gif>",
                      link: "javascript:alert(document.cookie)", date: "2024-05-13",
                      advisories: ["CVE-2024-0001"], services: ["nginx"],
                      summary: "<img src=\"//tracker.example/pixel.gif\"> & <a href=\"javascript:x\">click</a>", severity: .critical),
            candidate(2, feed: "Quote feed", title: "A link that breaks out of its attribute",
                      link: "https://example.com/a\"onmouseover=\"alert(1)", date: "2024-05-12",
                      advisories: [], services: ["nginx"]),
            candidate(3, feed: "Long feed", title: fiftyKilobytes, link: "https://example.com/long", date: "2024-05-11",
                      advisories: [], services: ["curl"]),
            candidate(4, feed: "Bidi feed", title: "Invoice \u{202E}fdp.exe\u{202C} and \u{1B}[31mred\u{1B}[0m text\u{7}",
                      link: "//tracker.example/protocol-relative", date: "2024-05-10", advisories: [], services: ["curl"]),
            candidate(5, feed: "Slack feed", .announcements, title: "<!channel> <@U123> & friends | > quote `code`",
                      link: "https://example.com/ok?a=1&b=2", date: "2024-05-09", advisories: [], services: ["AWS Lambda"]),
        ]
        let health = FeedHealthReport(feedCount: 3, problems: [
            FeedHealth(feed: "<script>x</script>", url: "https://example.com/feed\u{202E}",
                       status: .failing(runs: 4, error: "parse: <img src=//tracker> not a feed")),
        ])
        let mentions = [
            candidate(6, feed: "<i>Mention</i> feed", .announcements, title: "<script>m()</script> \u{202E}mention\u{1B}[2J",
                      link: "javascript:alert(2)", date: "2024-05-08", advisories: [], services: ["nginx"]),
        ]
        return DigestBuilder(services: services).build(candidates: candidates, mentions: mentions, feedHealth: health,
                                                       at: generated)
    }

    /// A heartbeat: nothing new, the feeds all fine.
    static var quiet: DigestModel {
        DigestBuilder(services: services).build(candidates: [], feedHealth: FeedHealthReport(feedCount: 38, problems: []),
                                                at: generated)
    }
}
