@testable import Digest
import Testing

/// Each format's escaping of feed text, scalar by scalar: a markup character with a combining
/// mark after it is one `Character` (`"<\u{338}"` is "≮"), and is escaped all the same.
/// Found by `make fuzz` (sanitizer): `&` before U+033D came out of `HTMLRenderer.escape` bare.
@Suite struct DigestEscapingTests {
    @Test func anAmpersandWithACombiningMarkIsAReference() {
        #expect(HTMLRenderer.escape("&\u{33D}") == "&amp;\u{33D}")
        #expect(AtomRenderer.escape("&\u{33D}") == "&amp;\u{33D}")
        #expect(SlackRenderer.escape("&\u{33D}") == "&amp;\u{33D}")
    }

    @Test(arguments: ["<\u{338}script>alert(1)<\u{338}/script>", "\"\u{301} onmouseover=\"x", "'\u{301}", ">\u{20DD}",
                      "<\u{200D}!channel>"])
    func aMarkupCharacterWithACombiningMarkIsEscaped(text: String) {
        for (format, escaped, markup) in [("HTML", HTMLRenderer.escape(text), "<>\"'"), ("Atom", AtomRenderer.escape(text), "<>\"'"),
                                          ("Slack", SlackRenderer.escape(text), "<>")] {
            #expect(!escaped.unicodeScalars.contains { markup.unicodeScalars.contains($0) },
                    "\(format): \(escaped.debugDescription)")
        }
        #expect(HTMLRenderer.escape(text).unicodeScalars.filter { $0 == "&" }.count
            == text.unicodeScalars.filter { "<>\"'&".unicodeScalars.contains($0) }.count)
    }
}
