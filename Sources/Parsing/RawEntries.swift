/// Entries as the reader found them, before any of their text is made: for each entry, its
/// text fields' bytes in document order, as libxml2 gave them (markup kept, entities
/// decoded). `EntryFinisher` turns them into `FeedEntry`s. Many entries share three arrays,
/// so that a batch of them costs three allocations, not a few per field.
struct RawEntries: Sendable {
    /// A text field of an entry, named for the element it came from, or a mark in the
    /// sequence (an Atom `author` starting or ending).
    enum Field: Sendable {
        case title, dcTitle, link, guid, atomID, dcIdentifier
        case pubDate, dcDate, atomPublished, dcTermsIssued, atomUpdated, dcTermsModified, lastBuildDate
        /// `description` or Atom `summary`; `content` is Atom's, `encodedContent` RSS's `content:encoded`.
        case description, content, encodedContent, dcDescription
        /// RSS `author` or `dc:creator`; `authorName` and `authorEmail` are inside an Atom
        /// `author`, between `authorStart` and `authorEnd`.
        case author, authorStart, authorName, authorEmail, authorEnd
        case category
    }

    struct FieldText: Sendable {
        var field: Field
        /// Where its bytes are in `bytes`.
        var range: Range<Int>
        /// The base URL in scope (a link's).
        var base: String?
        /// True when the text was cut at `FeedLimits.maxFieldBytes`.
        var truncated: Bool
    }

    /// What an entry holds besides its text fields.
    struct Entry: Sendable {
        /// Where its fields are in `fields` (set when it is added).
        var fields: Range<Int> = 0..<0
        /// RSS 1.0 `rdf:about`.
        var about: String?
        var guidIsPermaLink = true
        /// An Atom `link rel="alternate"`, resolved.
        var alternateLink: String?
        /// True in Atom: the alternate link wins over a `link` element's text.
        var alternateLinkWins = false
    }

    /// The fields' text, one after another. The reader appends a field's text here as it
    /// streams past, then marks it a field (`append(_:from:base:truncated:)`).
    var bytes: [UInt8] = []
    private(set) var fields: [FieldText] = []
    private(set) var entries: [Entry] = []

    init() {}

    /// An empty batch with room for as much as `other` holds (the next of a run of batches:
    /// filled without growing).
    init(roomLike other: RawEntries) {
        bytes.reserveCapacity(other.bytes.count)
        fields.reserveCapacity(other.fields.count)
        entries.reserveCapacity(other.entries.count)
    }

    var count: Int { entries.count }
    var byteCount: Int { bytes.count }

    /// Adds to the entry being read the field whose text is `bytes[start...]`.
    mutating func append(_ field: Field, from start: Int, base: String? = nil, truncated: Bool = false) {
        fields.append(FieldText(field: field, range: start..<bytes.count, base: base, truncated: truncated))
    }

    /// Adds a field with the text `text` to the entry being read.
    mutating func append(_ field: Field, _ text: some Sequence<UInt8>) {
        let start = bytes.count
        bytes.append(contentsOf: text)
        append(field, from: start)
    }

    /// Adds the entry being read: the fields added since the previous entry are its own.
    mutating func append(_ entry: Entry) {
        var entry = entry
        entry.fields = (entries.last?.fields.upperBound ?? 0)..<fields.count
        entries.append(entry)
    }

    /// Empties the batch, keeping its memory. Only between entries: a field added and not
    /// yet part of an entry would be lost.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }
}
