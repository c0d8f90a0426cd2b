import Models

/// Links candidates that report the same thing, so the digest shows them as one row
/// ("also: Ubuntu USN-…, Debian DSA-…"): entries of different feeds that share an advisory
/// id, entries of one feed that name exactly the same advisory ids (a feed repeating
/// one advisory per affected package), and entries with the same link or the same title
/// and summary. An advisory id in an entry's link counts as one of its ids
/// (`https://github.com/advisories/GHSA-…`). Two bulletins of one feed that merely overlap
/// (two kernel updates fixing one CVE among others) stay apart.
public enum Clustering {
    /// `candidates` with `cluster` set: the same key for every member of a cluster (the
    /// smallest advisory id the cluster shares), nil for a candidate that stands alone.
    public static func assign(_ candidates: [DigestCandidate]) -> [DigestCandidate] {
        var parent = Array(candidates.indices)
        func root(_ index: Int) -> Int {
            var index = index
            while parent[index] != index {
                parent[index] = parent[parent[index]]
                index = parent[index]
            }
            return index
        }
        let advisories = candidates.map(Self.advisories)
        var firstNaming: [String: [Int]] = [:]
        var sameCopy: [String: [Int]] = [:]
        for (index, candidate) in candidates.enumerated() {
            for advisory in Set(advisories[index]) {
                firstNaming[advisory, default: []].append(index)
            }
            let entry = candidate.entry.entry
            if let link = entry.link { sameCopy["link\u{0}" + link, default: []].append(index) }
            if let title = entry.title {
                sameCopy["content\u{0}" + title + "\u{0}" + (entry.summary ?? ""), default: []].append(index)
            }
        }
        for members in firstNaming.values where members.count > 1 {
            for index in members.dropFirst() where linked(candidates[members[0]], advisories[members[0]],
                                                          candidates[index], advisories[index]) {
                parent[root(index)] = root(members[0])
            }
        }
        for members in sameCopy.values where members.count > 1 {
            for index in members.dropFirst() { parent[root(index)] = root(members[0]) }
        }
        var keys: [Int: String] = [:]
        var sizes: [Int: Int] = [:]
        for index in candidates.indices {
            let group = root(index)
            sizes[group, default: 0] += 1
            let key = advisories[index].min() ?? candidates[index].entry.entry.link.map { "link:" + $0 }
                ?? "entry:\(candidates[index].entry.rowID)"
            if key < keys[group] ?? "\u{10FFFF}" { keys[group] = key }
        }
        return candidates.enumerated().map { index, candidate in
            var clustered = candidate
            let group = root(index)
            clustered.cluster = sizes[group, default: 0] > 1 ? keys[group] : nil
            return clustered
        }
    }

    private static func linked(_ a: DigestCandidate, _ aIDs: [String], _ b: DigestCandidate, _ bIDs: [String]) -> Bool {
        a.entry.feedTitle != b.entry.feedTitle || Set(aIDs) == Set(bIDs)
    }

    /// The advisory ids prefixes a link may carry, upper case.
    private static let linkPrefixes = ["GHSA-", "CVE-", "USN-", "DSA-", "DLA-", "ALAS", "RHSA-", "GLSA-"]

    /// The entry's advisory ids, with those its link names (`…/advisories/GHSA-4vq8-7jfc-9cvp`).
    static func advisories(_ candidate: DigestCandidate) -> [String] {
        var ids = candidate.entry.entry.advisories
        guard let link = candidate.entry.entry.link else { return ids }
        let words = link.split { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == ":") }
        for word in words {
            let upper = word.uppercased()
            guard linkPrefixes.contains(where: upper.hasPrefix), upper.contains(where: \.isNumber) else { continue }
            // GitHub writes the body of a GHSA id in lower case.
            let id = upper.hasPrefix("GHSA-") ? "GHSA-" + word.dropFirst(5).lowercased() : upper
            if !ids.contains(where: { $0.uppercased() == upper }) { ids.append(id) }
        }
        return ids
    }
}
