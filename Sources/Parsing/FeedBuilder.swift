import FoundationEssentials
import LibXML
import Models

/// One pass of the streaming reader over a feed, from its root element: each element is
/// recognised by its interned name, the text of the fields wanted is gathered as it
/// streams past, and each entry is finished at its end tag and handed on at once. No tree
/// is built, and no entry is kept.
struct FeedBuilder {
    /// The feed's own fields (its entries are handed on, not kept here).
    private(set) var feed: ParsedFeed
    private(set) var notes: [String] = []
    private let names: FeedNames
    private let isAtom: Bool

    private var entry: EntryBuilder?
    private var entryCount = 0
    private var entryDepth = 0
    private var channelDepth: Int?
    private var authorDepth: Int?
    private var authorName: String?
    private var authorEmail: String?
    private var feedUpdatedRank = Int.max
    private var seenIDs: [String: Int] = [:]

    private var capture: Capture?
    private var buffer: [UInt8] = []
    /// Working space for turning `buffer` into text.
    private var scratch: [UInt8] = []
    private var truncatedFields = 0
    private var skippedDeepElements = 0
    private var stopped = false

    /// A text field being gathered.
    private struct Capture {
        var field: Field
        /// Its depth below the feed's root.
        var depth: Int
        /// True when the text is literal (Atom `type="text"` and `"xhtml"`), false when it
        /// is HTML source (RSS, Atom `type="html"`).
        var literal: Bool
        /// The base URL in scope, for a link.
        var base: String?
        var truncated = false
    }

    private enum Field {
        case title, dcTitle, link, guid, atomID, dcIdentifier
        case pubDate, dcDate, atomPublished, dcTermsIssued, atomUpdated, dcTermsModified, lastBuildDate
        case description, content, dcDescription, author, authorName, authorEmail, category
        case feedTitle, feedLink, feedUpdated(rank: Int)
    }

    init(format: FeedFormat, names: FeedNames) {
        feed = ParsedFeed(format: format)
        self.names = names
        isAtom = format == .atom03 || format == .atom10
    }

    /// Reads from the feed's root element (where `reader` stands) to its end, handing each
    /// entry to `deliver` as it ends, in document order.
    mutating func read(_ reader: XMLReader, entry deliver: (FeedEntry) -> Void) {
        let rootDepth = reader.depth
        var more = true
        while more && !stopped {
            var skip = false
            switch reader.kind {
            case .element:
                let depth = reader.depth - rootDepth
                if depth > FeedLimits.maxDepth {
                    skippedDeepElements += 1
                    skip = true
                } else {
                    element(reader, depth: depth)
                    if reader.isEmptyElement, let done = end(reader, depth: depth, empty: true) { deliver(done) }
                }
            case .endElement:
                let depth = reader.depth - rootDepth
                if let done = end(reader, depth: depth, empty: false) { deliver(done) }
                if depth == 0 { stopped = true }  // the feed's root closed (it may be wrapped in a page)
            case .text, .cdata, .whitespace:
                if capture != nil { appendText(reader) }
            case .other:
                break
            }
            more = skip ? reader.skipSubtree() : reader.read()
        }
        if capture != nil { finishCapture() }  // a truncated document keeps what it has
        if let done = finishEntry() { deliver(done) }
        if truncatedFields > 0 {
            notes.append("cut \(truncatedFields) text fields at \(FeedLimits.maxFieldBytes / 1024) KB (FeedLimits.maxFieldBytes)")
        }
        if skippedDeepElements > 0 {
            notes.append("skipped content nested deeper than \(FeedLimits.maxDepth) elements (FeedLimits.maxDepth)")
        }
    }

    // MARK: Elements

