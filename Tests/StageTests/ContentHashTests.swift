@testable import Storage
import Testing

/// The content hash is stored with every entry, so a faster implementation must give the
/// very same 16 hex digits as the plain FNV-1a below, or every stored entry would look revised.
@Suite struct ContentHashTests {
    /// 64-bit FNV-1a over each field's presence byte, its UTF-8 bytes and a 0x1f separator.
    private func reference(_ title: String?, _ summary: String?) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for field in [title, summary] {
            for byte in [field == nil ? 0 : 1] + Array((field ?? "").utf8) + [0x1f] {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    @Test(arguments: [
        (nil, nil), ("", nil), (nil, ""), ("", ""), ("a", "b"), ("ab", ""), ("", "ab"),
        ("USN-6543-1: OpenSSL vulnerabilities", "Several security issues were fixed in OpenSSL."),
        ("Café naïve — 漢字 🎉", "NUL \u{0} inside, and \u{1f} the separator itself"),
        (String(repeating: "long title ", count: 2_000), String(repeating: "x", count: 100_000)),
    ] as [(String?, String?)])
    func givesTheSameDigitsAsPlainFNV1a(title: String?, summary: String?) {
        let hash = ContentHash.of(title: title, summary: summary)
        #expect(hash == reference(title, summary))
        #expect(hash.utf8.count == 16)
    }

    @Test func missingAndEmptyFieldsAndFieldBordersAreToldApart() {
        let hashes = [ContentHash.of(title: nil, summary: nil), ContentHash.of(title: "", summary: nil),
                      ContentHash.of(title: nil, summary: ""), ContentHash.of(title: "ab", summary: ""),
                      ContentHash.of(title: "a", summary: "b"), ContentHash.of(title: "", summary: "ab")]
        #expect(Set(hashes).count == hashes.count)
    }
}
