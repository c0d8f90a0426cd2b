/// Advisory ids named in a bulletin's text: CVE, GHSA, Ubuntu USN, Debian DSA/DLA,
/// Amazon Linux ALAS, Red Hat RHSA, in their canonical case, first seen first, without repeats.
enum Advisories {
    nonisolated(unsafe) private static let pattern = #/(?i)\b(?:CVE-\d{4}-\d{4,7}|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}|USN-\d{3,5}-\d{1,2}|D[SL]A-\d{3,5}(?:-\d{1,2})?|ALAS(?:2|2022|2023)?-\d{4}-\d{3,5}|RHSA-\d{4}:\d{4,5})\b/#

    /// Upper case, but GHSA ids keep their lower-case body, as GitHub writes them.
    private static func canonical(_ id: String) -> String {
        let upper = id.uppercased()
        return upper.hasPrefix("GHSA-") ? "GHSA-" + id.dropFirst(5).lowercased() : upper
    }

    static func find(in texts: String?...) -> [String] {
        var seen = Set<String>()
        var found: [String] = []
        for text in texts.compactMap({ $0 }) {
            for match in text.matches(of: pattern) {
                let id = canonical(String(match.output))
                if seen.insert(id).inserted { found.append(id) }
            }
        }
        return found
    }
}
