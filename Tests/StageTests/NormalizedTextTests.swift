import Matching
import Testing

@Suite struct NormalizedTextTests {
    @Test(arguments: [
        ("NGINX's", "nginx s"),
        ("  nginx/1.25 (stable) ", "nginx 1 25 stable"),
        ("Café CRÈME brûlée", "cafe creme brulee"),
        ("Cafe\u{301}", "cafe"),
        ("Straße ÆON œuvre ﬁle", "strasse aeon oeuvre file"),
        ("ΣΟΦΟΣ σοφός", "σοφοσ σοφοσ"),
        ("日本語 テキスト", "日本語 テキスト"),
        ("emoji 🔥 here", "emoji here"),
        ("", ""),
        ("!!!", ""),
        ("tab\tand\nnewline\u{0}nul", "tab and newline nul"),
    ])
    func normalizes(_ input: String, _ expected: String) {
        #expect(String(decoding: NormalizedText(input).bytes, as: UTF8.self) == expected)
    }

    @Test func everyByteKnowsWhereItCameFrom() {
        let text = NormalizedText("Ünï-code")
        #expect(text.bytes.count == text.origins.count)
        // "u" came from "Ü" at 0, "c" from offset 5 (Ü and ï take two bytes each, then "-").
        #expect(text.origins.first == 0)
        #expect(text.originalRange(of: 4..<8, in: "Ünï-code") == 6..<10)
    }

    @Test func hostileInputStaysLinear() {
        let big = String(repeating: "a\u{301}-", count: 200_000)
        #expect(NormalizedText(big).bytes.count == 399_999)
    }
}
