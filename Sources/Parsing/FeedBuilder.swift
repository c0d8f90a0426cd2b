import FoundationEssentials
import LibXML
import Models

/// One pass of the streaming reader over a feed, from its root element: each element is
/// recognised by its interned name and the text of the fields wanted is gathered as it
/// streams past. The feed's own fields are made at once; an entry's are only gathered
/// (`RawEntries`) and handed on in batches, for `EntryFinisher` to make, here or on
/// another thread (`EntryPipeline`). No tree is built, and no entry is kept.
struct FeedBuilder {
    /// The feed's own fields (its entries are handed on, not kept here).
    private(set) var feed: ParsedFeed
    private var notes: [String] = []
    private let names: FeedNames
    private let isAtom: Bool

    /// The entry being read; its fields are in `batch`.
    private var entry: RawEntries.Entry?
    private var batch = RawEntries()
    private var entryCount = 0
    private var entryDepth = 0
    private var channelDepth: Int?
    private var authorDepth: Int?
    private var feedUpdatedRank = Int.max

    private var capture: Capture?
    /// Working space for turning a feed's field into text.
    private var scratch: [UInt8] = []
    /// The feed's own text fields cut at `FeedLimits.maxFieldBytes`.
    private var feedFieldsCut = 0
    private var skippedDeepElements = 0
    private var stopped = false

    /// A text field being gathered.
    private struct Capture {
        var field: Field
        /// Its depth below the feed's root.
        var depth: Int
        /// Where its text starts in `batch.bytes`.
        var start: Int
        /// True when the text is literal (Atom `type="text"` and `"xhtml"`), false when it
        /// is HTML source (RSS, Atom `type="html"`).
        var literal: Bool
        /// The base URL in scope, for a link.
        var base: String?
        var truncated = false
    }

    private enum Field {
        case entry(RawEntries.Field)
        case feedTitle, feedLink, feedUpdated(rank: Int)
    }

    init(format: FeedFormat, names: FeedNames) {
        feed = ParsedFeed(format: format)
        self.names = names
        isAtom = format == .atom03 || format == .atom10
    }

