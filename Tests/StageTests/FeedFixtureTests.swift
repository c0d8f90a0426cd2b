import Foundation
import Models
import Parsing
import TestSupport
import Testing

/// Our own small feed documents (`Tests/Fixtures/feeds`, each named for its case): the
/// formats, encodings and shapes the real corpus has (`FeedCorpusTests`), with exactly these
/// first and last entries. They run on every clone, corpus or not.
@Suite struct FeedFixtureTests {
    typealias Expected = FeedSample.Expected

    static let samples: [FeedSample] = [
        // Security feeds: a release announcement in CDATA HTML, a distribution's CVE lists,
        // an advisory feed repeating one advisory per package.
        FeedSample(file: "rss2-critical-release-cdata-html.rss", format: .rss20,
                   feedTitle: "Node.js Blog: Vulnerability Reports", count: 1,
                   first: Expected(id: "https://nodejs.org/en/blog/vulnerability/february-2020-security-releases",
                                   title: "February 2020 Security Releases",
                                   link: "https://nodejs.org/en/blog/vulnerability/february-2020-security-releases",
                                   published: "2020-01-23T12:00:00Z", summaryPrefix: "Summary New versions of every")),
        FeedSample(file: "rss2-distribution-advisories-cve-lists.rss", format: .rss20,
                   feedTitle: "Amazon Linux AMI Security Bulletins", count: 11,
                   first: Expected(id: "https://alas.aws.amazon.com/AL2/ALAS-2018-1106.html",
                                   title: "ALAS-2018-1106 (medium): 389-ds-base",
                                   link: "https://alas.aws.amazon.com/AL2/ALAS-2018-1106.html", published: "2018-11-15T00:10:00Z",
                                   summaryPrefix: "CVE-2018-14648", advisories: ["ALAS-2018-1106", "CVE-2018-14648"]),
                   last: Expected(id: "https://alas.aws.amazon.com/AL2/ALAS-2018-939.html", title: "ALAS-2018-939 (critical): kernel",
                                  link: "https://alas.aws.amazon.com/AL2/ALAS-2018-939.html", published: "2018-01-16T01:28:00Z",
                                  summaryPrefix: "CVE-2017-5754, CVE-2017-5715",
                                  advisories: ["ALAS-2018-939", "CVE-2017-5754", "CVE-2017-5715"])),
        FeedSample(file: "atom-package-advisories-repeated-ids.atom", format: .atom10,
                   feedTitle: "Security Advisory for JavaScript packages hosted at npmjs.com", count: 20,
                   first: Expected(id: "https://github.com/advisories/GHSA-fxmp-cccc-2222",
                                   title: "[example-cli] example-cli writes outside the project directory when cloning a crafted script",
                                   link: "https://github.com/advisories/GHSA-fxmp-cccc-2222",
                                   published: "2026-03-13T20:57:29Z", updated: "2026-03-13T20:57:29Z",
                                   summaryPrefix: "Impact A crafted script name", advisories: ["GHSA-fxmp-cccc-2222"]),
                   last: Expected(id: "https://github.com/advisories/GHSA-fxmp-hhhh-2392",
                                  title: "[chatbridge] chatbridge: approval allowlist patterns matched too much",
                                  link: "https://github.com/advisories/GHSA-fxmp-hhhh-2392",
                                  published: "2026-03-13T20:55:09Z", updated: "2026-03-13T20:55:09Z",
                                  advisories: ["GHSA-fxmp-hhhh-2392"])),
        // Encodings: declared, undeclared, and declarations that lie.
        FeedSample(file: "atom-iso-8859-1-declared-but-utf8.atom", format: .atom10, feedTitle: "테스트 피드", count: 1,
                   first: Expected(id: nil, title: "Café", updated: "2024-01-01T00:00:00Z")),
        FeedSample(file: "atom-unknown-encoding-declared.atom", format: .atom10, feedTitle: "테스트 피드", count: 1,
                   first: Expected(id: nil, title: "Café", updated: "2024-01-01T00:00:00Z")),
        FeedSample(file: "rss2-windows-1252-no-declaration.rss", format: .rss20, feedTitle: "Le Cercle", count: 1,
                   first: Expected(id: "http://example.com/a", title: "Quels effets sur le cerveau ?",
                                   link: "http://example.com/a", published: "2018-10-17T10:30:00Z",
                                   summaryPrefix: "L’impact semble discret – pour l’instant."),
                   encoding: "windows-1252"),
        FeedSample(file: "rss2-koi8r-declared.rss", format: .rss20, feedTitle: "Новости проекта", count: 1,
                   first: Expected(id: "http://example.com/post1", title: "Первая новость", link: "http://example.com/post1",
                                   published: "2026-02-15T10:00:00Z", summaryPrefix: "Привет, мир! Ёжик & ёлка."),
                   encoding: "KOI8-R"),
        FeedSample(file: "rss2-windows-1251-declared.rss", format: .rss20, feedTitle: "Новости проекта", count: 1,
                   first: Expected(id: "http://example.com/post1", title: "Первая новость", link: "http://example.com/post1",
                                   published: "2026-02-15T10:00:00Z", summaryPrefix: "Привет, мир! Ёжик & ёлка."),
                   encoding: "windows-1251"),
        FeedSample(file: "rss2-gb2312-declared.rss", format: .rss20, feedTitle: "纪念币论坛", count: 1,
                   first: Expected(id: "http://example.com/t?ID=2", title: "建国纪念，和平鸽", link: "http://example.com/t?ID=2",
                                   published: "2020-01-10T14:33:00Z", summaryPrefix: "一套五枚，电联。"),
                   encoding: "gb2312"),
        // Old formats.
        FeedSample(file: "rss091-iso-8859-1-declared.xml", format: .rss09x, feedTitle: "Café Weekly", count: 2,
                   first: Expected(id: "http://example.org/read.php?item=2", title: "Le café est servi",
                                   link: "http://example.org/read.php?item=2", summaryPrefix: "Première nouvelle, à lire."),
                   last: Expected(id: "http://example.org/read.php?item=1", title: "Deuxième",
                                  link: "http://example.org/read.php?item=1", summaryPrefix: "Une autre."),
                   encoding: "ISO-8859-1"),
        FeedSample(file: "atom03-issued-modified.xml", format: .atom03, feedTitle: "Old Atom", count: 2,
                   first: Expected(id: "tag:example.org,2004:1", title: "First entry", link: "http://example.org/1",
                                   published: "2004-01-01T08:00:00Z", updated: "2004-01-02T00:00:00Z",
                                   summaryPrefix: "The first one."),
                   last: Expected(id: "tag:example.org,2004:2", title: "Second entry", link: "http://example.org/2",
                                  published: "2003-12-31T00:00:00Z", summaryPrefix: "The second one.")),
        FeedSample(file: "rss10-rdf-about-dc-date.rdf", format: .rss10, feedTitle: "Example News", count: 2,
                   first: Expected(id: "http://example.org/news/2", title: "Point release 11.6", link: "http://example.org/news/2",
                                   published: "2022-12-17T00:00:00Z", summaryPrefix: "Fixes for security problems."),
                   last: Expected(id: "http://example.org/news/1", title: "Point release 11.5", link: "http://example.org/news/1",
                                  published: "2022-09-10T12:00:00Z", summaryPrefix: "More fixes.")),
    ]

