import FoundationEssentials
import Models

/// The fields of one item/entry as they are read, each kept by where it came from until
/// the entry ends and the contract's order of preference decides (see README.md).
struct EntryBuilder {
    var title: String?
    var dcTitle: String?
    var link: String?
    var alternateLink: String?
    /// True in Atom: `alternateLink` wins over `link` (a `link` element's text).
    var alternateLinkWins = false
    var guid: String?
    var guidIsPermaLink = true
    var atomID: String?
    var about: String?
    var dcIdentifier: String?
    var pubDate: Date?
    var dcDate: Date?
    var atomPublished: Date?
    var dcTermsIssued: Date?
    var atomUpdated: Date?
    var dcTermsModified: Date?
    var lastBuildDate: Date?
    var description: String?
    var content: String?
    var dcDescription: String?
    var authors: [String] = []
    var categories: [String] = []

    mutating func addAuthor(_ name: String?) {
        guard var name else { return }
        // RSS writes "jdoe@example.com (John Doe)": the name is what a person reads.
        if name.hasSuffix(")"), let open = name.firstIndex(of: "("), name[..<open].contains("@") {
            let inner = name[name.index(after: open)..<name.index(before: name.endIndex)]
            if !inner.isEmpty { name = String(inner) }
        }
        if !authors.contains(name) { authors.append(name) }
    }

    mutating func addCategory(_ term: String?) {
        guard let term, !categories.contains(term) else { return }
        if categories.isEmpty { categories.reserveCapacity(4) }  // not grown one term at a time
        categories.append(term)
    }

    func build() -> FeedEntry {
        let title = title ?? dcTitle
        var link = alternateLinkWins ? alternateLink ?? link : link ?? alternateLink
        if link == nil, guidIsPermaLink, let guid, guid.hasPrefix("http://") || guid.hasPrefix("https://") {
            link = guid  // RSS 2.0: a permalink guid is the entry's link
        }
        let published = pubDate ?? dcDate ?? atomPublished ?? dcTermsIssued
        let updated = atomUpdated ?? dcTermsModified ?? lastBuildDate
        let summary = description ?? content ?? dcDescription
        let id = guid ?? atomID ?? about ?? dcIdentifier ?? link ?? Self.derivedID(title, published ?? updated, summary)
        return FeedEntry(id: id, title: title, link: link, published: published, updated: updated,
                         summary: summary, authors: authors, categories: categories,
                         advisories: Advisories.find(in: title, summary))
    }

    /// An id that is the same on every fetch of the same entry: a hash of its title and
    /// date, and of its summary when it has neither.
    static func derivedID(_ title: String?, _ date: Date?, _ summary: String?) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a 64
        let seconds = date.map { String(Int64($0.timeIntervalSince1970)) } ?? ""
        let text = title == nil && date == nil ? summary ?? "" : title ?? ""
        for byte in text.utf8 + [0] + seconds.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "urn:bulletin:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
