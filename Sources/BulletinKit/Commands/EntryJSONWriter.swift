import FoundationEssentials
import Delivery
import Models
import Parsing

/// The `"entries"` array of `bulletin parse --format json`, written as JSON text while the
/// parser hands over each entry: no entry is kept and no `JSON` value is built. The text is
/// exactly what `JSON.write` makes of the README's contract (keys in that order, `null`
/// written out, lists on one line), indented for its place in the document.
struct EntryJSONWriter: FeedEntryCollector {
    /// The text so far (a class: a copy of the writer shares it).
    private let text = OutputChunks()
    /// A timestamp's text.
    private var dateText: [UInt8] = []
    private var count = 0

    init() {}

    mutating func append(_ entry: FeedEntry) {
        var output = text
        output.append(literal: count == 0 ? "[\n    " : ",\n    ")
        write(entry, into: &output)
        count += 1
    }

    /// Writes the array (its closing bracket at two spaces' indent) to `output`.
    func write(to output: FileDescriptorOutput) throws(DeliveryError) {
        try text.write(to: output)
        try output.write(bytes: Array((count == 0 ? "[]" : "\n  ]").utf8))
    }

    /// One entry as a JSON object whose lines are indented by four spaces.
    private mutating func write(_ entry: FeedEntry, into output: inout OutputChunks) {
        output.append(literal: "{\n      \"id\": ")
        JSON.writeQuoted(entry.id, into: &output)
        write(",\n      \"title\": ", entry.title, into: &output)
        write(",\n      \"link\": ", entry.link, into: &output)
        write(",\n      \"published\": ", entry.published, into: &output)
        write(",\n      \"updated\": ", entry.updated, into: &output)
        write(",\n      \"summary\": ", entry.summary, into: &output)
        write(",\n      \"authors\": ", entry.authors, into: &output)
        write(",\n      \"categories\": ", entry.categories, into: &output)
        write(",\n      \"advisories\": ", entry.advisories, into: &output)
        output.append(literal: "\n    }")
    }

    /// `key` (with what comes before it), then the text or `null`.
    private func write(_ key: StaticString, _ text: String?, into output: inout OutputChunks) {
        output.append(literal: key)
        if let text { JSON.writeQuoted(text, into: &output) } else { output.append(literal: "null") }
    }

    /// `key`, then the timestamp (RFC 3339) or `null`.
    private mutating func write(_ key: StaticString, _ date: Date?, into output: inout OutputChunks) {
        output.append(literal: key)
        guard let date else { return output.append(literal: "null") }
        dateText.removeAll(keepingCapacity: true)
        Timestamp.appendRFC3339(date, to: &dateText)
        output.append(UInt8(ascii: "\""))
        dateText.withUnsafeBytes { output.append(bytes: $0) }
        output.append(UInt8(ascii: "\""))
    }

    /// `key`, then the list on one line.
    private func write(_ key: StaticString, _ texts: [String], into output: inout OutputChunks) {
        output.append(literal: key)
        output.append(UInt8(ascii: "["))
        for (index, text) in texts.enumerated() {
            if index > 0 { output.append(literal: ", ") }
            JSON.writeQuoted(text, into: &output)
        }
        output.append(UInt8(ascii: "]"))
    }
}
