import Models

/// Links candidates that report the same thing, so the digest shows them as one row
/// ("also: Ubuntu USN-…, Debian DSA-…"): entries of different feeds that share an advisory
/// id, and entries of one feed that name exactly the same advisory ids (a feed repeating
/// one advisory per affected package). Two bulletins of one feed that merely overlap (two
/// kernel updates fixing one CVE among others) stay apart.
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
        var firstNaming: [String: [Int]] = [:]
        for (index, candidate) in candidates.enumerated() {
            for advisory in Set(candidate.entry.entry.advisories) {
                firstNaming[advisory, default: []].append(index)
            }
        }
        for members in firstNaming.values where members.count > 1 {
            for index in members.dropFirst() where linked(candidates[members[0]], candidates[index]) {
                parent[root(index)] = root(members[0])
            }
        }
        var keys: [Int: String] = [:]
        var sizes: [Int: Int] = [:]
        for index in candidates.indices {
            let group = root(index)
            sizes[group, default: 0] += 1
            if let smallest = candidates[index].entry.entry.advisories.min(), smallest < keys[group] ?? "\u{10FFFF}" {
                keys[group] = smallest
            }
        }
        return candidates.enumerated().map { index, candidate in
            var clustered = candidate
            let group = root(index)
            clustered.cluster = sizes[group, default: 0] > 1 ? keys[group] : nil
            return clustered
        }
    }

    private static func linked(_ a: DigestCandidate, _ b: DigestCandidate) -> Bool {
        a.entry.feedTitle != b.entry.feedTitle
            || Set(a.entry.entry.advisories) == Set(b.entry.entry.advisories)
    }
}
