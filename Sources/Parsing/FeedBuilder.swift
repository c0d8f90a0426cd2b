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
    /// The channel's `dc:title`, the feed's title when it has no `title`.
    private var feedDCTitle: String?
    /// True while the feed's link is an Atom `link`'s text, which an `href` replaces.
    private var feedLinkFromText = false
    /// Text fields whose Atom `type` was empty or unknown, read as text.
    private var unknownTypes: [String] = []
    /// Text fields skipped for holding media (an Atom `type` such as `image/png`).
    private var mediaTypes: [String] = []
    /// Atom 0.3 `mode="base64"` fields that did not decode.
    private var undecodedBase64 = 0

    private var capture: Capture?
    /// Working space for turning a feed's field into text.
    private var scratch: [UInt8] = []
    /// The feed's own text fields cut at `FeedLimits.maxFieldBytes`.
    private var feedFieldsCut = 0
    private var skippedDeepElements = 0
    private var stopped = false
    /// When the reading must stop (`FeedParser.timeLimit` after the parse began).
    private let deadline: ContinuousClock.Instant
    private let timeLimit: Duration
    /// Nodes read since the clock was last looked at.
    private var nodesSinceClock = 0

    /// See `ParsedFeed.missingEntries`.
    var missingEntries: String? {
        get { feed.missingEntries }
        set { feed.missingEntries = newValue }
    }

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
        /// Atom 0.3 `mode="base64"`: the text is decoded when the field ends.
        var base64 = false
    }

    private enum Field {
        case entry(RawEntries.Field)
        case feedTitle, feedDCTitle, feedLink, feedUpdated(rank: Int)
    }

    init(format: FeedFormat, names: FeedNames, deadline: ContinuousClock.Instant = .now + FeedLimits.maxParseTime,
         timeLimit: Duration = FeedLimits.maxParseTime) {
        feed = ParsedFeed(format: format)
        self.deadline = deadline
        self.timeLimit = timeLimit
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
            nodesSinceClock += 1
            if nodesSinceClock >= 256 {
                nodesSinceClock = 0
                if ContinuousClock.now >= deadline { stopForTime(line: reader.line) }
            }
        }
        if capture != nil { finishCapture() }  // a truncated document keeps what it has
        finishEntry()
        if batch.count > 0 { deliver(&batch) }
        if feed.title == nil { feed.title = feedDCTitle }
    }

    private mutating func stopForTime(line: Int) {
        let seconds = Double(timeLimit.components.seconds) + Double(timeLimit.components.attoseconds) / 1e18
        let stop = "stopped reading at line \(line) after \(seconds) s (the per-feed parse bound, "
            + "FeedParser.timeLimit); the \(entryCount) entries before it were kept"
        notes.append(stop)
        missingEntries = missingEntries ?? stop
        stopped = true
    }

    /// What the reading noted, once its entries are finished: `entryFieldsCut` is how many
    /// of their fields `EntryFinisher` counted cut.
    func notes(entryFieldsCut: Int) -> [String] {
        var notes = notes
        let cut = feedFieldsCut + entryFieldsCut
        if cut > 0 {
            notes.append("cut \(cut) text fields at \(FeedLimits.maxFieldBytes / 1024) KB (FeedLimits.maxFieldBytes)")
        }
        if !unknownTypes.isEmpty {
            notes.append("read \(unknownTypes.count) text fields of an empty or unknown type as text ("
                + Set(unknownTypes).sorted().prefix(5).map { "type=\"\($0)\"" }.joined(separator: " ") + ")")
        }
        if !mediaTypes.isEmpty {
            notes.append("skipped \(mediaTypes.count) fields holding media, not text ("
                + Set(mediaTypes).sorted().prefix(5).map { "type=\"\($0)\"" }.joined(separator: " ") + ")")
        }
        if undecodedBase64 > 0 { notes.append("kept \(undecodedBase64) mode=\"base64\" fields that are not base64 as they are") }
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
            let stop = "read only the first \(FeedLimits.maxEntries) entries (FeedLimits.maxEntries)"
            notes.append(stop)
            missingEntries = missingEntries ?? stop
            stopped = true
            return
        }
        var started = RawEntries.Entry()
        started.alternateLinkWins = isAtom  // an Atom link's text is no link
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
            case n.link:
                link(reader, depth: depth, href: { builder, href in
                    if builder.feed.link == nil || builder.feedLinkFromText {  // an Atom href wins over a link's text
                        builder.feed.link = href
                        builder.feedLinkFromText = false
                    }
                }, text: .feedLink, hasText: feed.link != nil)
            case n.updated, n.modified: start(.feedUpdated(rank: 0), reader, depth: depth)
            case n.lastBuildDate: start(.feedUpdated(rank: 1), reader, depth: depth)
            case n.pubDate: start(.feedUpdated(rank: 3), reader, depth: depth)
            default: break
            }
        } else if namespace == n.dublinCoreNamespace && name == n.date {
            start(.feedUpdated(rank: 2), reader, depth: depth)
        } else if namespace == n.dublinCoreNamespace && name == n.title && feedDCTitle == nil {
            start(.feedDCTitle, reader, depth: depth)
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
        var base64 = false
        if textType && isAtom && reader.hasAttributes {
            let type = reader.attribute("type").map { String($0.unicodeScalars.filter { !$0.properties.isWhitespace }).lowercased() }
            let mode = reader.attribute("mode")?.lowercased()
            base64 = mode == "base64"  // Atom 0.3
            if mode == "escaped" {
                literal = false
            } else {
                switch type {
                case nil, "text", "text/plain", "xhtml", "application/xhtml+xml": literal = true
                case "html", "text/html": literal = false
                case let type? where type.hasPrefix("text/") || type.hasSuffix("+xml") || type.hasSuffix("/xml"):
                    literal = true
                case let type? where type.contains("/"):
                    mediaTypes.append(type)  // a picture or other media: not text
                    return
                case let type?:
                    if !type.contains("/") { unknownTypes.append(type) }
                    literal = true
                }
            }
        } else if textType && isAtom {
            literal = true  // Atom's default type is text
        }
        capture = Capture(field: field, depth: depth, start: batch.bytes.count, literal: literal, base: base,
                          base64: base64)
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
            if capture?.literal == true && capture?.base64 != true && text.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) {
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
        if capture.base64 { decodeBase64(from: capture.start, literal: capture.literal) }
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
        case .feedDCTitle: if feedDCTitle == nil { feedDCTitle = PlainText.fromHTML(text, scratch: &scratch) }
        case .feedLink:
            if let link = text.withUnsafeBufferPointer({ PlainText.collapsed($0, scratch: &scratch) }) {
                feed.link = URLResolver.resolve(link, against: capture.base)
                feedLinkFromText = isAtom
            }
        case .feedUpdated(let rank):
            if rank < feedUpdatedRank, let date = FeedDate.parse(utf8: text) {
                feed.updated = date
                feedUpdatedRank = rank
            }
        }
    }

    /// Replaces the field's text from `start` with what its base64 decodes to (escaped when
    /// it is literal text); text that is not base64 is kept as it is, with a note.
    private mutating func decodeBase64(from start: Int, literal: Bool) {
        guard let decoded = Data(base64Encoded: Data(batch.bytes[start...]), options: .ignoreUnknownCharacters) else {
            undecodedBase64 += 1
            return
        }
        batch.bytes.removeSubrange(start...)
        for byte in decoded {
            switch byte {
            case UInt8(ascii: "<") where literal: batch.bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: "&") where literal: batch.bytes.append(contentsOf: "&amp;".utf8)
            default: batch.bytes.append(byte)
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
