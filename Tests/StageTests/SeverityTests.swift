import Foundation
import TestSupport
@testable import Matching
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

    /// Texts the byte reader could read differently from the patterns it replaces: word
    /// boundaries as Unicode draws them, Characters that join letters, lazy windows, backtracking.
    @Test(arguments: [
        // A colon joins letters into one word (UAX #29), a space does not.
        ("Severity:High", nil as Severity?, nil as Double?),
        ("Severity: High", .high, nil),
        ("severity\u{2019}high", nil, nil),  // a right single quote joins words too
        ("severity\r\nhigh", .high, nil),     // CR LF is one Character, not a line feed
        ("severity\nhigh", nil, nil),
        ("severity. high", nil, nil),
        ("severity 1234567890123456789 high", nil, nil),  // 21 characters before the word: beyond the window
        ("severity 123456789012345678 high", .high, nil),
        ("severity \u{E9}\u{301}\u{E9}\u{301}\u{E9}\u{301}\u{E9}\u{301}\u{E9}\u{301}\u{E9}\u{301} low", .low, nil),
        ("severity \u{6F0F}\u{6D1E}high", .high, nil),  // ideographs are not letters of a word
        ("severity \u{5D0}high", nil, nil),               // a Hebrew letter is
        ("severity high\u{301}", nil, nil),               // a combining mark makes another letter
        ("severity\u{AD} high", nil, nil),                // a soft hyphen belongs to the word before
        ("highlights severity", nil, nil),
        ("high_severity", nil, nil),
        ("high --  severity", .high, nil),
        ("medium priority", .medium, nil),
        ("rated as" + String(repeating: " ", count: 38) + "low", nil, nil),
        ("rated as" + String(repeating: " ", count: 37) + "low", .low, nil),
        ("  Moderate  : x", .medium, nil),
        ("x Moderate: y", nil, nil),
        ("(LOW)(critical)", .critical, nil),
        // Scores: the first way the pattern matches decides, as a backtracking regex does.
        ("CVSS 3.1 x", .low, 3.1),
        ("CVSS 3.1 base score", nil, nil),
        ("cvss 3.1 \u{669}.\u{668}", nil, nil),  // Arabic-Indic digits match \d and make no number
        ("cvss 9.8.1", nil, nil),
        ("cvss 9.8, 7.5", .critical, 9.8),
        ("cvss 9.8a", nil, nil),
        ("xcvss 9.8", nil, nil),
        ("cvssv3.1: 7.5", .high, 7.5),
        ("CVSSv3 v3.0 is 5.0", .medium, 5.0),
        ("base score of 10.0", .critical, 10.0),
        ("base 11.0", nil, nil),
        ("base 7.5 score", nil, nil),
        ("cvss 9.8/", nil, nil),
        ("cvss\u{A0}6.5", .medium, 6.5),
        // Vectors are read as written: case counts, and so do the Characters around them.
        ("av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h", nil, nil),
        ("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\u{301}", nil, nil),
        ("\u{E9}AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", .critical, 9.8),
        ("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:HAV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", .critical, 9.8),
        ("AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", nil, nil),
        ("", nil, nil),
        ("h", nil, nil),
        ("low", nil, nil),
    ])
    func edgesOfThePatterns(_ text: String, _ severity: Severity?, _ score: Double?) {
        let read = SeverityReader.read(title: text, summary: nil)
        #expect(read.severity == severity && read.cvss == score, "\(text.debugDescription): \(read)")
        let reference = SeverityRegexReference.read(title: text, summary: nil)
        #expect(read.severity == reference.severity && read.cvss == reference.cvss, "\(text.debugDescription): \(reference)")
    }

    /// The byte reader reads what the Regex patterns read, on texts made at random (the same
    /// every run) of the pieces the patterns look at, and of Characters that change them.
    @Test func theByteReaderAgreesWithTheRegexesOnMixedPieces() {
        let pieces = ["severity", "Severity", "SEVERITY", "rated", "priority", "critical", "High", "high", "IMPORTANT",
                      "moderate", "medium", "Low", "lowest", "(", ")", ":", ".", "-", "_", " ", "  ", "\n", "\r\n", "\r",
                      "\t", "cvss", "CVSS", "v", "3", "3.1", "v3.0", "base", "score", "of", "is", "=", "/", "9.8", "10.0",
                      "7", "5.", "vector", "\u{669}", "\u{BD}", "\u{E9}", "\u{301}", "\u{AD}", "\u{2019}", "'", ",",
                      "\u{6F0F}", "\u{30AB}", "\u{5D0}", "x", "4", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/",
                      "AV:L/AC:H/PR:H/UI:R/S:C/C:L/I:N/A:N", "\u{212A}", "\u{130}", "\u{1F600}", "\u{200D}", "\u{2028}",
                      "\u{A0}", "\u{3000}", "\u{661}", "\u{2014}", "\u{2122}", "\u{600}", "\u{20DD}", "\u{FE0F}",
                      "\u{85}", "\u{2BFF}", "\u{2C00}"]
        var random = SplitMix64(seed: 16)
        var disagreements: [String] = []
        var stated = 0
        for _ in 0..<20_000 {
            let text = (0..<(1 + random.next() % 14)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            let read = SeverityReader.read(title: text, summary: nil)
            let reference = SeverityRegexReference.read(title: text, summary: nil)
            if reference.severity != nil { stated += 1 }
            if read.severity != reference.severity || read.cvss != reference.cvss {
                disagreements.append("\(text.debugDescription): \(read) vs \(reference)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count): \(disagreements.prefix(8).joined(separator: "\n"))")
        #expect(stated > 2_000, "only \(stated) texts state a severity: the pieces test too little")
    }

    /// Oversized text is read whole, in one pass: a severity far into it still counts.
    @Test func aLongHostileTextIsReadToItsEnd() {
        let text = String(repeating: "severityseverity (hig) cvss 3.1 vector AV:N/", count: 50_000) + "Severity: low"
        let read = SeverityReader.read(title: nil, summary: text)
        #expect(read.severity == .low && read.cvss == nil)
        let words = String(repeating: "\u{E9}severity ", count: 100_000) + "rated as critical"
        #expect(SeverityReader.read(title: words, summary: nil).severity == .critical)
    }

    /// The scalars the reader takes as Characters of their own without asking the standard
    /// library's grapheme breaking: each is one between ASCII letters, beside itself and beside
    /// the next such scalar, and a whitespace or a number exactly when its Character is.
    @Test func everyLoneScalarIsACharacterOfItsOwn() {
        var wrong: [String] = []
        for value in UInt32(0x80)...0x2FFF where SeverityReader.isLoneScalar(value) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let character = Character(scalar)
            if "a\(scalar)a".count != 3 || "\(scalar)\(scalar)".count != 2
                || SeverityReader.isLoneScalar(value + 1) && "\(scalar)\(Unicode.Scalar(value + 1)!)".count != 2
                || character.isWhitespace != scalar.properties.isWhitespace
                || character.isNumber != (scalar.properties.numericType != nil) {
                wrong.append(String(value, radix: 16))
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(20))")
    }

    /// A category is a severity when it is one severity word, spaces around it aside.
    @Test(arguments: [
        ("High", Severity.high), ("  critical\n", .critical), ("IMPORTANT", .high), ("moderate", .medium),
        ("low priority", nil), ("", nil), (" ", nil), ("lowest", nil), ("high\u{A0}", .high), ("\u{3000}low", .low),
        ("medium\u{301}", nil), ("caf\u{E9}", nil), ("Severity: High", nil), ("high-risk", nil), ("\tlow\t", .low),
    ])
    func aCategoryThatIsOneSeverityWordIsThatSeverity(_ category: String, _ severity: Severity?) {
        #expect(SeverityReader.severityWord(category) == severity)
        let words = category.split(whereSeparator: \.isWhitespace)
        #expect((words.count == 1 ? Severity(word: String(words[0])) : nil) == severity, "the reading before the bytes")
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

/// SplitMix64: a small generator whose numbers are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
