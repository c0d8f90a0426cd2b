import FoundationEssentials
import LibXML
import Models

/// Reads a feed document (RSS 0.9x/1.0/2.0, Atom 0.3/1.0) into a `ParsedFeed` with
/// libxml2's streaming reader: one pass, no tree of the document.
public struct FeedParser: Sendable {
    public init() {}

    /// - Parameters:
    ///   - bytes: the document as fetched.
    ///   - url: where it came from: names it in errors and resolves relative links.
    ///   - encoding: the HTTP charset, used when the document declares no encoding of its own.
    public func parse(_ bytes: [UInt8], url: String, encoding: String? = nil) throws(ParseError) -> ParsedFeed {
        let document = Self.fromDeclaration(bytes)
        let chosen = DocumentEncoding.choose(for: document, given: encoding)
        do {
            return try read(document, url: url, encoding: chosen)
        } catch .malformed(let error) where chosen == nil {
            // The declared encoding is unknown or wrong: read the bytes for what they are.
            let undeclared = DocumentEncoding.removingDeclaredEncoding(document)
            guard undeclared != document,
                  let feed = try? read(undeclared, url: url, encoding: DocumentEncoding.choose(for: undeclared, given: nil))
            else { throw .malformed(error) }
            return feed
        }
    }

    private func read(_ document: [UInt8], url: String, encoding: String?) throws(ParseError) -> ParsedFeed {
        let reader: XMLReader
        do {
            reader = try XMLReader(bytes: document, document: url, encoding: encoding)
        } catch {
            throw .malformed(error)
        }
        var root: FeedFormat?
        var insideHTML = false
        while reader.read() {
            guard reader.kind == .element else { continue }
            root = Self.format(root: reader)
            if root != nil { break }
            // Some sites wrap their feed in an XHTML page: look inside for it.
            if reader.depth == 0 {
                insideHTML = reader.localName.lowercased() == "html"
                guard insideHTML else {
                    throw .notAFeed(document: url, looksLike: "an XML document whose root is <\(reader.localName)>")
                }
            }
        }
        guard let format = root else {
            let looksLike = insideHTML ? "an HTML page" : Self.describe(document)
            if looksLike.hasPrefix("XML"), let error = reader.errors.first { throw .malformed(error) }
            throw .notAFeed(document: url, looksLike: looksLike)
        }
        var builder = FeedBuilder(format: format, rootDepth: reader.depth)
        builder.read(reader)
        return builder.feed
    }

    static let atomNamespace = "http://www.w3.org/2005/Atom"
    static let atom03Namespace = "http://purl.org/atom/ns#"

    private static func format(root reader: XMLReader) -> FeedFormat? {
        switch (reader.localName, reader.namespaceURI) {
        case ("rss", _):
            return reader.attribute("version").map { $0.hasPrefix("0.9") } == true ? .rss09x : .rss20
        case ("RDF", _): return .rss10
        case ("feed", atom03Namespace?): return .atom03
        case ("feed", _): return .atom10
        default: return nil
        }
    }

    /// The document from its XML declaration on, when something precedes the declaration
    /// (whitespace, a comment: real feeds put them there and libxml2 then rejects the
    /// declaration), or from its first non-space byte. A UTF-8 BOM is kept.
    static func fromDeclaration(_ bytes: [UInt8]) -> [UInt8] {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let head = bytes[start..<min(bytes.count, start + 1024)]
        let declaration = Array("<?xml".utf8)
        let from = head.indices.first { bytes[$0...].starts(with: declaration) }
            ?? head.firstIndex { !isSpace($0) } ?? start
        return from == start ? bytes : Array(bytes[..<start]) + bytes[from...]
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// What a document that holds no feed looks like instead, for the error.
    static func describe(_ bytes: [UInt8]) -> String {
        let start = bytes.drop { isSpace($0) || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
        guard let first = start.first else { return "an empty document" }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return "JSON" }
        let head = String(decoding: start.prefix(512), as: UTF8.self).lowercased()
        if head.contains("<html") || head.contains("<!doctype html") { return "an HTML page" }
        if first == UInt8(ascii: "<") { return "XML without a root element (truncated?)" }
        return "plain text"
    }
}

/// The state of one pass over a feed document.
private struct FeedBuilder {
    var feed: ParsedFeed
    private var entry: EntryBuilder?
    private var entryDepth = 0
    /// Local names of the open elements, root first.
    private var path: [String] = []
    private var seenIDs: [String: Int] = [:]
    /// The depth of the feed's root element in the document (0 unless it is wrapped).
    private let rootDepth: Int

    init(format: FeedFormat, rootDepth: Int) {
        feed = ParsedFeed(format: format)
        self.rootDepth = rootDepth
    }