    private mutating func element(_ reader: XMLReader, depth: Int) {
        if capture != nil {
            // Markup inside a text field (Atom xhtml, or HTML a publisher forgot to escape).
            buffer.append(UInt8(ascii: "<"))
            buffer.append(contentsOf: reader.localName.utf8)
            if reader.isEmptyElement { buffer.append(UInt8(ascii: "/")) }
            buffer.append(UInt8(ascii: ">"))
            return
        }
        let name = reader.localNameToken
        let namespace = reader.namespaceToken
        if entry == nil {
            if (name == names.item || name == names.entry) && names.isCore(namespace) && depth >= 1 {
                startEntry(reader, depth: depth)
            } else if name == names.channel && depth == 1 && names.isCore(namespace) {
                channelDepth = depth
            } else if (isAtom && depth == 1) || (channelDepth.map { depth == $0 + 1 } ?? false) {
                feedField(reader, name: name, namespace: namespace, depth: depth)
            }
        } else if depth == entryDepth + 1 {
            entryField(reader, name: name, namespace: namespace, depth: depth)
        } else if let authorDepth, depth == authorDepth + 1, names.isCore(namespace) {
            if name == names.name { start(.authorName, reader, depth: depth) }
            if name == names.email { start(.authorEmail, reader, depth: depth) }
        }
    }

    /// Ends the current element; returns the entry it finishes, if it does.
    private mutating func end(_ reader: XMLReader, depth: Int, empty: Bool) -> FeedEntry? {
        if let capture {
            if depth == capture.depth {
                finishCapture()
            } else if !empty {
                buffer.append(contentsOf: "</".utf8)
                buffer.append(contentsOf: reader.localName.utf8)
                buffer.append(UInt8(ascii: ">"))
            }
            return nil
        }
        if entry != nil && depth == entryDepth {
            return finishEntry()
        } else if depth == authorDepth {
            entry?.addAuthor(authorName ?? authorEmail)
            authorDepth = nil
        } else if depth == channelDepth {
            channelDepth = nil
        }
        return nil
    }

    private mutating func startEntry(_ reader: XMLReader, depth: Int) {
        guard entryCount < FeedLimits.maxEntries else {
            notes.append("read only the first \(FeedLimits.maxEntries) entries (FeedLimits.maxEntries)")
            stopped = true
            return
        }
        var builder = EntryBuilder()
        if reader.hasAttributes { builder.about = reader.attribute("about", namespace: FeedNames.rdf) }  // RSS 1.0
        entry = builder
        entryDepth = depth
    }

    private mutating func entryField(_ reader: XMLReader, name: XMLName, namespace: XMLName, depth: Int) {
        let n = names
        if n.isCore(namespace) {
            switch name {
            case n.title: start(.title, reader, depth: depth, textType: true)
            case n.link: link(reader, depth: depth, href: { $0.entry?.alternateLink = $1 }, text: .link,
                              hasText: entry?.link != nil)
            case n.guid:
                entry?.guidIsPermaLink = reader.attribute("isPermaLink")?.lowercased() != "false"
                start(.guid, reader, depth: depth)
            case n.id: start(.atomID, reader, depth: depth)
            case n.pubDate: start(.pubDate, reader, depth: depth)
            case n.published, n.issued: start(.atomPublished, reader, depth: depth)
            case n.updated, n.modified: start(.atomUpdated, reader, depth: depth)
            case n.lastBuildDate: start(.lastBuildDate, reader, depth: depth)
            case n.description, n.summary:
                if entry?.description == nil { start(.description, reader, depth: depth, textType: true) }
            case n.content:
                if entry?.description == nil && entry?.content == nil && reader.attribute("src") == nil {
                    start(.content, reader, depth: depth, textType: true)
                }
            case n.author:
                if n.isAtom(namespace) {
                    authorDepth = depth
                    authorName = nil
                    authorEmail = nil
                } else {
                    start(.author, reader, depth: depth)
                }
            case n.category:
                if reader.hasAttributes, let term = reader.attribute("term") { entry?.addCategory(PlainText.from(term)) }
                else { start(.category, reader, depth: depth) }
            default: break
            }
        } else if namespace == n.dublinCoreNamespace {
            switch name {
            case n.title: start(.dcTitle, reader, depth: depth)
            case n.date: start(.dcDate, reader, depth: depth)
            case n.creator: start(.author, reader, depth: depth)
            case n.subject: start(.category, reader, depth: depth)
            case n.identifier: start(.dcIdentifier, reader, depth: depth)
            case n.description: start(.dcDescription, reader, depth: depth)
            default: break
            }
        } else if namespace == n.dublinCoreTermsNamespace {
            switch name {
            case n.issued, n.created: start(.dcTermsIssued, reader, depth: depth)
            case n.modified: start(.dcTermsModified, reader, depth: depth)
            default: break
            }
        } else if namespace == n.contentNamespace && name == n.encoded && entry?.content == nil {
            start(.content, reader, depth: depth)
        }
    }

