import FoundationEssentials
import Delivery
import Models
import Parsing

/// The `"entries"` array of `bulletin parse --format json`, written as JSON text while the
/// parser hands over each entry: no entry is kept and no `JSON` value is built. The text is
/// exactly what `JSON.write` makes of the README's contract (keys in that order, `null`
/// written out, lists on one line), indented for its place in the document.
struct EntryJSONWriter: FeedEntryCollector {
    /// The text so far: filled chunks, then the one being filled (one growing array would
    /// be copied at each doubling).
    private var chunks: [[UInt8]] = []
    private var current: [UInt8] = []
    private var count = 0
    private static let chunkBytes = 1 << 20

    init() {}

    mutating func append(_ entry: FeedEntry) {
        if current.isEmpty { current.reserveCapacity(Self.chunkBytes + Self.chunkBytes / 4) }
        current.append(literal: count == 0 ? "[\n    " : ",\n    ")
        Self.write(entry, into: &current)
        count += 1
        if current.count >= Self.chunkBytes {
            chunks.append(current)
            current = []
        }
    }

    /// Writes the array (its closing bracket at two spaces' indent) to `output`.
    func write(to output: FileDescriptorOutput) throws(DeliveryError) {
        for chunk in chunks { try output.write(bytes: chunk) }
        var last = current
        last.append(literal: count == 0 ? "[]" : "\n  ]")
        try output.write(bytes: last)
    }

    /// One entry as a JSON object whose lines are indented by four spaces.
    private static func write(_ entry: FeedEntry, into output: inout [UInt8]) {
        output.append(literal: "{\n      \"id\": ")
        JSON.writeQuoted(entry.id, into: &output)
        output.append(literal: ",\n      \"title\": ")
        write(entry.title, into: &output)
        output.append(literal: ",\n      \"link\": ")
        write(entry.link, into: &output)
        output.append(literal: ",\n      \"published\": ")
        write(entry.published, into: &output)
        output.append(literal: ",\n      \"updated\": ")
        write(entry.updated, into: &output)
        output.append(literal: ",\n      \"summary\": ")
        write(entry.summary, into: &output)
        output.append(literal: ",\n      \"authors\": ")
        write(entry.authors, into: &output)
        output.append(literal: ",\n      \"categories\": ")
        write(entry.categories, into: &output)
        output.append(literal: ",\n      \"advisories\": ")
        write(entry.advisories, into: &output)
        output.append(literal: "\n    }")
    }

    private static func write(_ text: String?, into output: inout [UInt8]) {
        if let text { JSON.writeQuoted(text, into: &output) } else { output.append(literal: "null") }
    }

    private static func write(_ date: Date?, into output: inout [UInt8]) {
        guard let date else { return output.append(literal: "null") }
        output.append(UInt8(ascii: "\""))
        FeedDate.appendRFC3339(date, to: &output)
        output.append(UInt8(ascii: "\""))
    }

    private static func write(_ texts: [String], into output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        for (index, text) in texts.enumerated() {
            if index > 0 { output.append(literal: ", ") }
            JSON.writeQuoted(text, into: &output)
        }
        output.append(UInt8(ascii: "]"))
    }
}
