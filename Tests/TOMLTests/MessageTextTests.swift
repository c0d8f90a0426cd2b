import Testing
import TOML

/// Text from a configuration file made safe for an error message.
@Suite struct MessageTextTests {
    @Test(arguments: [
        ("plain 'key' text", "plain 'key' text"),
        ("a\r\nb", "a\\r\\nb"),
        ("tab\there", "tab\\there"),
        ("\u{1B}[31mred", "\\u{1B}[31mred"),
        ("\u{202E}evil\u{2066}", "\\u{202E}evil\\u{2066}"),
        ("nul\u{0}", "nul\\u{0}"),
        ("c1\u{85}", "c1\\u{85}"),
        ("café ünïcode", "café ünïcode"),
    ])
    func controlAndBidiCharactersAreEscaped(text: String, expected: String) {
        #expect(MessageText.safe(text) == expected)
    }

    @Test func aLongQuotedSegmentIsCutInItsMiddle() {
        let key = String(repeating: "x", count: 100)
        #expect(MessageText.safe("unknown key '\(key)' in 'table'")
            == "unknown key '" + String(repeating: "x", count: 32) + "…(100 characters)…" + String(repeating: "x", count: 16)
            + "' in 'table'")
    }

    @Test func aShortQuotedSegmentAndAnUnpairedQuoteAreKept() {
        let long = String(repeating: "y", count: 100)
        #expect(MessageText.safe("it's '\(String(repeating: "z", count: 64))'") == "it's '\(String(repeating: "z", count: 64))'")
        #expect(MessageText.safe("tail '" + long) == "tail '" + long)
    }

    @Test func aHugeMessageStaysShort() {
        let key = String(repeating: "k", count: 1_000_000)
        #expect(MessageText.safe("'\(key)\n' is already defined").count < 120)
    }
}