    /// Reads from the feed's root element (where `reader` stands) to its end, handing the
    /// entries to `deliver` in document order, in batches of `batchEntries` entries (or
    /// fewer, when they hold `batchBytes` of text). `deliver` takes the batch's entries and
    /// leaves it empty (its memory may stay).
    mutating func read(_ reader: XMLReader, batchEntries: Int, batchBytes: Int,
                       deliver: (inout RawEntries) -> Void) {
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
                    if reader.isEmptyElement { end(reader, depth: depth, empty: true) }
                }
            case .endElement:
                let depth = reader.depth - rootDepth
                end(reader, depth: depth, empty: false)
                if entry == nil && capture == nil && (batch.count >= batchEntries || batch.byteCount >= batchBytes) {
                    deliver(&batch)  // between entries and fields: the batch holds only whole entries
                }
                if depth == 0 { stopped = true }  // the feed's root closed (it may be wrapped in a page)
            case .text, .cdata, .whitespace:
                if capture != nil { appendText(reader) }
            case .other:
                break
            }
            more = skip ? reader.skipSubtree() : reader.read()
        }
        if capture != nil { finishCapture() }  // a truncated document keeps what it has
        finishEntry()
        if batch.count > 0 { deliver(&batch) }
    }

    /// What the reading noted, once its entries are finished: `entryFieldsCut` is how many
    /// of their fields `EntryFinisher` counted cut.
    func notes(entryFieldsCut: Int) -> [String] {
        var notes = notes
        let cut = feedFieldsCut + entryFieldsCut
        if cut > 0 {
            notes.append("cut \(cut) text fields at \(FeedLimits.maxFieldBytes / 1024) KB (FeedLimits.maxFieldBytes)")
        }
        if skippedDeepElements > 0 {
            notes.append("skipped content nested deeper than \(FeedLimits.maxDepth) elements (FeedLimits.maxDepth)")
        }
        return notes
    }

    // MARK: Elements

    private mutating func element(_ reader: XMLReader, depth: Int) {
        if capture != nil {
            // Markup inside a text field (Atom xhtml, or HTML a publisher forgot to escape).
            batch.bytes.append(UInt8(ascii: "<"))
            batch.bytes.append(contentsOf: reader.localName.utf8)
            if reader.isEmptyElement { batch.bytes.append(UInt8(ascii: "/")) }
            batch.bytes.append(UInt8(ascii: ">"))
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
            if name == names.name { start(.entry(.authorName), reader, depth: depth) }
            if name == names.email { start(.entry(.authorEmail), reader, depth: depth) }
        }
    }

    /// Ends the current element (and the entry, if it is one).
    private mutating func end(_ reader: XMLReader, depth: Int, empty: Bool) {
        if let capture {
            if depth == capture.depth {
                finishCapture()
            } else if !empty {
                batch.bytes.append(contentsOf: "</".utf8)
                batch.bytes.append(contentsOf: reader.localName.utf8)
                batch.bytes.append(UInt8(ascii: ">"))
            }
            return
        }
        if entry != nil && depth == entryDepth {
            finishEntry()
        } else if depth == authorDepth {
            batch.append(.authorEnd, [])
            authorDepth = nil
        } else if depth == channelDepth {
            channelDepth = nil
        }
    }

    private mutating func startEntry(_ reader: XMLReader, depth: Int) {
        guard entryCount < FeedLimits.maxEntries else {
            notes.append("read only the first \(FeedLimits.maxEntries) entries (FeedLimits.maxEntries)")
            stopped = true
            return
        }
        var started = RawEntries.Entry()
        if reader.hasAttributes { started.about = reader.attribute("about", namespace: FeedNames.rdf) }  // RSS 1.0
        entry = started
        entryDepth = depth
    }

    private mutating func entryField(_ reader: XMLReader, name: XMLName, namespace: XMLName, depth: Int) {
        let n = names
        if n.isCore(namespace) {
            switch name {
            case n.title: start(.entry(.title), reader, depth: depth, textType: true)
            case n.link: link(reader, depth: depth, href: { $0.entry?.alternateLink = $1 }, text: .entry(.link),
                              hasText: false)  // whether a link came first: EntryFinisher
            case n.guid:
                entry?.guidIsPermaLink = reader.attribute("isPermaLink")?.lowercased() != "false"
                start(.entry(.guid), reader, depth: depth)
            case n.id: start(.entry(.atomID), reader, depth: depth)
            case n.pubDate: start(.entry(.pubDate), reader, depth: depth)
            case n.published, n.issued: start(.entry(.atomPublished), reader, depth: depth)
            case n.updated, n.modified: start(.entry(.atomUpdated), reader, depth: depth)
            case n.lastBuildDate: start(.entry(.lastBuildDate), reader, depth: depth)
            case n.description, n.summary: start(.entry(.description), reader, depth: depth, textType: true)
            case n.content:
                if reader.attribute("src") == nil { start(.entry(.content), reader, depth: depth, textType: true) }
            case n.author:
                if n.isAtom(namespace) {
                    authorDepth = depth
                    batch.append(.authorStart, [])
                } else {
                    start(.entry(.author), reader, depth: depth)
                }
            case n.category:
                if reader.hasAttributes, let term = reader.attribute("term") { batch.append(.category, Array(term.utf8)) }
                else { start(.entry(.category), reader, depth: depth) }
            default: break
            }
        } else if namespace == n.dublinCoreNamespace {
            switch name {
            case n.title: start(.entry(.dcTitle), reader, depth: depth)
            case n.date: start(.entry(.dcDate), reader, depth: depth)
            case n.creator: start(.entry(.author), reader, depth: depth)
            case n.subject: start(.entry(.category), reader, depth: depth)
            case n.identifier: start(.entry(.dcIdentifier), reader, depth: depth)
            case n.description: start(.entry(.dcDescription), reader, depth: depth)
            default: break
            }
        } else if namespace == n.dublinCoreTermsNamespace {
            switch name {
            case n.issued, n.created: start(.entry(.dcTermsIssued), reader, depth: depth)
            case n.modified: start(.entry(.dcTermsModified), reader, depth: depth)
            default: break
            }
        } else if namespace == n.contentNamespace && name == n.encoded {
            start(.entry(.encodedContent), reader, depth: depth)
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
        capture = Capture(field: field, depth: depth, start: batch.bytes.count, literal: literal, base: base)
    }

    private mutating func appendText(_ reader: XMLReader) {
        reader.withValue { value in
            var room = FeedLimits.maxFieldBytes - (batch.bytes.count - (capture?.start ?? 0))
            guard room > 0 else {
                if value.count > 0 { capture?.truncated = true }
                return
            }
            var text = value
            if text.count > room {
                // Cut at a character boundary.
                while room > 0 && text[room] & 0xC0 == 0x80 { room -= 1 }
                text = UnsafeBufferPointer(rebasing: text[..<room])
                capture?.truncated = true
            }
            if capture?.literal == true && text.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) {
                for byte in text {
                    switch byte {
                    case UInt8(ascii: "<"): batch.bytes.append(contentsOf: "&lt;".utf8)
                    case UInt8(ascii: "&"): batch.bytes.append(contentsOf: "&amp;".utf8)
                    default: batch.bytes.append(byte)
                    }
                }
            } else {
                batch.bytes.append(contentsOf: text)
            }
        }
    }

    private mutating func finishCapture() {
        guard let capture = capture.take() else { return }  // moved out, not copied
        if case .entry(let field) = capture.field {
            // Made into text by EntryFinisher, which counts a cut field if it is used.
            return batch.append(field, from: capture.start, base: capture.base, truncated: capture.truncated)
        }
        // A feed's own field is made into text here, and its bytes are not kept.
        if capture.truncated { feedFieldsCut += 1 }
        let text = Array(batch.bytes[capture.start...])
        batch.bytes.removeSubrange(capture.start...)
        switch capture.field {
        case .entry: break
        case .feedTitle: if feed.title == nil { feed.title = PlainText.fromHTML(text, scratch: &scratch) }
        case .feedLink:
            if let link = text.withUnsafeBufferPointer({ PlainText.collapsed($0, scratch: &scratch) }) {
                feed.link = URLResolver.resolve(link, against: capture.base)
            }
        case .feedUpdated(let rank):
            if rank < feedUpdatedRank, let date = FeedDate.parse(utf8: text) {
                feed.updated = date
                feedUpdatedRank = rank
            }
        }
    }

    private mutating func finishEntry() {
        guard let done = entry.take() else { return }
        authorDepth = nil
        batch.append(done)
        entryCount += 1
    }
}