    private mutating func feedField(_ reader: XMLReader, name: XMLName, namespace: XMLName, depth: Int) {
        let n = names
        if n.isCore(namespace) {
            switch name {
            case n.title: if feed.title == nil { start(.feedTitle, reader, depth: depth, textType: true) }
            case n.link: link(reader, depth: depth, href: { $0.feed.link = $0.feed.link ?? $1 }, text: .feedLink,
                              hasText: feed.link != nil)
            case n.updated, n.modified: start(.feedUpdated(rank: 0), reader, depth: depth)
            case n.lastBuildDate: start(.feedUpdated(rank: 1), reader, depth: depth)
            case n.pubDate: start(.feedUpdated(rank: 3), reader, depth: depth)
            default: break
            }
        } else if namespace == n.dublinCoreNamespace && name == n.date {
            start(.feedUpdated(rank: 2), reader, depth: depth)
        }
    }

    /// An Atom link (`href`, the alternate one wins) or an RSS link (its text).
    private mutating func link(_ reader: XMLReader, depth: Int, href setAlternate: (inout FeedBuilder, String) -> Void,
                               text field: Field, hasText: Bool) {
        if reader.hasAttributes, let href = reader.attribute("href") {
            let rel = reader.attribute("rel")?.trimmingSpaces().lowercased() ?? "alternate"
            guard rel == "alternate" || rel == "http://www.iana.org/assignments/relation/alternate" else { return }
            let value = URLResolver.resolve(href, against: reader.baseURL)
            if !value.isEmpty { setAlternate(&self, value) }
        } else if !hasText {
            start(field, reader, depth: depth, base: reader.baseURL)
        }
    }

    // MARK: Text

    /// Starts gathering the text of the current element into `field`. With `textType`, an
    /// Atom `type` (or Atom 0.3 `mode`) attribute says whether it is text, HTML or XHTML.
    private mutating func start(_ field: Field, _ reader: XMLReader, depth: Int, textType: Bool = false,
                                base: String? = nil) {
        var literal = false
        if textType && isAtom && reader.hasAttributes {
            let type = reader.attribute("type")?.lowercased()
            if reader.attribute("mode")?.lowercased() == "escaped" {
                literal = false
            } else {
                switch type {
                case nil, "text", "text/plain", "xhtml", "application/xhtml+xml": literal = true
                case "html", "text/html": literal = false
                default: return  // a picture or other media: not text
                }
            }
        } else if textType && isAtom {
            literal = true  // Atom's default type is text
        }
        buffer.removeAll(keepingCapacity: true)
        capture = Capture(field: field, depth: depth, literal: literal, base: base)
    }

