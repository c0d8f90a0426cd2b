import FoundationEssentials
import LibXML
import Models

/// Reads a feed document (RSS 0.9x/1.0/2.0, Atom 0.3/1.0) into a `ParsedFeed` with
/// libxml2's streaming reader: one pass, no tree of the document.
///
/// The encoding comes from the BOM, then the XML declaration, then the HTTP charset, with
/// a fallback when they lie (`DocumentEncoding`); a UTF-16 document is made UTF-8 first
/// (`WideDocument`). A document with a `&` that is not a predefined or numeric reference, or
/// a text run libxml2 would give up on, is repaired (`DocumentRepair`) before it is read; one
/// libxml2 reports broken in a way that can be mended (control characters, bytes that are
/// not UTF-8) is repaired and read again. `ParsedFeed.notes` says so. Reading is bounded in
/// time (`timeLimit`); `ParsedFeed.missingEntries` says when entries may be missing.
///
/// Each entry is handed to a collector as it is finished (`FeedEntryCollector`): a
/// `[FeedEntry]`, or one that writes each entry out (`bulletin parse --format json`) so
/// that no feed is ever held whole as entries. In a large document the entries are
/// finished on a second thread while the reader goes on (`EntryPipeline`).
///
/// A `FeedParser` holds no state: any number of threads may parse with one at once.
public struct FeedParser: Sendable {
    /// Documents from this size on have their entries finished on a second thread
    /// (`EntryPipeline`); tests move it to read a document both ways.
    var threadedFromBytes = EntryPipeline.threadedFromBytes

    /// The time one document may take to read (`FeedLimits.maxParseTime` by default; the
    /// pipeline gives the fetch timeout). Past it the reader stops, keeps the entries it
    /// has, and says so in `ParsedFeed.missingEntries`.
    public var timeLimit: Duration = FeedLimits.maxParseTime

    /// True when a document of `bytes` has its entries finished on a second thread.
    func usesSecondThread(documentBytes bytes: Int) -> Bool { bytes >= threadedFromBytes }

    public init() {}

    /// - Parameters:
    ///   - bytes: the document as fetched.
    ///   - url: where it came from: names it in errors and resolves relative links.
    ///   - encoding: the HTTP charset, used when the document declares no encoding of its own.
    public func parse(_ bytes: [UInt8], url: String, encoding: String? = nil) throws(ParseError) -> ParsedFeed {
        try bytes.withUnsafeBufferPointer { bytes throws(ParseError) in try parse(bytes, url: url, encoding: encoding) }
    }

