import Models

/// The distributions whose advisory ids say which one a bulletin is for: an ALAS is by
/// definition an Amazon Linux bulletin, though its text never says "Amazon Linux".
enum Distribution {
    struct Kind: Sendable {
        /// How the advisory's title starts (`ALAS`, `USN-`, `[DSA`).
        let prefixes: [String]
        /// What the advisory names the distribution by, and the other names it goes by.
        let names: [String]
        /// The id's name for `explain` ("ALAS id").
        let id: String
    }

    static let kinds: [Kind] = [
        Kind(prefixes: ["ALAS"], names: ["Amazon Linux"], id: "ALAS"),
        Kind(prefixes: ["USN-"], names: ["Ubuntu"], id: "USN"),
        Kind(prefixes: ["DSA-", "DSA ", "[DSA", "DLA-", "DLA ", "[DLA"], names: ["Debian"], id: "DSA/DLA"),
        Kind(prefixes: ["RHSA-"], names: ["Red Hat Enterprise Linux", "RHEL", "Red Hat"], id: "RHSA"),
        Kind(prefixes: ["GLSA"], names: ["Gentoo"], id: "GLSA"),
        Kind(prefixes: ["SUSE-SU-", "openSUSE-SU-"], names: ["SUSE", "SUSE Linux Enterprise", "SLES", "openSUSE"],
             id: "SUSE-SU"),
        Kind(prefixes: ["FreeBSD-SA-"], names: ["FreeBSD"], id: "FreeBSD-SA"),
    ]

    /// The first bytes of `kinds`' prefixes: most titles start with none of them.
    private static let firstBytes = Set(kinds.flatMap { $0.prefixes.compactMap(\.utf8.first) })

    /// The distribution whose advisory `entry` is, by the id its title starts with.
    static func of(_ entry: FeedEntry) -> Kind? {
        guard let title = entry.title, let first = title.utf8.first, firstBytes.contains(first) else { return nil }
        return kinds.first { kind in kind.prefixes.contains { title.hasPrefix($0) } }
    }

    /// Whether `phrase` (normalized) names the distribution: one of its names, or one of
    /// them with a release after it (`amazon linux 2023`, `ubuntu 22 04`).
    static func names(_ kind: Kind, _ phrase: String) -> Bool {
        kind.names.contains { name in
            let key = NormalizedText.key(name)
            return phrase == key || (phrase.hasPrefix(key + " ") && phrase.dropFirst(key.count + 1).first?.isNumber == true)
        }
    }
}
