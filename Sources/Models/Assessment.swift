/// How bad a bulletin says its problem is, from the words and scores in its text.
public enum Severity: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    case low = 1
    case medium
    case high
    case critical

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        case .critical: "critical"
        }
    }

    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = found
    }

    /// A severity word as advisories write it, any case: `critical`, `high`/`important`,
    /// `medium`/`moderate`, `low`.
    public init?(word: String) {
        switch word.lowercased() {
        case "critical": self = .critical
        case "high", "important": self = .high
        case "medium", "moderate": self = .medium
        case "low": self = .low
        default: return nil
        }
    }

    /// The CVSS qualitative rating of a base score (0.1–3.9 low … 9.0–10 critical); nil for 0.
    public init?(cvss score: Double) {
        switch score {
        case 9.0...10.0: self = .critical
        case 7.0..<9.0: self = .high
        case 4.0..<7.0: self = .medium
        case 0.1..<4.0: self = .low
        default: return nil
        }
    }
}

/// What tagging found out about an entry besides its services: its severity, the highest
/// CVSS score its text gives, and whether one of its CVEs is known to be exploited.
public struct Assessment: Sendable, Hashable {
    public var entryRowID: Int64
    public var severity: Severity?
    public var cvss: Double?
    /// The CVE ids of the entry that are in CISA's Known Exploited Vulnerabilities catalog.
    public var exploited: [String]

    public init(entryRowID: Int64, severity: Severity? = nil, cvss: Double? = nil, exploited: [String] = []) {
        self.entryRowID = entryRowID
        self.severity = severity
        self.cvss = cvss
        self.exploited = exploited
    }

    public var kev: Bool { !exploited.isEmpty }
}
