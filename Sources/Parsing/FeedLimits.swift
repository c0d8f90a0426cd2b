/// The bounds a feed document is read within. A document is untrusted: each bound stops
/// a hostile or broken one from costing unbounded time or memory, and each one hit is
/// reported (a `ParseError`, or a note in `ParsedFeed.notes`), never silent.
public enum FeedLimits {
    /// The largest document read at all (three times the fetcher's default body limit).
    public static let maxDocumentBytes = 64 * 1024 * 1024
    /// Entries read from one document; the rest are left out, with a note.
    public static let maxEntries = 50_000
    /// Bytes of markup kept for one text field (title, summary, author …); longer text is
    /// cut at a character boundary, with a note.
    public static let maxFieldBytes = 1024 * 1024
    /// Element nesting read; deeper content is skipped, with a note. (libxml2 itself gives
    /// up on a document nested deeper than 256.)
    public static let maxDepth = 64
    /// Time one document may take to read (repairs included), like the fetcher's 30 s
    /// for a transfer; the entries read by then are kept, and the feed reported incomplete.
    public static let maxParseTime: Duration = .seconds(30)
}
