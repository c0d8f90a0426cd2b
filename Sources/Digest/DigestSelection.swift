import FoundationEssentials
import Models

/// Which stored entries a digest is made of: the rules between the store's selection and
/// `DigestBuilder`, in the order a delivery applies them.
public enum DigestSelection {
    public typealias Tagged = (entry: StoredEntry, tags: [EntryTag])

    /// Only what a bulletin is about makes a row (`subjects`, with its subject tags); one
    /// that merely mentions services is a line under *Also mentioned* (`mentions`), unless
    /// `keepMentions` is false (`[digest] mentions = false`).
    public static func split(_ tagged: [Tagged], keepMentions: Bool) -> (subjects: [Tagged], mentions: [Tagged]) {
        var subjects: [Tagged] = [], mentions: [Tagged] = []
        for item in tagged {
            let about = item.tags.filter { $0.strength == .subject }
            if !about.isEmpty {
                subjects.append((item.entry, about))
            } else if keepMentions {
                mentions.append(item)
            }
        }
        return (subjects, mentions)
    }

    /// Entries as digest candidates, with the severity and KEV flag tagging found, linked
    /// into clusters of entries that report the same thing.
    public static func candidates(_ tagged: [Tagged], assessments: [Int64: Assessment]) -> [DigestCandidate] {
        Clustering.assign(tagged.map { item in
            var candidate = DigestCandidate(item)
            if let assessment = assessments[item.entry.rowID] {
                candidate.severity = assessment.severity
                candidate.kev = assessment.kev
            }
            return candidate
        })
    }

    /// The candidates acks leave, given `kept`, what the store's acks left of the selection
    /// (each entry with the tags no ack hides): an entry acked for all its services hides
    /// its whole cluster (the USN and the DSA of the CVE acked in the AWS bulletin); an ack
    /// for one service only drops that service from the entry.
    public static func visible(_ all: [DigestCandidate], kept: [Tagged]) -> [DigestCandidate] {
        let services = Dictionary(kept.map { ($0.entry.rowID, $0.tags.map(\.service)) }, uniquingKeysWith: { first, _ in first })
        let hiddenClusters = Set(all.filter { services[$0.entry.rowID] == nil }.compactMap(\.cluster))
        return all.compactMap { candidate in
            guard let shown = services[candidate.entry.rowID],
                  !(candidate.cluster.map(hiddenClusters.contains) ?? false) else { return nil }
            var visible = candidate
            visible.services = shown
            return visible
        }
    }

    /// Whether an entry dated `date` falls in the window [`since`, `until`); an undated
    /// entry falls only in no window at all.
    public static func isInWindow(_ date: Date?, since: Date?, until: Date?) -> Bool {
        guard let date else { return since == nil && until == nil }
        return (since.map { date >= $0 } ?? true) && (until.map { date < $0 } ?? true)
    }
}
