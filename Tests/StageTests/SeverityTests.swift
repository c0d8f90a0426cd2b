import Foundation
import TestSupport
import Matching
import Models
import Parsing
import Testing

@Suite struct SeverityTests {
    @Test(arguments: [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("AV:L/AC:H/PR:N/UI:R/S:C/C:N/I:N/A:L", 2.7),
        ("AV:L/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N", 4.7),
        ("AV:A/AC:L/PR:H/UI:N/S:U/C:N/I:N/A:H", 4.5),
        ("CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
    ])
    func aCVSSVectorGivesTheSpecificationsBaseScore(_ vector: String, _ score: Double) {
        let (_, cvss) = SeverityReader.read(title: nil, summary: "The vector is \(vector).")
        #expect(cvss == score)
    }

    @Test(arguments: [
        ("ALAS-2018-1105 (important): tomcat", nil as String?, Severity.high, nil as Double?),
        ("Important: kernel security update", nil, .high, nil),
        ("runc flaw", "rated by the containerd maintainers as medium, with a CVSS score of 6.1", .medium, 6.1),
        ("Bug", "This has CVSS score AV:L/AC:H/PR:N/UI:R/S:C/C:N/I:N/A:L (2.7).", .low, 2.7),
        ("Critical-severity RCE in Foo", nil, .critical, nil),
        ("Foo 1.2", "Severity: Low. CVSS v3.1 base score: 9.8", .critical, 9.8),
        ("Foo", "CVSS 3.1 Base Score 8.8", .high, 8.8),
        ("CVSSv3 score of 5.3 for Foo", nil, .medium, 5.3),
        ("High availability for RDS", "Now with higher limits and low latency.", nil, nil),
        ("Moderate rain expected", nil, nil, nil),
        ("CVSS 3.1 vector for the record", nil, nil, nil),
        // Text that is not all ASCII is lowered as Unicode, the rest byte by byte: the same words count.
        ("Sécurité (IMPORTANT) : noyau", nil, .high, nil),
        ("Überlauf in Foo", "Severity: CRITICAL — CVSS base score 9.1 für Straße", .critical, 9.1),
        ("Ядро: уязвимость", "rated by the team as Medium", .medium, nil),
        ("Moderate rain in Zürich", "Ähnlich: low clouds", nil, nil),
        // The Kelvin sign lowers to an ASCII k; the needles never hold one, so nothing changes.
        ("\u{212A}ernel: HIGH severity", nil, .high, nil),
    ])
    func theTextsWordsAndScoresGiveTheHighestSeverity(_ title: String, _ summary: String?, _ severity: Severity?,
                                                      _ score: Double?) {
        let result = SeverityReader.read(title: title, summary: summary)
        #expect(result.severity == severity)
        #expect(result.cvss == score)
    }

    @Test(arguments: [
        (["HIGH"], nil as String?, Severity.high),
        (["security", " Critical\n"], nil, .critical),
        (["Moderate"], nil, .medium),
        (["Severity: Low"], nil, .low),
        (["LOW"], "CVSS base score: 9.8", .critical),
        (["high school", "Low-code", "highlights"], nil, nil),
        (["news", "lowest prices"], "Moderate rain", nil),
    ])
    func aCategoryThatIsASeverityStatesOne(_ categories: [String], _ summary: String?, _ severity: Severity?) {
        #expect(SeverityReader.read(title: "Foo 1.2 released", summary: summary, categories: categories).severity
            == severity)
    }

    /// GitHub's advisory feeds give each entry's severity only as `<category label="severity"
    /// term="HIGH"/>`; most entries' text states none.
    @Test func everyGitHubAdvisoryHasAtLeastTheSeverityItsCategoryStates() throws {
        try Self.everyAdvisoryHasAtLeastItsCategorysSeverity(TestPaths.fixture("feeds/atom-package-advisories-repeated-ids.atom"))
    }

    /// Checked on our fixture here and on a real GitHub feed in `ParsingCorpusTests`.
    static func everyAdvisoryHasAtLeastItsCategorysSeverity(_ url: URL) throws {
        let file = url.lastPathComponent
        let bytes = [UInt8](try Data(contentsOf: url))
        let feed = try FeedParser().parse(bytes, url: file)
        // The stated severities, read from the document apart from the parser, entry by entry.
        let stated = String(decoding: bytes, as: UTF8.self).components(separatedBy: "<entry>").dropFirst().map { entry in
            entry.firstMatch(of: #/label="severity" term="(\w+)"/#).flatMap { Severity(word: String($0.output.1)) }
        }
        try #require(stated.count == feed.entries.count && stated.count > 10)
        for (entry, category) in zip(feed.entries, stated) {
            let category = try #require(category, "\(entry.id) states no severity")
            let read = Assessor().assess(StoredEntry(rowID: 1, feedTitle: "GHSA", category: .security, entry: entry))
            #expect(read.severity.map { $0 >= category } == true, "\(entry.id): \(String(describing: read.severity))")
        }
        let fromTextAlone = feed.entries.filter { SeverityReader.read(title: $0.title, summary: $0.summary).severity == nil }
        #expect(!fromTextAlone.isEmpty, "every entry's text states its severity: the categories were not needed")
    }

    @Test func theAssessorFlagsOnlyCVEsInTheCatalog() {
        let entry = StoredEntry(rowID: 4, feedTitle: "f", category: .security,
                                entry: FeedEntry(id: "1", title: "Critical: foo",
                                                 advisories: ["CVE-2024-3094", "CVE-2024-0001", "GHSA-aaaa-bbbb-cccc"]))
        let assessment = Assessor(knownExploited: ["CVE-2024-3094"]).assess(entry)
        #expect(assessment == Assessment(entryRowID: 4, severity: .critical, cvss: nil, exploited: ["CVE-2024-3094"]))
        #expect(assessment.kev)
    }
}

@Suite struct KEVCatalogTests {
    @Test func aCatalogDecodesEveryVulnerability() throws {
        try Self.decodesEveryVulnerability(TestPaths.fixture("kev/catalog-two-cves.json"))
    }

    /// Checked on our fixture here and on CISA's real catalog in `ParsingCorpusTests`.
    static func decodesEveryVulnerability(_ url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        let catalog = try KEVCatalog(json: bytes, source: url.path)
        let raw = try JSONSerialization.jsonObject(with: Data(bytes)) as! [String: Any]
        #expect(catalog.vulnerabilities.count == raw["count"] as? Int)
        #expect(catalog.version == raw["catalogVersion"] as? String)
        let first = try #require(catalog.vulnerabilities.first)
        #expect(first.cveID.hasPrefix("CVE-"))
        #expect(!first.dateAdded.isEmpty)
    }

    @Test(arguments: [
        ("not json", "kev: x: not a KEV catalog: invalid JSON"),
        (#"{"catalogVersion": "1"}"#, "kev: x: not a KEV catalog: vulnerabilities: missing"),
        (#"{"vulnerabilities": [{"cveID": "CVE-1-2"}]}"#, "kev: x: vulnerabilities[0].cveID: 'CVE-1-2' is not a CVE id"),
        (#"{"vulnerabilities": [{"cveID": 7}]}"#, "kev: x: not a KEV catalog: vulnerabilities[0].cveID: expected a string"),
    ])
    func aBrokenCatalogSaysWhy(_ json: String, _ message: String) {
        do {
            _ = try KEVCatalog(json: Array(json.utf8), source: "x")
            Issue.record("decoded: \(json)")
        } catch {
            #expect(String(describing: error) == message)
        }
    }
}