    @Test(arguments: samples)
    func firstAndLastEntries(sample: FeedSample) throws {
        try sample.check(Data(contentsOf: TestPaths.fixture("feeds/" + sample.file)))
    }

    @Test func everySampleIsAFixtureAndEveryFeedFixtureHasASample() {
        let sampled = Set(Self.samples.map { "feeds/" + $0.file })
        // The two matching fixtures are checked by the matching tests.
        let others = Set(TestPaths.fixtureFeeds).subtracting(["feeds/matching-advisories.rss", "feeds/matching-same-cve-elsewhere.rss"])
        #expect(sampled == others)
    }

    @Test func everyFixtureFeedParsesWithIdsAndNoEmptyStrings() throws {
        #expect(TestPaths.fixtureFeeds.count >= 14)
        for file in TestPaths.fixtureFeeds {
            try FeedDocumentChecks.parsesWithIdsAndNoEmptyStrings(Data(contentsOf: TestPaths.fixture(file)), name: file)
        }
    }
}

/// Checks every document must pass, fixture or corpus.
enum FeedDocumentChecks {
    /// A feed parses, each entry has an id, no field is an empty string or has whitespace
    /// around its title, and ids are unique; a document that is not a feed says what it
    /// looks like (only JSON documents are not feeds). Returns whether it was a feed.
    @discardableResult
    static func parsesWithIdsAndNoEmptyStrings(_ data: Data, name: String) throws -> Bool {
        do {
            let feed = try FeedParser().parse([UInt8](data), url: name)
            for entry in feed.entries {
                #expect(!entry.id.isEmpty, "\(name)")
                #expect(entry.title != "" && entry.summary != "" && entry.link != "", "\(name)")
                #expect(entry.title.map { $0 == $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? true, "\(name)")
            }
            #expect(Set(feed.entries.map(\.id)).count == feed.entries.count, "\(name): ids must be unique")
            return true
        } catch {
            let reason = "\(error)"
            #expect(name.hasSuffix(".json"), "\(name): \(reason)")
            #expect(reason.contains("not a feed: looks like"), "\(name)")
            return false
        }
    }
}