    mutating func read(_ reader: XMLReader) {
        repeat {
            let depth = reader.depth - rootDepth
            guard depth >= 0 || reader.kind != .element else { break }  // past the feed's end
            switch reader.kind {
            case .element:
                path.removeLast(max(0, path.count - depth))
                let name = reader.localName
                path.append(name)
                if entry == nil {
                    if name == "item" || name == "entry" {
                        entry = EntryBuilder()
                        entryDepth = depth
                        if reader.isEmptyElement { finishEntry() }
                    } else if depth >= 1, path[depth - 1] == "channel" || (depth == 1 && name != "channel") {
                        readFeedField(reader)
                    }
                } else if depth == entryDepth + 1 {
                    entry?.readField(reader)
                } else if depth == entryDepth + 2, path[depth - 1] == "author", name == "name" {
                    entry?.addAuthor(reader.readString())
                }
            case .endElement:
                if entry != nil, depth == entryDepth { finishEntry() }
            default:
                break
            }
        } while reader.read()
        if entry != nil { finishEntry() }  // a truncated document still yields its last entry
    }

    private mutating func readFeedField(_ reader: XMLReader) {
        switch reader.localName {
        case "title": feed.title = feed.title ?? PlainText.from(reader.readString())
        case "link":
            if let href = reader.attribute("href") {
                if reader.attribute("rel").map({ $0 == "alternate" }) ?? true {
                    feed.link = URLResolver.resolve(href, against: reader.baseURL)
                }
            } else if feed.link == nil, let text = reader.readString().map(PlainText.collapsingWhitespace),
                      !text.isEmpty {
                feed.link = URLResolver.resolve(text, against: reader.baseURL)
            }
        case "updated", "lastBuildDate", "modified", "date":
            feed.updated = reader.readString().flatMap(FeedDate.parse) ?? feed.updated
        default: break
        }
    }

    private mutating func finishEntry() {
        guard let finished = entry?.build() else { return }
        entry = nil
        var item = finished
        let count = seenIDs[item.id, default: 0] + 1
        seenIDs[item.id] = count
        if count > 1 { item.id += "#\(count)" }  // duplicates are told apart, never dropped
        feed.entries.append(item)
    }
}

/// The fields of one item/entry as they are read.
private struct EntryBuilder {
    var id: String?
    var title: String?
    var link: String?
    var published: Date?
    var updated: Date?
    var description: String?
    var content: String?
    var authors: [String] = []
    var categories: [String] = []

    static let contentNamespace = "http://purl.org/rss/1.0/modules/content/"

    mutating func readField(_ reader: XMLReader) {
        switch reader.localName {
        case "title": title = title ?? reader.readString()
        case "link": readLink(reader)
        case "guid", "id": id = id ?? reader.readString().map(PlainText.collapsingWhitespace)
        case "pubDate", "published", "issued":
            published = published ?? reader.readString().flatMap(FeedDate.parse)
        case "date":
            published = published ?? reader.readString().flatMap(FeedDate.parse)
        case "updated", "modified":
            updated = updated ?? reader.readString().flatMap(FeedDate.parse)
        case "description", "summary": description = description ?? reader.readString()
        case "encoded" where reader.namespaceURI == Self.contentNamespace:
            content = content ?? reader.readString()
        case "content": content = content ?? reader.readString()
        case "creator": addAuthor(reader.readString())
        case "author" where !reader.isEmptyElement && reader.namespaceURI != FeedParser.atomNamespace
            && reader.namespaceURI != FeedParser.atom03Namespace:
            addAuthor(reader.readString())
        case "category", "subject":
            let term = reader.attribute("term") ?? reader.readString()
            if let term = PlainText.from(term) { categories.append(term) }
        default: break
        }
    }

    mutating func addAuthor(_ name: String?) {
        if let name = PlainText.from(name), !authors.contains(name) { authors.append(name) }
    }

    private mutating func readLink(_ reader: XMLReader) {
        if let href = reader.attribute("href") {
            // Atom (or atom:link in RSS): the alternate link wins over the others.
            let rel = reader.attribute("rel") ?? "alternate"
            guard rel == "alternate" || link == nil else { return }
            link = URLResolver.resolve(href, against: reader.baseURL)
        } else if link == nil, let text = reader.readString().map(PlainText.collapsingWhitespace), !text.isEmpty {
            link = URLResolver.resolve(text, against: reader.baseURL)
        }
    }

    func build() -> FeedEntry {
        let plainTitle = PlainText.from(title)
        let summary = PlainText.from(description ?? content)
        let stableID = id.flatMap { $0.isEmpty ? nil : $0 } ?? link ?? Self.derivedID(plainTitle, published ?? updated)
        return FeedEntry(id: stableID, title: plainTitle, link: link, published: published, updated: updated,
                         summary: summary, authors: authors, categories: categories,
                         advisories: Advisories.find(in: plainTitle, summary))
    }

    /// An id that is the same on every fetch of the same entry: a hash of title and date.
    static func derivedID(_ title: String?, _ date: Date?) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a 64
        let seconds = date.map { String(Int64($0.timeIntervalSince1970)) } ?? ""
        for byte in (title ?? "").utf8 + [0] + seconds.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "urn:bulletin:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
