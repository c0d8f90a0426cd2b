import FoundationEssentials
import Models

/// Makes `FeedEntry`s of the entries the reader found (`RawEntries`), in document order:
/// HTML to plain text, whitespace collapsed, dates read, links resolved, the contract's
/// order of preference applied (`EntryBuilder`), ids derived and told apart.
///
/// Each entry's fields are taken in the order they were read, and where the first one of a
/// kind wins, a later one is skipped exactly as if the reader had not gathered it: a
/// `description` after one whose text was not empty, a `content` after a description or a
/// content, a link's text after a link. Such a field's truncation is not counted either.
struct EntryFinisher {
    /// Text fields cut at `FeedLimits.maxFieldBytes`.
    private(set) var fieldsCut = 0
    private var seenIDs: [String: Int] = [:]
    private var scratch: [UInt8] = []
    private var dateBytes: [UInt8] = []

    init() {}

    /// Hands each entry of `batch` to `deliver`, finished, in order.
    mutating func finish(_ batch: RawEntries, deliver: (FeedEntry) -> Void) {
        batch.bytes.withUnsafeBufferPointer { bytes in
            for raw in batch.entries {
                var entry = EntryBuilder()
                entry.about = raw.about
                entry.guidIsPermaLink = raw.guidIsPermaLink
                entry.alternateLink = raw.alternateLink
                entry.alternateLinkWins = raw.alternateLinkWins
                var authorName: String?
                var authorEmail: String?
                for field in batch.fields[raw.fields] {
                    let text = UnsafeBufferPointer(rebasing: bytes[field.range])
                    switch field.field {
                    case .description where entry.description != nil,
                         .content where entry.description != nil || entry.content != nil,
                         .encodedContent where entry.content != nil,
                         .link where entry.link != nil:
                        continue  // the reader of old never gathered it
                    default: break
                    }
                    if field.truncated { fieldsCut += 1 }
                    switch field.field {
                    case .title: if entry.title == nil { entry.title = html(text) }
                    case .dcTitle: if entry.dcTitle == nil { entry.dcTitle = html(text) }
                    case .description: entry.description = html(text)
                    case .content, .encodedContent: entry.content = html(text)
                    case .dcDescription: if entry.dcDescription == nil { entry.dcDescription = html(text) }
                    case .author: entry.addAuthor(html(text))
                    case .authorStart:
                        authorName = nil
                        authorEmail = nil
                    case .authorName: authorName = html(text)
                    case .authorEmail: authorEmail = plain(text)
                    case .authorEnd: entry.addAuthor(authorName ?? authorEmail)
                    case .category: entry.addCategory(html(text))
                    case .link: if let link = plain(text) { entry.link = URLResolver.resolve(link, against: field.base) }
                    case .guid: if entry.guid == nil { entry.guid = plain(text) }
                    case .atomID: if entry.atomID == nil { entry.atomID = plain(text) }
                    case .dcIdentifier: if entry.dcIdentifier == nil { entry.dcIdentifier = plain(text) }
                    case .pubDate: if entry.pubDate == nil { entry.pubDate = date(text) }
                    case .dcDate: if entry.dcDate == nil { entry.dcDate = date(text) }
                    case .atomPublished: if entry.atomPublished == nil { entry.atomPublished = date(text) }
                    case .dcTermsIssued: if entry.dcTermsIssued == nil { entry.dcTermsIssued = date(text) }
                    case .atomUpdated: if entry.atomUpdated == nil { entry.atomUpdated = date(text) }
                    case .dcTermsModified: if entry.dcTermsModified == nil { entry.dcTermsModified = date(text) }
                    case .lastBuildDate: if entry.lastBuildDate == nil { entry.lastBuildDate = date(text) }
                    }
                }
                var item = entry.build()
                let count = seenIDs[item.id, default: 0] + 1
                seenIDs[item.id] = count
                if count > 1 { item.id += "#\(count)" }  // duplicates are told apart, never dropped
                deliver(item)
            }
        }
    }

    /// The HTML as plain text, or nil.
    private mutating func html(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        PlainText.fromHTML(text, scratch: &scratch)
    }

    /// The text with its whitespace collapsed (entities are already decoded), or nil.
    private mutating func plain(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        PlainText.collapsed(text, scratch: &scratch)
    }

    private mutating func date(_ text: UnsafeBufferPointer<UInt8>) -> Date? {
        dateBytes.removeAll(keepingCapacity: true)
        dateBytes.append(contentsOf: text)
        return FeedDate.parse(utf8: dateBytes)
    }
}