    private mutating func appendText(_ reader: XMLReader) {
        reader.withValue { value in
            var room = FeedLimits.maxFieldBytes - buffer.count
            guard room > 0 else {
                if value.count > 0 { markTruncated() }
                return
            }
            var text = value
            if text.count > room {
                // Cut at a character boundary.
                while room > 0 && text[room] & 0xC0 == 0x80 { room -= 1 }
                text = UnsafeBufferPointer(rebasing: text[..<room])
                markTruncated()
            }
            if capture?.literal == true && text.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) {
                for byte in text {
                    switch byte {
                    case UInt8(ascii: "<"): buffer.append(contentsOf: "&lt;".utf8)
                    case UInt8(ascii: "&"): buffer.append(contentsOf: "&amp;".utf8)
                    default: buffer.append(byte)
                    }
                }
            } else {
                buffer.append(contentsOf: text)
            }
        }
    }

    private mutating func markTruncated() {
        if capture?.truncated == false {
            capture?.truncated = true
            truncatedFields += 1
        }
    }

    private mutating func finishCapture() {
        guard let capture else { return }
        self.capture = nil
        // Each value is made only when its slot is still empty (the first one wins).
        switch capture.field {
        case .title: if entry?.title == nil { let text = html(); entry?.title = text }
        case .dcTitle: if entry?.dcTitle == nil { let text = html(); entry?.dcTitle = text }
        case .description: if entry?.description == nil { let text = html(); entry?.description = text }
        case .content: if entry?.content == nil { let text = html(); entry?.content = text }
        case .dcDescription: if entry?.dcDescription == nil { let text = html(); entry?.dcDescription = text }
        case .author: let text = html(); entry?.addAuthor(text)
        case .authorName: authorName = html()
        case .authorEmail: authorEmail = plain()
        case .category: let text = html(); entry?.addCategory(text)
        case .link:
            if let link = plain() {
                let resolved = URLResolver.resolve(link, against: capture.base)
                entry?.link = resolved
            }
        case .guid: if entry?.guid == nil { let text = plain(); entry?.guid = text }
        case .atomID: if entry?.atomID == nil { let text = plain(); entry?.atomID = text }
        case .dcIdentifier: if entry?.dcIdentifier == nil { let text = plain(); entry?.dcIdentifier = text }
        case .pubDate: if entry?.pubDate == nil { let date = self.date(); entry?.pubDate = date }
        case .dcDate: if entry?.dcDate == nil { let date = self.date(); entry?.dcDate = date }
        case .atomPublished: if entry?.atomPublished == nil { let date = self.date(); entry?.atomPublished = date }
        case .dcTermsIssued: if entry?.dcTermsIssued == nil { let date = self.date(); entry?.dcTermsIssued = date }
        case .atomUpdated: if entry?.atomUpdated == nil { let date = self.date(); entry?.atomUpdated = date }
        case .dcTermsModified: if entry?.dcTermsModified == nil { let date = self.date(); entry?.dcTermsModified = date }
        case .lastBuildDate: if entry?.lastBuildDate == nil { let date = self.date(); entry?.lastBuildDate = date }
        case .feedTitle: if feed.title == nil { feed.title = html() }
        case .feedLink: if let link = plain() { feed.link = URLResolver.resolve(link, against: capture.base) }
        case .feedUpdated(let rank):
            if rank < feedUpdatedRank, let date = date() {
                feed.updated = date
                feedUpdatedRank = rank
            }
        }
    }

    /// The gathered HTML as plain text, or nil.
    private mutating func html() -> String? { PlainText.fromHTML(buffer, scratch: &scratch) }

    private func date() -> Date? { FeedDate.parse(utf8: buffer) }

    /// The gathered text with its whitespace collapsed (entities are already decoded), or nil.
    private mutating func plain() -> String? {
        scratch.removeAll(keepingCapacity: true)
        PlainText.collapse(buffer, into: &scratch)
        return scratch.isEmpty ? nil : String(decoding: scratch, as: UTF8.self)
    }

    private mutating func finishEntry() -> FeedEntry? {
        guard let builder = entry.take() else { return nil }  // moved out, not copied
        authorDepth = nil
        var item = builder.build()
        let count = seenIDs[item.id, default: 0] + 1
        seenIDs[item.id] = count
        if count > 1 { item.id += "#\(count)" }  // duplicates are told apart, never dropped
        entryCount += 1
        return item
    }
}
