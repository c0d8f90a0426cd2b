import Digest
import Testing

/// How many terminal columns text takes: what underlines and table columns are measured in.
@Suite struct DisplayColumnsTests {
    @Test(arguments: [
        ("Feed health", 11), ("Zoë", 3), ("Zoe\u{0301}", 3), ("セキュリティ", 12), ("보안 공지", 9),
        ("ＡＢＣ", 6), ("🔥 hot", 6), ("a\u{200F}b", 2), ("", 0), ("中文 and ascii", 14),
    ])
    func columns(text: String, expected: Int) {
        #expect(DisplayText.columns(text) == expected)
    }
}
