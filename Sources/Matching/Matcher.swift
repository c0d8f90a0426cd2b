import Models

/// Ties entries to the inventory's services: a service matches when one of its phrases
/// appears in the title (or else the summary) as whole words, and none of its excludes
/// appears there. Pure: no I/O.
public struct Matcher: Sendable {
    private let services: [CompiledService]

    public init(services: [Service]) {
        self.services = services.map(CompiledService.init)
    }

    /// The tags for one stored entry, one per matching service, with the phrase and field.
    public func tags(for stored: StoredEntry) -> [EntryTag] {
        let fields = [("title", stored.entry.title), ("summary", stored.entry.summary)]
            .compactMap { name, text in text.map { (name, Normalized($0)) } }
        return services.compactMap { service in
            for (field, text) in fields {
                if service.excludes.contains(where: text.containsWords) { continue }
                if let hit = service.phrases.first(where: { text.containsWords($0.normalized) }) {
                    return EntryTag(entryRowID: stored.rowID, service: service.name, alias: hit.original, field: field)
                }
            }
            return nil
        }
    }
}

private struct CompiledService: Sendable {
    let name: String
    let phrases: [(original: String, normalized: [UInt8])]
    let excludes: [[UInt8]]

    init(_ service: Service) {
        name = service.name
        phrases = service.phrases.map { ($0, Normalized($0).bytes) }.filter { !$0.1.isEmpty }
        excludes = service.exclude.map { Normalized($0).bytes }.filter { !$0.isEmpty }
    }
}

/// Text reduced for matching: lower-cased, every run of characters that are not letters
/// or digits turned into one space, with a space at each end so phrases match whole words.
struct Normalized {
    let bytes: [UInt8]

    init(_ text: String) {
        var bytes: [UInt8] = [0x20]
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                bytes.append(contentsOf: character.utf8)
            } else if bytes.last != 0x20 {
                bytes.append(0x20)
            }
        }
        if bytes.last != 0x20 { bytes.append(0x20) }
        self.bytes = bytes
    }

    /// True when `phrase` (normalised, with its boundary spaces) occurs in this text.
    func containsWords(_ phrase: [UInt8]) -> Bool {
        guard phrase.count > 2, phrase.count <= bytes.count else { return false }
        let first = phrase[0]
        var start = 0
        while start <= bytes.count - phrase.count {
            if bytes[start] == first, bytes[start..<start + phrase.count].elementsEqual(phrase) { return true }
            start += 1
        }
        return false
    }
}
