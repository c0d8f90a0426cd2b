import Matching
import Models
import Testing

/// The matcher, case by case: each row is a bulletin, an inventory and the tags expected
/// as "service=alias@field:position".
@Suite struct MatcherTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let id: String
        var title: String? = nil
        var summary: String? = nil
        let services: [Service]
        let expected: [String]
        var category: FeedCategory = .security
        var testDescription: String { id }
    }

    private static let nginx = Service(name: "nginx", aliases: ["NGINX Plus"], exclude: ["nginx-ui"])
    private static let forty = (1...40).map { "word\($0)" }.joined(separator: " ")

    static let cases: [Case] = [
        // Word boundaries: punctuation is a boundary, letters and digits are not.
        Case(id: "slash", title: "nginx/1.25 fixes CVE-2024-1", services: [nginx], expected: ["nginx=nginx@title:0"]),
        Case(id: "parentheses", title: "Patch (nginx) now", services: [nginx], expected: ["nginx=nginx@title:7"]),
        Case(id: "possessive", title: "NGINX's resolver bug", services: [nginx], expected: ["nginx=nginx@title:0"]),
        Case(id: "phrase", title: "Update NGINX   Plus today", services: [nginx], expected: ["nginx=NGINX Plus@title:7"]),
        Case(id: "part of a word", title: "nginxinc-foo released", services: [nginx], expected: []),
        Case(id: "inside a word", title: "engine update", services: [nginx], expected: []),
        Case(id: "split word", title: "ngin x", services: [nginx], expected: []),
        Case(id: "digits glue", title: "nginx2 is not nginx", services: [nginx], expected: ["nginx=nginx@title:14"]),
        // Unicode: case folding, diacritics (precomposed and combining), ß.
        Case(id: "diacritics in text", title: "CAFÉ Server 2 released",
             services: [Service(name: "Cafe Server")], expected: ["Cafe Server=Cafe Server@title:0"]),
        Case(id: "diacritics in alias", title: "cafe server flaw",
             services: [Service(name: "Café Server")], expected: ["Café Server=Café Server@title:0"]),
        Case(id: "combining marks", title: "Cafe\u{301} Server flaw",
             services: [Service(name: "café server")], expected: ["café server=café server@title:0"]),
        Case(id: "sharp s", title: "STRASSE 1.0", services: [Service(name: "Straße")], expected: ["Straße=Straße@title:0"]),
        Case(id: "greek", title: "Ενημέρωση ΑΣΦΑΛΕΙΑΣ για το σύστημα", services: [Service(name: "ασφάλειας")],
             expected: ["ασφάλειας=ασφάλειας@title:19"]),
        Case(id: "unicode neighbours are letters", title: "nginxé 1.0", services: [nginx], expected: []),
        // Excludes veto the service for the whole entry.
        Case(id: "exclude in title", title: "nginx-ui flaw", services: [nginx], expected: []),
        Case(id: "exclude in summary", title: "nginx config injection", summary: "Affects nginx-ui 2.0",
             services: [nginx], expected: []),
        Case(id: "exclude of another service", title: "nginx-ui and curl", services: [nginx, Service(name: "curl")],
             expected: ["curl=curl@title:13"]),
        // Overlapping aliases and aliases that are substrings of each other.
        Case(id: "overlapping services", title: "Apache Tomcat 9.0.80 fixes",
             services: [Service(name: "Apache HTTP Server", aliases: ["Apache"], builtinAliases: false),
                        Service(name: "Tomcat", aliases: ["Apache Tomcat"])],
             expected: ["Apache HTTP Server=Apache@title:0", "Tomcat=Apache Tomcat@title:0"]),
        Case(id: "longest at the same place", title: "Microsoft SQL Server 2019",
             services: [Service(name: "MSSQL", aliases: ["SQL", "SQL Server"])], expected: ["MSSQL=SQL Server@title:10"]),
        Case(id: "substring is not a word", title: "MySQL 8.0.36",
             services: [Service(name: "MSSQL", aliases: ["SQL"]), Service(name: "MySQL")], expected: ["MySQL=MySQL@title:0"]),
        Case(id: "same alias in two services", title: "Amazon Aurora update",
             services: [Service(name: "RDS"), Service(name: "Orders DB", aliases: ["Aurora"], builtinAliases: false)],
             expected: ["Orders DB=Aurora@title:7", "RDS=Aurora@title:7"]),
        Case(id: "a built-in alias can be the better hit", title: "Amazon Aurora update",
             services: [Service(name: "Orders DB", aliases: ["Aurora"])], expected: ["Orders DB=Amazon Aurora@title:0"]),
        // Match modes.
        Case(id: "prefix", title: "openssl3 and libopenssl",
             services: [Service(name: "OpenSSL", aliases: [Alias("openssl", match: .prefix)])],
             expected: ["OpenSSL=openssl@title:0"]),
        Case(id: "prefix needs a start", title: "libopenssl only",
             services: [Service(name: "OpenSSL", aliases: [Alias("openssl", match: .prefix)])], expected: []),
        Case(id: "regex", title: "Apache Log4j2 RCE",
             services: [Service(name: "Log4j", aliases: [Alias("log4j ?2", match: .regex)], builtinAliases: false)],
             expected: ["Log4j=log4j ?2@title:7"]),
        Case(id: "regex spaced", title: "log4j 2.17 released",
             services: [Service(name: "Logging", aliases: [Alias("log4j ?2", match: .regex)])],
             expected: ["Logging=log4j ?2@title:0"]),
        Case(id: "regex boundary", title: "log4j2x module",
             services: [Service(name: "Logging", aliases: [Alias("log4j ?2", match: .regex)])], expected: []),
        // A regex alias reads the first 512 bytes of each field (its bound on time); a word
        // alias reads it all.
        Case(id: "regex within its bound", title: "x", summary: String(repeating: "filler ", count: 60) + "log4j2 affected",
             services: [Service(name: "Logging", aliases: [Alias("log4j ?2", match: .regex)])],
             expected: ["Logging=log4j ?2@summary:420"]),
        Case(id: "regex past its bound", title: "x", summary: String(repeating: "filler ", count: 80) + "log4j2 affected",
             services: [Service(name: "Logging", aliases: [Alias("log4j ?2", match: .regex), "log4j2"])],
             expected: ["Logging=log4j2@summary:560"]),
        // Very short and very long aliases.
        Case(id: "one letter", title: "R 4.3.2 and R's CRAN", services: [Service(name: "R")], expected: ["R=R@title:0"]),
        Case(id: "one letter inside words", title: "RPM r2 update", services: [Service(name: "R")], expected: []),
        Case(id: "forty words", title: "x", summary: "Intro. " + forty.uppercased().replacingOccurrences(of: " ", with: ", ") + "!",
             services: [Service(name: "Long", aliases: [Alias(forty)])], expected: ["Long=\(forty)@summary:7"]),
        Case(id: "thirty-nine of forty words", summary: (1...39).map { "word\($0)" }.joined(separator: " "),
             services: [Service(name: "Long", aliases: [Alias(forty)])], expected: []),
        // Fields, categories, built-in aliases.
        Case(id: "title before summary", title: "Fix for Postgres", summary: "PostgreSQL 16.2",
             services: [Service(name: "PostgreSQL")], expected: ["PostgreSQL=Postgres@title:8"]),
        Case(id: "summary when the title says nothing", title: "Security update", summary: "Fixes in Postgres 16",
             services: [Service(name: "PostgreSQL")], expected: ["PostgreSQL=Postgres@summary:9"]),
        Case(id: "category filter", title: "nginx 1.26 released",
             services: [Service(name: "nginx", category: .security)], expected: [], category: .announcements),
        Case(id: "built-in alias", title: "Kubelet flaw in k8s",
             services: [Service(name: "Kubernetes")], expected: ["Kubernetes=kubelet@title:0"]),
        Case(id: "built-in aliases switched off", title: "Amazon Aurora update",
             services: [Service(name: "RDS", builtinAliases: false)], expected: []),
        Case(id: "nothing to read", services: [nginx], expected: []),
    ]

    @Test(arguments: cases)
    func matches(_ test: Case) {
        let stored = StoredEntry(rowID: 1, feedTitle: "f", category: test.category,
                                 entry: FeedEntry(id: "1", title: test.title, summary: test.summary))
        let tags = Matcher(services: test.services).tags(for: stored)
        #expect(tags.map { "\($0.service)=\($0.alias)@\($0.field):\($0.position ?? -1)" }.sorted() == test.expected)
    }

    @Test func aTagsPositionAndLengthPointAtTheOriginalText() throws {
        let title = "Mise à jour: «Café Server»/2.1 corrige une faille"
        let stored = StoredEntry(rowID: 9, feedTitle: "f", category: .security, entry: FeedEntry(id: "1", title: title))
        let tag = try #require(Matcher(services: [Service(name: "cafe server")]).tags(for: stored).first)
        let bytes = Array(title.utf8)
        let position = try #require(tag.position), length = try #require(tag.length)
        #expect(String(decoding: bytes[position..<position + length], as: UTF8.self) == "Café Server")
    }

    @Test func oneAutomatonHoldsEveryPhraseOnce() {
        let matcher = Matcher(services: [
            Service(name: "a", aliases: ["shared", "x y"], builtinAliases: false),
            Service(name: "b", aliases: ["Shared", "X-Y"], exclude: ["x y z"], builtinAliases: false),
        ])
        // a, shared, x y, b, x y z: "Shared" and "X-Y" normalize to phrases already there.
        #expect(matcher.size.patterns == 5)
    }

    @Test func explainGivesTheNearestMissOfEachService() {
        let services = [
            Service(name: "nginx", exclude: ["nginx-ui"]),
            Service(name: "curl"),
            Service(name: "Redis", category: .announcements),
            Service(name: "OpenSSL"),
        ]
        let stored = StoredEntry(rowID: 3, feedTitle: "f", category: .security, entry: FeedEntry(
            id: "1", title: "nginx-ui 2.0 and curlx", summary: "Redis hardening"))
        let outcomes = Dictionary(uniqueKeysWithValues: Matcher(services: services).explain(stored).map { ($0.service, $0.outcome) })
        guard case .vetoed(let hit, let exclude) = outcomes["nginx"] else { Issue.record("nginx: \(String(describing: outcomes["nginx"]))"); return }
        #expect(hit.matched == "nginx" && exclude.matched == "nginx-ui")
        guard case .boundary(let partial) = outcomes["curl"] else { Issue.record("curl"); return }
        #expect(partial.matched == "curl" && partial.range == 17..<21)
        guard case .category(.announcements, let redis) = outcomes["Redis"] else { Issue.record("Redis"); return }
        #expect(redis.field == "summary")
        #expect(outcomes["OpenSSL"] == .notMentioned)
    }
}
