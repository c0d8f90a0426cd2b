import Digest
import Testing

/// Feed text made safe for the digest (`DisplayText`).
@Suite struct DisplayTextTests {
    /// A prepended mark (U+0600 and the like) and the space after it are one Character, so
    /// the space was kept as text: a trailing space, or two in a row. Found by `make fuzz`
    /// (sanitizer) with "\u{600} ".
    @Test(arguments: [("\u{600} ", "\u{600}"), ("a \u{600} \u{600}  b", "a \u{600} \u{600} b"),
                      ("\u{600}\u{A0}x", "\u{600} x"), ("x\u{600}\u{3000}", "x\u{600}")])
    func whiteSpaceJoinedToAPrependedMarkStillBreaksWords(text: String, clean: String) {
        #expect(DisplayText.clean(text, limit: 300) == clean)
    }

    @Test func plainTextIsCollapsedAndCut() {
        #expect(DisplayText.clean("  a\t\nb \u{1B}[31m c\u{202E}d  ", limit: 300) == "a b [31m cd")
        #expect(DisplayText.clean(String(repeating: "word ", count: 100), limit: 20) == "word word word word…")
    }
}
