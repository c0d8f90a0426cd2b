import Models

/// What re-tagging changes: the (entry, service) pairs tagged now and not before, those
/// tagged before and not now, and those still tagged for a different reason.
public struct TagDiff: Sendable, Hashable {
    public var added: [EntryTag] = []
    public var removed: [EntryTag] = []
    /// Tags whose service stays but whose alias, field or position changed.
    public var updated: [EntryTag] = []

    public init(stored: [EntryTag], computed: [EntryTag]) {
        struct Key: Hashable { let entry: Int64; let service: String }
        let before = Dictionary(stored.map { (Key(entry: $0.entryRowID, service: $0.service), $0) },
                                uniquingKeysWith: { first, _ in first })
        var now = Set<Key>()
        for tag in computed {
            let key = Key(entry: tag.entryRowID, service: tag.service)
            now.insert(key)
            if let old = before[key] {
                if old != tag { updated.append(tag) }
            } else {
                added.append(tag)
            }
        }
        removed = stored.filter { !now.contains(Key(entry: $0.entryRowID, service: $0.service)) }
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && updated.isEmpty }
}
