import Testing
@testable import Parsing

/// What decides that a document is repaired before it is read (`DocumentRepair`), and
/// that a repair changes only what it must.
@Suite struct DocumentRepairTests {
    private func worthRepairing(_ text: String) -> Bool {
        Array(text.utf8).withUnsafeBufferPointer(DocumentRepair.isWorthRepairingFirst)
    }

    private func repaired(_ text: String) -> String? {
        Array(text.utf8).withUnsafeBufferPointer { DocumentRepair.repair($0, utf8: true) }
            .map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// An `&` in a CDATA section or a comment is text: HTML summaries in CDATA, `&nbsp;`
    /// and all, are read as they come, with no pass over the document first.
    @Test(arguments: [
        ("<rss><d><![CDATA[<p>a&nbsp;b &mdash; AT&T</p>]]></d></rss>", false),
        ("<rss><!-- AT&T --><d>x &amp; y &#233; &lt;p&gt;</d></rss>", false),
        ("<rss><d><![CDATA[ok]]> AT&T</d></rss>", true),
        ("<rss><d>&nbsp;</d></rss>", true),
        ("<rss><d><![CDATA[never closed &nbsp;", false),
        ("<rss><d>&#0;</d></rss>", true),
        ("<rss><d>&#x41;&quot;&apos;&gt;</d></rss>", false),
    ])
    func anAmpersandOutsideCDATAAndCommentsMakesARepairFirst(_ document: String, _ worth: Bool) {
        #expect(worthRepairing(document) == worth)
    }

    @Test func aLongCDATASectionIsStillCutBeforeReading() {
        let long = "<rss><d><![CDATA[" + String(repeating: "x", count: DocumentRepair.maxTextRun + 10) + "]]></d></rss>"
        #expect(worthRepairing(long))
    }

    /// Kept bytes are copied in pieces: everything around what is mended stays byte for byte.
    @Test func aRepairChangesOnlyWhatItMends() {
        let text = "<rss><t>caf\u{E9} \u{2014} &lt;b&gt; AT&T \u{1}x &nbsp;<![CDATA[a&b\u{1}]]><!-- c --></t></rss>"
        #expect(repaired(text) == "<rss><t>caf\u{E9} \u{2014} &lt;b&gt; AT&amp;T x &#160;<![CDATA[a&b]]><!-- c --></t></rss>")
        #expect(repaired("<rss><t>nothing to mend &amp; &#x41;</t></rss>") == nil)
    }
}