    /// The same, reading `bytes` where they are (a mapped file, say): the caller keeps them
    /// valid and unchanged until it returns.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>, url: String,
                      encoding: String? = nil) throws(ParseError) -> ParsedFeed {
        var (feed, entries) = try parse(bytes, url: url, encoding: encoding, collecting: [FeedEntry].self)
        feed.entries = entries
        return feed
    }

    /// The feed's own fields (with no `entries`) and its entries, gathered by a new
    /// `Entries` in document order. The entries of a reading that a repaired one replaces
    /// are dropped with their collector: the one returned holds only the final reading's.
    public func parse<Entries: FeedEntryCollector>(
        _ bytes: [UInt8], url: String, encoding: String? = nil, collecting: Entries.Type
    ) throws(ParseError) -> (feed: ParsedFeed, entries: Entries) {
        try bytes.withUnsafeBufferPointer { bytes throws(ParseError) in
            try parse(bytes, url: url, encoding: encoding, collecting: collecting)
        }
    }

    /// The same, reading `bytes` where they are: the caller keeps them valid and unchanged
    /// until it returns.
    public func parse<Entries: FeedEntryCollector>(
        _ bytes: UnsafeBufferPointer<UInt8>, url: String, encoding: String? = nil, collecting: Entries.Type
    ) throws(ParseError) -> (feed: ParsedFeed, entries: Entries) {
        guard bytes.count <= FeedLimits.maxDocumentBytes else { throw .tooLarge(document: url, bytes: bytes.count) }
        if let wide = WideDocument(bytes) {
            var (feed, entries) = try wide.bytes.withUnsafeBufferPointer { bytes throws(ParseError) in
                try parse(bytes, url: url, encoding: nil, collecting: collecting)
            }
            feed.encoding = wide.encoding
            if !wide.wellFormed { feed.notes.insert("read code units that are not well-formed UTF-16 as U+FFFD", at: 0) }
            return (feed, entries)
        }
        if let fromDeclaration = Self.fromDeclaration(bytes) {
            return try parse(fromDeclaration, url: url, encoding: encoding, collecting: collecting)
        }
        let document = bytes
        let deadline = ContinuousClock.now + timeLimit
        let plan = DocumentEncoding.plan(for: document, given: encoding)
        var repairedFirst: (Outcome<Entries>, [String])?
        if DocumentEncoding.isASCIICompatible(document), DocumentRepair.isWorthRepairingFirst(document),
           let repair = DocumentRepair.repair(document, utf8: plan.utf8) {
            // Repaired before the first reading: libxml2 reads a bare '&' in time that grows
            // with the square of the text after it, and drops declared entities silently.
            repairedFirst = (try repair.bytes.withUnsafeBufferPointer { bytes throws(ParseError) in
                try read(bytes, url: url, plan: plan, deadline: deadline) as Outcome<Entries>
            }, repair.notes)
        }
        let (outcome, repairNotes): (Outcome<Entries>, [String])
        if let repairedFirst {
            (outcome, repairNotes) = repairedFirst
        } else {
            (outcome, repairNotes) = try readThenRepair(document, url: url, plan: plan, deadline: deadline)
        }
        var feed = outcome.feed
        feed.encoding = plan.name
        feed.notes = (plan.note.map { [$0] } ?? []) + repairNotes + outcome.notes
        return (feed, outcome.entries)
    }

    /// Reads the document; when libxml2 reported faults `DocumentRepair` mends (or could
    /// read nothing), repairs it and reads it again, while the deadline allows.
    private func readThenRepair<Entries: FeedEntryCollector>(
        _ document: UnsafeBufferPointer<UInt8>, url: String, plan: EncodingPlan, deadline: ContinuousClock.Instant
    ) throws(ParseError) -> (Outcome<Entries>, [String]) {
        func readRepaired(_ repair: (bytes: [UInt8], notes: [String])) -> (Outcome<Entries>, [String])? {
            guard let outcome = try? repair.bytes.withUnsafeBufferPointer({ bytes throws(ParseError) in
                try read(bytes, url: url, plan: plan, deadline: deadline) as Outcome<Entries>
            }) else { return nil }
            return (outcome, repair.notes)
        }
        let outcome: Outcome<Entries>
        do {
            outcome = try read(document, url: url, plan: plan, deadline: deadline)
        } catch {
            // Nothing readable: a repair may still make the document a feed.
            guard let repair = DocumentRepair.repair(document, utf8: plan.utf8), let repaired = readRepaired(repair)
            else { throw error }
            return repaired
        }
        if outcome.repairable, ContinuousClock.now < deadline, let repair = DocumentRepair.repair(document, utf8: plan.utf8),
           let repaired = readRepaired(repair) {
            return repaired
        }
        return (outcome, [])
    }

    /// What one reading of the document gave.
    private struct Outcome<Entries: FeedEntryCollector> {
        var feed: ParsedFeed
        var entries: Entries
        var notes: [String]
        /// True when libxml2 reported faults `DocumentRepair` mends.
        var repairable: Bool
    }

    private func read<Entries: FeedEntryCollector>(_ document: UnsafeBufferPointer<UInt8>, url: String,
                                                   plan: EncodingPlan,
                                                   deadline: ContinuousClock.Instant) throws(ParseError) -> Outcome<Entries> {
        let reader: XMLReader  // lives only in this call, while `document` is valid
        do {
            reader = try XMLReader(unsafeBorrowing: document, document: url, encoding: plan.imposed)
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
                let name = reader.localName
                insideHTML = name.lowercased() == "html"
                guard insideHTML else {
                    throw .notAFeed(document: url, looksLike: name == "opml"
                        ? "an OPML list of feeds (import it into the catalog instead)"
                        : "an XML document whose root is <\(name)>")
                }
            }
        }
        guard let format = root else {
            let looksLike = insideHTML ? "an HTML page" : Self.describe(document)
            // An entity bomb or the like is malformed; a document cut before its root is not a feed.
            if looksLike.hasPrefix("XML"), let error = reader.errors.first, error.message.contains("entity") {
                throw .malformed(error)
            }
            throw .notAFeed(document: url, looksLike: looksLike)
        }
        var builder = FeedBuilder(format: format, names: FeedNames(reader, feedNamespace: reader.namespaceToken),
                                  deadline: deadline, timeLimit: timeLimit)
        let (entries, fieldsCut) = EntryPipeline.run(
            threaded: usesSecondThread(documentBytes: document.count), collecting: Entries.self
        ) { batchEntries, batchBytes, deliver in
            builder.read(reader, batchEntries: batchEntries, batchBytes: batchBytes, deliver: deliver)
        }
        var notes = builder.notes(entryFieldsCut: fieldsCut)
        let faults = reader.errors.map(\.fault)
        if let first = reader.errors.first {
            let more = reader.errorCount > 1 ? " (and \(reader.errorCount - 1) more)" : ""
            if reader.stopped {
                let stop = "libxml2 stopped at line \(first.line): \(first.message)\(more); the entries before it were kept"
                notes.append(stop)
                builder.missingEntries = builder.missingEntries ?? stop
            } else {
                notes.append("libxml2 recovered from: line \(first.line): \(first.message)\(more)")
            }
        }
        return Outcome(feed: builder.feed, entries: entries, notes: notes,
                       repairable: faults.contains(.entity) || faults.contains(.character))
    }

    private static func format(root reader: XMLReader) -> FeedFormat? {
        switch (reader.localName, reader.namespaceURI) {
        case ("rss", _):
            let version = reader.attribute("version")?.trimmingSpaces() ?? ""
            return version.hasPrefix("0.9") ? .rss09x : .rss20
        case ("RDF", _):
            return reader.attribute("xmlns") == FeedNames.rss090 ? .rss09x : .rss10
        case ("feed", FeedNames.atom03?): return .atom03
        case ("feed", FeedNames.atom10?): return .atom10
        case ("feed", nil): return reader.attribute("version") == "0.3" ? .atom03 : .atom10
        default: return nil
        }
    }

    /// The document from its XML declaration on, when something precedes the declaration
    /// (whitespace, a comment: real feeds put them there and libxml2 then rejects the
    /// declaration), or from its first non-space byte; nil when nothing precedes it. A
    /// UTF-8 BOM is kept.
    static func fromDeclaration(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let head = bytes[start..<min(bytes.count, start + 1024)]
        let declaration = Array("<?xml".utf8)
        let from = head.indices.first { bytes[$0...].starts(with: declaration) }
            ?? head.firstIndex { !PlainText.isSpace($0) } ?? start
        return from == start ? nil : Array(bytes[..<start]) + bytes[from...]
    }

    /// What a document that holds no feed looks like instead, for the error.
    static func describe(_ bytes: some Collection<UInt8>) -> String {
        let start = bytes.drop { PlainText.isSpace($0) || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
        guard let first = start.first else { return "an empty document" }
        let head = String(decoding: start.prefix(512), as: UTF8.self).lowercased()
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            return head.contains("jsonfeed.org") ? "a JSON Feed (Bulletin reads RSS and Atom)" : "JSON"
        }
        if head.contains("<html") || head.contains("<!doctype html") { return "an HTML page" }
        if first == UInt8(ascii: "<") { return "XML without a root element (truncated?)" }
        return "plain text"
    }
}
