import Foundation
import Models
import Parsing
import Testing

/// The parser stays linear and honest: a bare `&` before megabytes of text, a declaration
/// the bytes contradict, and a bound on time; whatever is lost is said (`missingEntries`).
@Suite struct ParserBoundsTests {
    private func rss(_ items: String, declaration: String = "") -> [UInt8] {
        Array((declaration + "<rss version=\"2.0\"><channel><title>t</title>\(items)</channel></rss>").utf8)
    }

    @Test func aBareAmpersandBeforeMuchTextKeepsEveryEntry() throws {
        let text = String(repeating: "é", count: 200_000)
        let feed = try FeedParser().parse(rss("<item><title>a &\(text)</title></item><item><title>after</title></item>"),
                                          url: "amp.xml")
        #expect(feed.entries.map(\.title) == ["a &" + text, "after"])
        #expect(feed.notes.contains("repaired 1 bare '&' (as '&amp;')"))
        #expect(feed.missingEntries == nil)
    }

    @Test func aLongEntityNameIsABareAmpersand() throws {
        let name = String(repeating: "é", count: 100_000)
        let feed = try FeedParser().parse(rss("<item><title>&\(name);</title></item>"), url: "amp.xml")
        #expect(feed.entries.first?.title == "&\(name);")
    }

    @Test(arguments: ["UTF-16", "UTF-16LE", "utf-16be", "UTF-32", "UCS-4", "UCS-2", "EBCDIC-US", "ISO-10646-UCS-2"])
    func anASCIIDocumentDeclaringAWideEncodingIsReadAsUTF8(encoding: String) throws {
        let feed = try FeedParser().parse(rss("<item><title>café</title></item>",
                                              declaration: "<?xml version=\"1.0\" encoding=\"\(encoding)\"?>"),
                                          url: "wide.xml")
        #expect(feed.entries.map(\.title) == ["café"])
        #expect(feed.encoding == "UTF-8")
        #expect(feed.notes.contains { $0.hasPrefix("declares \(encoding), but its bytes are ASCII-compatible") })
    }

    @Test func aWideEncodingServedOverHTTPForASCIIBytesIsReadAsUTF8() throws {
        let feed = try FeedParser().parse(rss("<item><title>plain</title></item>"), url: "wide.xml", encoding: "utf-16")
        #expect(feed.entries.map(\.title) == ["plain"])
    }

    @Test func aRealUTF16DocumentIsStillReadAsUTF16() throws {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\"><channel><item><title>café</title></item></channel></rss>"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in xml.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let feed = try FeedParser().parse(bytes, url: "utf16.xml")
        #expect(feed.entries.map(\.title) == ["café"])
    }

    private func utf16(_ text: String, bigEndian: Bool = false, bom: Bool = true) -> [UInt8] {
        var bytes: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in text.utf16 {
            bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        return bytes
    }

    @Test(arguments: [(false, true, "UTF-16"), (true, true, "UTF-16"), (false, false, "UTF-16LE"), (true, false, "UTF-16BE")])
    func aUTF16DocumentGetsTheSameRepairsAndBounds(bigEndian: Bool, bom: Bool, encoding: String) throws {
        let text = String(repeating: "é", count: 5_500_000)  // 11 MB in UTF-16, one text node
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\"><channel><item><title>AT&T 🔥</title>"
            + "<description>\(text)</description></item><item><title>after</title></item></channel></rss>"
        let feed = try FeedParser().parse(utf16(xml, bigEndian: bigEndian, bom: bom), url: "utf16.xml")
        #expect(feed.entries.map(\.title) == ["AT&T 🔥", "after"])
        #expect(feed.entries.first?.summary?.utf8.count ?? 0 > FeedLimits.maxFieldBytes - 4)
        #expect(feed.encoding == encoding)
        #expect(feed.missingEntries == nil)
        #expect(feed.notes.contains("repaired 1 bare '&' (as '&amp;')"))
        #expect(!feed.notes.contains { $0.contains("declares") })
    }

    @Test func brokenUTF16IsReadWithReplacementsAndSaidSo() throws {
        var bytes = utf16("<rss version=\"2.0\"><channel><item><title>a")
        bytes += [0x00, 0xD8]  // an unpaired high surrogate
        bytes += utf16("b</title></item></channel></rss>", bom: false) + [0x41]  // and an odd last byte
        let feed = try FeedParser().parse(bytes, url: "broken16.xml")
        #expect(feed.entries.map(\.title) == ["a\u{FFFD}b"])
        #expect(feed.notes.first == "read code units that are not well-formed UTF-16 as U+FFFD")
    }

    @Test func theTimeBoundStopsTheReadingKeepsWhatWasReadAndSaysSo() throws {
        var parser = FeedParser()
        parser.timeLimit = .zero
        let feed = try parser.parse(rss(String(repeating: "<item><title>e</title></item>", count: 5000)), url: "slow.xml")
        #expect(feed.entries.count < 5000)
        #expect(feed.missingEntries?.contains("the per-feed parse bound") == true)
        #expect(feed.notes.contains { $0.contains("the per-feed parse bound") })
    }

    @Test func aCleanFeedMissesNoEntries() throws {
        let feed = try FeedParser().parse(rss(String(repeating: "<item><title>e</title></item>", count: 5000)), url: "ok.xml")
        #expect(feed.entries.count == 5000)
        #expect(feed.missingEntries == nil)
    }
}
