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

    private mutating func write(_ text: String?, into output: inout OutputChunks) {
        if let text { JSON.writeQuoted(text, into: &output) } else { output.append(literal: "null") }
    }

    private mutating func write(_ date: Date?, into output: inout OutputChunks) {
        guard let date else { return output.append(literal: "null") }
        dateText.removeAll(keepingCapacity: true)
        FeedDate.appendRFC3339(date, to: &dateText)
        output.append(UInt8(ascii: "\""))
        dateText.withUnsafeBytes { output.append(bytes: $0) }
        output.append(UInt8(ascii: "\""))
    }

    private mutating func write(_ texts: [String], into output: inout OutputChunks) {
        output.append(UInt8(ascii: "["))
        for (index, text) in texts.enumerated() {
            if index > 0 { output.append(literal: ", ") }
            JSON.writeQuoted(text, into: &output)
        }
        output.append(UInt8(ascii: "]"))
    }
}
