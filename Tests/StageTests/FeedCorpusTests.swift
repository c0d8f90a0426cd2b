import Foundation
import Models
import Parsing
import TestSupport
import Testing

/// The real feeds of the shared corpus, read where they lie: every one parses or is
/// refused with a reason, and the security feeds and the encoding and odd-format samples
/// give exactly these first and last entries.
@Suite(.corpus) struct FeedCorpusTests {
    static let samples: [FeedSample] = [
        // Security and announcement feeds.
        FeedSample(file: "aws-alas-amazon-linux-ami-security-bulletins.rss.xml", format: .rss20,
               feedTitle: "Amazon Linux AMI Security Bulletins", count: 97,
               first: FeedSample.Expected(id: "https://alas.aws.amazon.com/AL2/ALAS-2018-1106.html", title: "ALAS-2018-1106 (medium): 389-ds-base",
                               link: "https://alas.aws.amazon.com/AL2/ALAS-2018-1106.html", published: "2018-11-15T00:10:00Z",
                               summaryPrefix: "CVE-2018-14648", advisories: ["ALAS-2018-1106", "CVE-2018-14648"]),
               last: FeedSample.Expected(id: "https://alas.aws.amazon.com/AL2/ALAS-2018-939.html", title: "ALAS-2018-939 (critical): kernel",
                              link: "https://alas.aws.amazon.com/AL2/ALAS-2018-939.html", published: "2018-01-16T01:28:00Z",
                              summaryPrefix: "CVE-2017-5754, CVE-2017-5715",
                              advisories: ["ALAS-2018-939", "CVE-2017-5754", "CVE-2017-5715"])),
        FeedSample(file: "aws-alas-amazon-linux-2023-security-bulletins-1item.rss.xml", format: .rss20,
               feedTitle: "Amazon Linux 2023 Security Bulletins", count: 1,
               first: FeedSample.Expected(id: "https://alas.aws.amazon.com/AL2023/ALAS-2023-126.html",
                               title: "ALAS-2023-126 (important): device-mapper-multipath",
                               link: "https://alas.aws.amazon.com/AL2023/ALAS-2023-126.html",
                               published: "2023-03-07T00:29:00Z", updated: "2023-03-08T00:51:00Z",  // the item's lastBuildDate
                               summaryPrefix: "CVE-2022-3787, CVE-2022-41973, CVE-2022-41974",
                               advisories: ["ALAS-2023-126", "CVE-2022-3787", "CVE-2022-41973", "CVE-2022-41974"])),
        FeedSample(file: "ghsa-container-software.rss.xml", format: .rss20, feedTitle: "Container Software GHSA Feeds", count: 143,
               first: FeedSample.Expected(id: "https://github.com/advisories/GHSA-4vq8-7jfc-9cvp",
                               title: "Moby firewalld reload removes bridge network isolation",
                               link: "https://github.com/advisories/GHSA-4vq8-7jfc-9cvp", published: "2025-08-14T14:40:42Z",
                               summaryPrefix: "Moby is an open source container framework developed by Docker Inc."),
               last: FeedSample.Expected(id: "https://github.com/advisories/GHSA-vmhj-p9hw-vgrf",
                              title: "Podman has Files or Directories Accessible to External Parties",
                              link: "https://github.com/advisories/GHSA-vmhj-p9hw-vgrf", published: "2023-05-01T22:27:49Z",
                              summaryPrefix: "A flaw was discovered in Podman")),
        FeedSample(file: "ghsa-go-advisories.atom.xml", format: .atom10, feedTitle: "Security Advisory for Go modules", count: 20,
               first: FeedSample.Expected(id: "https://github.com/advisories/GHSA-7x23-j8gv-v54x",
                               title: "[github.com/ctfer-io/monitoring] github.com/ctfer-io/monitoring Vulnerable to Improper Access Control",
                               link: "https://github.com/advisories/GHSA-7x23-j8gv-v54x",
                               published: "2026-03-13T20:58:28Z", updated: "2026-03-13T20:58:31Z",
                               summaryPrefix: "Impact Due to a mis-written NetworkPolicy", advisories: ["GHSA-7x23-j8gv-v54x"]),
               last: FeedSample.Expected(id: "https://github.com/advisories/GHSA-7m35-vw2c-696v",
                              title: "[github.com/osrg/gobgp/v3] GoBGP panics due to a zero value for softwareVersionLen",
                              link: "https://github.com/advisories/GHSA-7m35-vw2c-696v",
                              published: "2025-04-21T03:30:18Z", updated: "2026-03-12T17:22:09Z",
                              summaryPrefix: "An issue was discovered in GoBGP before 3.35.0",
                              advisories: ["CVE-2025-43971", "GHSA-7m35-vw2c-696v"])),
        FeedSample(file: "nodejs-vulnerability-reports-3.rss.xml", format: .rss20, feedTitle: "Node.js Blog: Vulnerability Reports",
               count: 1,
               first: FeedSample.Expected(id: "https://nodejs.org/en/blog/vulnerability/february-2020-security-releases",
                               title: "February 2020 Security Releases",
                               link: "https://nodejs.org/en/blog/vulnerability/february-2020-security-releases",
                               published: "2020-02-06T12:00:00Z",
                               summaryPrefix: "(Update 19-May-2020) Test Test (Update 6-February-2020) Security releases available",
                               advisories: ["CVE-2019-15605", "CVE-2019-15606", "CVE-2019-15604"])),
        FeedSample(file: "debian-news-small.rdf.xml", format: .rss10, feedTitle: "Debian News", count: 1,
               first: FeedSample.Expected(id: "https://www.debian.org/News/2022/20221217", title: "Updated Debian 11: 11.6 released",
                               link: "https://www.debian.org/News/2022/20221217", published: "2022-12-17T00:00:00Z",
                               summaryPrefix: "The Debian project is pleased to announce the sixth update")),
        FeedSample(file: "tails-news.rss.xml", format: .rss20, feedTitle: "Tails - News", count: 10,
               first: FeedSample.Expected(id: "https://tails.boum.org/news/achievements_in_2020/index.en.html", title: "Our achievements in 2020",
                               link: "https://tails.boum.org/news/achievements_in_2020/index.en.html",
                               published: "2020-12-23T18:02:12Z", updated: "2020-12-23T18:09:46Z",
                               summaryPrefix: "Despite everything, 2020 was a great year for Tails."),
               last: FeedSample.Expected(id: "https://tails.boum.org/news/version_4.8/index.en.html", title: "Tails 4.8 is out",
                              link: "https://tails.boum.org/news/version_4.8/index.en.html",
                              published: "2020-06-30T12:34:56Z", updated: "2020-07-08T00:50:45Z",
                              summaryPrefix: "This release fixes many security vulnerabilities.")),
        // Encodings: declared, undeclared, and declarations that lie.
        FeedSample(file: "synthetic-iso-8859-1-decl-but-utf8.atom.xml", format: .atom10, feedTitle: "테스트 피드", count: 1,
               first: FeedSample.Expected(id: nil, title: "Café")),
        FeedSample(file: "synthetic-invalid-encoding-decl.atom.xml", format: .atom10, feedTitle: "테스트 피드", count: 1,
               first: FeedSample.Expected(id: nil, title: "Café")),
        FeedSample(file: "synthetic-windows-1252-decl-but-utf8.rss.xml", format: .rss20, feedTitle: "Euro €", count: 0),
        FeedSample(file: "synthetic-windows-1252.rss.xml", format: .rss20, feedTitle: "Euro €", count: 0, encoding: "windows-1252"),
        FeedSample(file: "cercle-psy-no-xml-decl-iso-8859-1.rss.xml", format: .rss20,
               feedTitle: "Flux RSS du magazine de psychologie Le Cercle Psy", count: 10,
               first: FeedSample.Expected(id: "https://le-cercle-psy.scienceshumaines.com/perturbateurs-endocriniens-quels-effets-sur-le-cerveau_sh_39995",
                               title: "Perturbateurs endocriniens : quels effets sur le cerveau ?",
                               link: "https://le-cercle-psy.scienceshumaines.com/perturbateurs-endocriniens-quels-effets-sur-le-cerveau_sh_39995",
                               published: "2018-10-17T10:30:00Z", summaryPrefix: "Si leur impact semble dis"),
               last: FeedSample.Expected(id: "https://le-cercle-psy.scienceshumaines.com/psychologue-a-domicile-de-la-clinique-a-l-etat-brut_sh_35540",
                              title: "Psychologue à domicile : de la clinique à l'état brut",
                              link: "https://le-cercle-psy.scienceshumaines.com/psychologue-a-domicile-de-la-clinique-a-l-etat-brut_sh_35540",
                              published: "2018-10-17T10:30:00Z", summaryPrefix: "Si tu ne peux pas venir au psycho"),
               encoding: "windows-1252"),
        FeedSample(file: "synthetic-koi8r.rss.xml", format: .rss20, feedTitle: "Пример RSS ленты", count: 2,
               first: FeedSample.Expected(id: "http://example.com/post1", title: "Первая новость", link: "http://example.com/post1",
                               published: "2026-02-15T10:00:00Z", summaryPrefix: "Это тестовое описание с русскими символами: Привет мир! Ёжик"),
               last: FeedSample.Expected(id: "http://example.com/post2", title: "Вторая новость", link: "http://example.com/post2",
                              published: "2026-02-15T11:00:00Z",
                              summaryPrefix: "Проверка специальных символов: & < > А также числа: 1234567890."),
               encoding: "KOI8-R"),
        FeedSample(file: "ibash-org-ru-windows-1251.rss.xml", format: .rss20, feedTitle: "iBash.Org.Ru", count: 50,
               first: FeedSample.Expected(id: "http://ibash.org.ru/quote.php?id=17703", title: "Цитата #17703",
                               link: "http://ibash.org.ru/quote.php?id=17703", published: "2018-03-21T07:27:32Z",
                               summaryPrefix: "xxx: есть у кого жаба программер"),
               last: FeedSample.Expected(id: "http://ibash.org.ru/quote.php?id=17220", title: "Цитата #17220",
                              link: "http://ibash.org.ru/quote.php?id=17220", published: "2018-03-15T06:16:48Z",
                              summaryPrefix: "xxx: конструктор запросов как всегда гентален"),
               encoding: "windows-1251"),
        FeedSample(file: "kc0011-chinese-gb2312.rss.xml", format: .rss20,
               feedTitle: "投资资讯网交易在线--流通纪念币最新20篇论坛主题-全文", count: 20,
               first: FeedSample.Expected(id: "http://www.kc0011.net/dispbbs.asp?BoardID=10&ID=25164257&Page=1", title: "建国35周年纪念，华表，和平鸽",
                               link: "http://www.kc0011.net/dispbbs.asp?BoardID=10&ID=25164257&Page=1",
                               published: "2020-01-10T14:33:00Z", summaryPrefix: "建国35周年纪念，华表，和平鸽 35周年1套520"),
               last: FeedSample.Expected(id: "http://www.kc0011.net/dispbbs.asp?BoardID=10&ID=25164080&Page=1", title: "世博五卷",
                              link: "http://www.kc0011.net/dispbbs.asp?BoardID=10&ID=25164080&Page=1",
                              published: "2020-01-10T14:03:00Z", summaryPrefix: "无字无裂5卷x4，电联。 此主题相关图片如下："),
               encoding: "gb2312"),
        FeedSample(file: "synthetic-feedparser-demoronize-cp1252-smartquotes.xml", format: .rss20, feedTitle: nil, count: 1,
               first: FeedSample.Expected(id: nil, summaryPrefix: "don’t")),
        FeedSample(file: "synthetic-feedparser-double-encoded-html.xml", format: .rss20, feedTitle: nil, count: 1,
               first: FeedSample.Expected(id: nil, summaryPrefix: "…")),
        FeedSample(file: "synthetic-feedparser-invalid-bytes-with-bom.xml", format: .rss20,
               feedTitle: "Valid UTF8: Ѩ" + "Invalid UTF8: España", count: 0),
        // Odd and old formats.
        FeedSample(file: "rss091-writetheweb-iso-8859-1.xml", format: .rss09x, feedTitle: "WriteTheWeb", count: 2,
               first: FeedSample.Expected(id: "http://writetheweb.com/read.php?item=24", title: "Giving the world a pluggable Gnutella",
                               link: "http://writetheweb.com/read.php?item=24",
                               summaryPrefix: "WorldOS is a framework on which to build programs"),
               last: FeedSample.Expected(id: "http://writetheweb.com/read.php?item=23", title: "Syndication discussions hot up",
                              link: "http://writetheweb.com/read.php?item=23",
                              summaryPrefix: "After a period of dormancy, the Syndication mailing list has become"),
               encoding: "ISO-8859-1"),
        FeedSample(file: "synthetic-rss094.xml", format: .rss09x, feedTitle: "rss_0.94.channel.title", count: 2,
               first: FeedSample.Expected(id: "rss_0.94.channel.item[0].guid", title: "rss_0.94.channel.item[0].title",
                               link: "https://example.com/rss_0.94.channel.item%5B0%5D.link", published: "2001-01-01T00:00:00Z",
                               summaryPrefix: "rss_0.94.channel.item[0].description"),
               last: FeedSample.Expected(id: "rss_0.94.channel.item[1].guid", title: "rss_0.94.channel.item[1].title",
                              link: "https://example.com/rss_0.94.channel.item%5B1%5D.link", published: "2001-01-02T00:00:00Z",
                              summaryPrefix: "rss_0.94.channel.item[1].description")),
        FeedSample(file: "synthetic-atom03-dc-sy.xml", format: .atom03, feedTitle: "atom_0.3.feed.title", count: 2,
               first: FeedSample.Expected(id: "atom_0.3.feed.entry[0]^id", title: "atom_0.3.feed.entry[0].title",
                               link: "https://example.com/atom_0.3.feed.entry%5B0%5D.link%5Ehref",
                               published: "2001-01-04T00:00:00Z", updated: "2000-01-01T00:00:00Z",
                               summaryPrefix: "atom_0.3.feed.entry[0].summary"),
               last: FeedSample.Expected(id: "atom_0.3.feed.entry[1]^id", title: "atom_0.3.feed.entry[1].title",
                              link: "https://example.com/atom_0.3.feed.entry%5B1%5D.link%5Ehref",
                              published: "2001-02-04T00:00:00Z", updated: "2000-02-01T00:00:00Z",
                              summaryPrefix: "atom_0.3.feed.entry[1].summary")),
        FeedSample(file: "rss10-spec-xmlcom.rdf.xml", format: .rss10, feedTitle: "XML.com", count: 2,
               first: FeedSample.Expected(id: "http://xml.com/pub/2000/08/09/xslt/xslt.html", title: "Processing Inclusions with XSLT",
                               link: "http://xml.com/pub/2000/08/09/xslt/xslt.html",
                               summaryPrefix: "Processing document inclusions with general XML tools"),
               last: FeedSample.Expected(id: "http://xml.com/pub/2000/08/09/rdfdb/index.html", title: "Putting RDF to Work",
                              link: "http://xml.com/pub/2000/08/09/rdfdb/index.html",
                              summaryPrefix: "Tool and API support for the Resource Description Framework")),
        FeedSample(file: "avian-blog-duplicate-content.atom.xml", format: .atom10, feedTitle: "Avian’s Blog", count: 10,
               first: FeedSample.Expected(id: "http://www.tablix.org/~avian/blog/archives/2014/07/down_time/", title: "Down time",
                               link: "http://www.tablix.org/~avian/blog/archives/2014/07/down_time/",
                               published: "2014-07-21T19:14:39Z", updated: "2014-07-21T19:14:39Z",
                               summaryPrefix: "Two switches in two cities seemingly failed"),
               last: FeedSample.Expected(id: "http://www.tablix.org/~avian/blog/archives/2014/05/balanced_variable_phase_shift_circuit/",
                              title: "Balanced variable phase shift circuit",
                              link: "http://www.tablix.org/~avian/blog/archives/2014/05/balanced_variable_phase_shift_circuit/",
                              published: "2014-05-13T12:28:42Z", updated: "2014-05-15T18:49:09Z")),
        FeedSample(file: "synthetic-gofeed-rss_channel_item_xml_base.xml", format: .rss20, feedTitle: "t", count: 1,
               first: FeedSample.Expected(id: "http://example.org/feeds/post/1", title: "i", link: "http://example.org/feeds/post/1")),
    ]

    @Test(arguments: samples)
    func firstAndLastEntries(sample: FeedSample) throws {
        try sample.check(Data(contentsOf: TestPaths.corpusFile(sample.file)))
    }

    @Test func everyCorpusDocumentParsesOrIsRefusedWithAReason() throws {
        let files = try TestPaths.corpusFiles()
        #expect(files.count >= 150)
        var feeds = 0
        for file in files where try FeedDocumentChecks.parsesWithIdsAndNoEmptyStrings(
            Data(contentsOf: TestPaths.corpusFile(file)), name: file) {
            feeds += 1
        }
        #expect(feeds == files.filter { !$0.hasSuffix(".json") }.count)
    }

    @Test func nearlyEveryCorpusRSSAndAtomFeedHasEntries() throws {
        let files = try TestPaths.corpusFiles().filter { $0.hasSuffix(".rss.xml") || $0.hasSuffix(".atom.xml") }
        #expect(files.count > 80)
        let withEntries = try files.filter {
            try !FeedParser().parse([UInt8](Data(contentsOf: TestPaths.corpusFile($0))), url: $0).entries.isEmpty
        }
        #expect(withEntries.count > files.count * 9 / 10)
    }
}
