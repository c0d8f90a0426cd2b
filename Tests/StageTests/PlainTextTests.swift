import Foundation
@testable import Parsing
import TestSupport
import Testing

@Suite struct PlainTextTests {
    @Test(arguments: [
        ("<p>Hello <b>world</b></p><script>alert(1)</script>", "Hello world"),
        ("caf&eacute; &amp; cr&egrave;me", "café & crème"),
        ("<p>one</p><p>two</p>line<br>break", "one two line break"),
        ("Fix for <b>nginx</b> &amp;amp; more", "Fix for nginx &amp; more"),
        ("a&nbsp;&nbsp;b\u{A0}c", "a b c"),
        ("<style>p{}</style>  spaced\n\n  out  ", "spaced out"),
        ("<div><p>unclosed <i>markup", "unclosed markup"),
        ("don\u{92}t", "don’t"),
        ("â\u{80}¦ and cafÃ©", "… and café"),
        ("x < y &", "x < y &"),
        ("<!-- hidden -->shown", "shown"),
        ("&#8220;quoted&#x201D;", "“quoted”"),
    ])
    func htmlBecomesWhatAPersonReads(html: String, text: String) {
        #expect(PlainText.from(html) == text)
    }

    /// Code keeps a mark a reader (and the matcher) can see: Markdown's backticks.
    @Test(arguments: [
        ("Run <code>curl -X POST</code> now", "Run `curl -X POST` now"),
        ("<p>Deploy:</p><pre>name: nginx-deployment\n  image: nginx</pre>then", "Deploy: `name: nginx-deployment image: nginx` then"),
        ("<pre><code>docker run x</code></pre>", "`docker run x`"),
        ("a <kbd>Ctrl</kbd>+<samp>C</samp> b", "a `Ctrl`+`C` b"),
        ("<code> padded </code>", "` padded `"),
        ("stray </code> end", "stray end"),
        ("<code>left open", "`left open`"),
        // Where HTML's rules close or empty the code, libxml2 decides, and the scan leaves it to it.
        ("<p><code>closed by </p> the paragraph", "`closed by ` the paragraph"),
        ("<code/>self-closing", "``self-closing"),
        ("<code><pre>x</pre></code>", "` x `"),
    ])
    func codeIsBetweenBackticksOnBothPaths(html: String, text: String) {
        let bytes = Array(html.utf8)
        #expect(PlainText.from(html) == text)
        #expect(PlainText.viaLibXML(bytes) == text, "libxml2 path")
        if let scanned = PlainText.viaScan(bytes) { #expect(scanned == text, "scan path") }
    }

    /// A `<` or `&` that starts no markup is text the scan reads itself, exactly as libxml2 does.
    @Test(arguments: ["nginx <= 1.25", "x < y &", "1<2 and 3 <3, &1 &2;", "a<-b, a<=b, a<>b, <<", "Q & A; a && b, &&",
                      "ends with <", "ends with &", "& at the start", "a&-b &= &. &;", "<p>a < b</p> & <b>c</b>",
                      "x\n<\ny\t&\tz", "x <) <( <* <. <, <' <\" <= <+"])
    func strayAngleBracketsAndAmpersandsAreTextAsInLibXML(html: String) {
        let bytes = Array(html.utf8)
        let fast = PlainText.viaScan(bytes)
        #expect(fast != nil, "the scan hands it to libxml2")
        #expect(fast == PlainText.viaLibXML(bytes))
    }

    /// Runs of text and text without whitespace are read eight bytes at a time: a double
    /// space, a tab, a tag, a reference or a no-break space at each offset of those words
    /// (and across their edges) reads as libxml2 reads it, and as `collapse` does.
    @Test(arguments: ["  ", " !", "! ", "\t", "<b>", "</i>", "&amp;", "\u{A0}", "\u{92}", " \n ", "é", "x"])
    func eightBytesAtATimeReadAsOneAtATime(piece: String) {
        for offset in 0..<20 {
            let html = "w" + String(repeating: "ab c", count: offset / 4) + String(repeating: "d", count: offset % 4)
                + piece + "efgh ijkl mnop qrst" + piece + "z"
            let bytes = Array(html.utf8)
            #expect(PlainText.viaScan(bytes) == PlainText.viaLibXML(bytes), "\(html.debugDescription)")
            for text in [html, html.filter { $0 != " " }] {
                var collapsed: [UInt8] = []
                PlainText.collapse(Array(text.utf8), into: &collapsed)
                let expected = text.replacingOccurrences(of: "\u{92}", with: "’")
                    .split(whereSeparator: { " \t\n\r\u{0C}\u{A0}".contains($0) }).joined(separator: " ")
                #expect(String(decoding: collapsed, as: UTF8.self) == expected, "\(text.debugDescription)")
            }
        }
    }

    /// `html` reads as libxml2 reads it, whichever path `PlainText` takes (and the scan's
    /// own, where it takes the tag).
    private func expectReadsAsInLibXML(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(html.utf8)
        let libxml = PlainText.viaLibXML(bytes)
        #expect(PlainText.from(html) ?? "" == libxml, sourceLocation: sourceLocation)
        if let scanned = PlainText.viaScan(bytes) { #expect(scanned == libxml, "scan path", sourceLocation: sourceLocation) }
    }

    /// libxml2 reads a quote in a tag as opening a value only after `name=`; any other quote
    /// is skipped with the bogus attribute around it, up to white space or `>`, and the scan
    /// leaves such tags to it. Found by `make fuzz` (feed-html): the scan read `<o">">` as
    /// one tag and lost the text `">`.
    @Test(arguments: [#"<o">">"#, #"<a 1="x>y">z"#, #"<ab="x>y">z"#, #"<a b=x"y>z">w"#, #"<a/b="x>y">z"#, #"<a =">">z"#,
                      #"<a b="x>y">z"#, #"<a b = 'x>y' c="1">z"#,
                      // found by make fuzz (feed-html): a name after `=` and a space is a value
                      #"<o e= e=">">"#, #"<a b= d="x>y">z"#, #"<a b = c='x>y'>z"#, #"<a b=c d="x>y">z"#,
                      // … and an end tag has no values
                      #"<c></c o=">">"#, #"<p>a</p class="x>y">b"#])
    func aQuoteInATagReadsAsInLibXML(html: String) {
        expectReadsAsInLibXML(html)
    }

    /// libxml2's HTML parser reads some prefixed names by the part after the colon
    /// (`<x:pre>` as code), so the scan leaves them to it. Found by `make fuzz` (feed-html):
    /// the scan read `<cha:pre>` as an unknown element and lost the code's backticks.
    @Test(arguments: ["a <cha:pre>b c</cha:pre> d", "<x:code>v</x:code> w", "x<o:p></o:p>y", "<p:br>z", "a</cha:pre>b"])
    func aPrefixedTagReadsAsInLibXML(html: String) {
        let bytes = Array(html.utf8)
        #expect(PlainText.viaScan(bytes) == nil, "left to libxml2")
        #expect(PlainText.from(html) ?? "" == PlainText.viaLibXML(bytes))
    }

    /// An inline element's end tag closes what was opened inside it, as libxml2 reads it; an
    /// unknown element among those separates words there. Found by `make fuzz` (feed-html):
    /// the scan read `<s><e>2</s>.` as "2.", libxml2 as "2 .".
    @Test(arguments: ["<s><e>2</s>.", "<b><x>2</b>.", "<u><p>a</u>b", "<strike><e>2</strike>.", "<b><code>x</b>y",
                      "<p><b>x</p>y", "<p>a <b>bold</b> b</p>c", "<b><i>x</b>y</i>z", "a</b>c", "<e><b>x</e>y</b>z",
                      "<b/><e>x</b>y"])
    func anInlineEndTagClosesWhatItHoldsAsInLibXML(html: String) {
        expectReadsAsInLibXML(html)
    }

    /// The common case stays the scan's: inline elements closed in order inside a paragraph.
    @Test func inlineElementsInsideAParagraphStayTheScans() {
        #expect(PlainText.viaScan(Array("<p>a <b>bold</b> and <i>it</i></p><p>b</p>".utf8)) == "a bold and it b")
        #expect(PlainText.viaScan(Array("<s><e>2</s>.".utf8)) == nil, "left to libxml2")
    }

    @Test func theFuzzersPrefixedPreIsCode() {
        let found: [UInt8] = [0x00, 0x73, 0xA7, 0x6F, 0x6E, 0x3D, 0x22, 0x32, 0x2E, 0x30, 0x22, 0x3E, 0x0A, 0xA3, 0x3C, 0x63,
                              0x68, 0x61, 0x3A, 0x70, 0x72, 0x65, 0x3E, 0x61, 0x20, 0x74, 0x29, 0x63]
        let html = Array(String(decoding: found.filter { $0 >= 0x20 || $0 == 0x0A }, as: UTF8.self).utf8)
        #expect(PlainText.viaScan(html) == nil)
        #expect(PlainText.viaLibXML(html).contains("`a t)c`"), "\(PlainText.viaLibXML(html).debugDescription)")
    }

    @Test func theFuzzersQuoteInATagKeepsTheTextAfterIt() {
        #expect(PlainText.from(#"<o">">"#) == #"">"#)
        #expect(PlainText.viaScan(Array(#"<a b="x>y">z"#.utf8)) == "z", "a value's quotes are still the scan's")
    }

    /// libxml2 ignores an end tag that closes no open element, so it separates no words and
    /// ends no code, and closes elements left open by its own rules. Found by `make fuzz`
    /// (feed-html): the scan read "\u{FFFD}</o>\u{FFFD}" as two words, and `<code></pre>s`
    /// as "`` s".
    @Test(arguments: ["\u{FFFD}</o>\u{FFFD}", "a</div>b", "a</br>b", "<div>a</o>b</div>", "<li>a<li>b</li>c</li>d",
                      "<dt>a<dd>b</dt>c", "<p>a<div>b</div>c</p>d", "a<br></br>b", "<div/>a</div>b", "<p>a<hr>b</p>c",
                      "<code></pre>s", "<code>a</kbd>b</code>c", "<p><code>a</code></p><pre>b</pre>c"])
    func anEndTagThatClosesNothingReadsAsInLibXML(html: String) {
        expectReadsAsInLibXML(html)
    }

    @Test func wellNestedBlocksStayOnTheScan() {
        #expect(PlainText.viaScan(Array("<div><p>a</p><ul><li>b</li><li>c<br>d</li></ul></div>e<hr/>f".utf8))
            == "a b c d e f")
        #expect(PlainText.from("\u{FFFD}</o>\u{FFFD}") == "\u{FFFD}\u{FFFD}")
        #expect(PlainText.from("<code></pre>s") == "`s`")
    }

    /// libxml2 drops a `<` that comes before any text; the scan leaves that to it.
    @Test func aStrayAngleBracketBeforeAnyTextIsDropped() {
        #expect(PlainText.viaScan(Array("<= 1.2".utf8)) == nil)
        #expect(PlainText.from("<= 1.2") == "= 1.2")
    }

    @Test func nothingReadableIsNil() {
        #expect(PlainText.from("  <br/> &#32; ") == nil)
        #expect(PlainText.from(nil) == nil)
    }

    /// The one-pass scan must read markup exactly as libxml2's HTML parser does, wherever it
    /// does not hand the text over: checked on every description of our fixture feeds here,
    /// and of the whole corpus in `ParsingCorpusTests`.
    @Test func theFastScanAgreesWithLibXMLOnTheFixtures() throws {
        let files = TestPaths.fixtureFeeds.map { TestPaths.fixture($0) }
        #expect(try Self.compareFastScanWithLibXML(files) >= 12)
    }

    /// Compares the scan with libxml2 on the first 20 descriptions of each file; returns how
    /// many were compared.
    static func compareFastScanWithLibXML(_ files: [URL]) throws -> Int {
        var compared = 0
        for url in files {
            let file = url.lastPathComponent
            let data = try Data(contentsOf: url)
            guard let text = String(data: data, encoding: .utf8) else { continue }
            // The escaped HTML of titles and descriptions, decoded as the XML reader would.
            for field in text.split(separator: "<description>").dropFirst().prefix(20) {
                guard let end = field.range(of: "</description>") else { continue }
                var html = String(field[..<end.lowerBound])
                if html.hasPrefix("<![CDATA[") && html.hasSuffix("]]>") {
                    html = String(html.dropFirst(9).dropLast(3))
                } else {
                    guard !html.contains("<") else { continue }
                    html = html.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
                }
                let bytes = Array(html.utf8)
                guard let fast = PlainText.viaScan(bytes) else { continue }
                compared += 1
                #expect(fast == PlainText.viaLibXML(bytes), "\(file): \(html.prefix(200))")
            }
        }
        return compared
    }
}

@Suite struct AdvisoriesTests {
    @Test(arguments: [
        ("Fixes CVE-2023-44487 and cve-2024-3094.", ["CVE-2023-44487", "CVE-2024-3094"]),
        ("GHSA-4VQ8-7jfc-9cvp, again ghsa-4vq8-7jfc-9cvp", ["GHSA-4vq8-7jfc-9cvp"]),
        ("USN-6543-1: OpenSSL vulnerabilities", ["USN-6543-1"]),
        ("DSA-5678-1 glibc, DLA-3456-2 and [DSA 5000-1] openssl", ["DSA-5678-1", "DLA-3456-2", "DSA-5000-1"]),
        ("ALAS-2024-1234 ALAS2-2024-2500 ALAS2023-2024-600 ALAS2KERNEL-5.10-2024-045",
         ["ALAS-2024-1234", "ALAS2-2024-2500", "ALAS2023-2024-600", "ALAS2KERNEL-5.10-2024-045"]),
        ("RHSA-2024:1234 and AWS-2024-002, GCP-2023-001", ["RHSA-2024:1234", "AWS-2024-002", "GCP-2023-001"]),
        ("https://nvd.nist.gov/vuln/detail/CVE-2021-44228 (log4shell)", ["CVE-2021-44228"]),
        ("XCVE-2024-1234, CVE-2024-12, CVE-2024-123456789, DSA 1024-bit keys, MYAWS-2024-001", []),
        // Hyphens around and between ids, and ids that start one word before their hyphen.
        ("CVE-2024-1234-CVE-2024-5678, use-after-free in -CVE-2022-0002-", ["CVE-2024-1234", "CVE-2024-5678", "CVE-2022-0002"]),
        ("x-DSA 5678-1 and DSA-1234 5678-1; DLA 3456-2-DSA 1-1 DSA 123-1", ["DSA-5678-1", "DSA-1234", "DLA-3456-2", "DSA-123-1"]),
        ("ghsa-4VQ8-7jfc-9cvp-x GHSA-2345-6789-gcp2-GCP-2024-001", ["GHSA-4vq8-7jfc-9cvp", "GHSA-2345-6789-gcp2", "GCP-2024-001"]),
        ("foo_CVE-2024-1234 Ü-CVE-2024-9999 CVE-2024-8888é -- CVE--2024-1 CVE-2024-", ["CVE-2024-9999", "CVE-2024-8888"]),
    ])
    func idsAreFoundInOrderAndCanonical(text: String, ids: [String]) {
        #expect(Advisories.find(in: text) == ids)
    }

    @Test func titleComesBeforeSummaryAndRepeatsAreDropped() {
        #expect(Advisories.find(in: "USN-1-1 CVE-2024-0001", "CVE-2024-0002 CVE-2024-0001") == ["CVE-2024-0001", "CVE-2024-0002"])
    }
}
