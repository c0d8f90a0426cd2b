import Foundation
import Models
import Parsing
import Testing

/// What one feed document must give: its format, title, entry count and encoding, and its
/// first and last entries field by field. Checked on our own fixtures (`FeedFixtureTests`)
/// and on the real corpus (`FeedCorpusTests`).
struct FeedSample: Sendable, CustomTestStringConvertible {
    struct Expected: Sendable, CustomTestStringConvertible {
        /// nil for an entry with no guid, id or link: its id is derived (`urn:bulletin:…`).
        var id: String?
        var title: String?
        var link: String?
        var published: String?
        var updated: String?
        var summaryPrefix: String?
        var advisories: [String] = []
        var testDescription: String { title ?? id ?? "derived" }
    }

    var file: String
    var format: FeedFormat
    var feedTitle: String?
    var count: Int
    var first: Expected?
    var last: Expected?
    var encoding: String = "UTF-8"
    var testDescription: String { file }

    /// Parses `data` (the document `file` names) and checks every expectation.
    func check(_ data: Data) throws {
        let feed = try FeedParser().parse([UInt8](data), url: "https://example.com/\(file)")
        #expect(feed.format == format)
        #expect(feed.title == feedTitle)
        #expect(feed.entries.count == count)
        #expect(feed.encoding?.lowercased() == encoding.lowercased())
        for (entry, expected) in [(feed.entries.first, first), (feed.entries.last, last ?? first)] {
            guard let expected else { continue }
            let entry = try #require(entry)
            if let id = expected.id {
                #expect(entry.id == id)
            } else {
                #expect(entry.id.hasPrefix("urn:bulletin:"))
            }
            #expect(entry.title == expected.title)
            #expect(entry.link == expected.link)
            #expect(entry.published.map(Timestamp.rfc3339) == expected.published)
            #expect(entry.updated.map(Timestamp.rfc3339) == expected.updated)
            if let prefix = expected.summaryPrefix {
                #expect(entry.summary?.hasPrefix(prefix) == true, "\(entry.summary ?? "nil")")
            }
            #expect(entry.advisories == expected.advisories)
        }
    }
}
