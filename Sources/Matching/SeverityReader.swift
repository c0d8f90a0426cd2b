import Models

/// The severity a bulletin states: the highest CVSS base score it gives (as a number or as a
/// v3 vector) and the severity words it uses in a severity context ("Severity: High",
/// "(important)", "Critical:" at the start of a title, "rated … as medium"). The result is
/// the highest of the two; nil when the text says neither.
public enum SeverityReader {
    public static func read(title: String?, summary: String?) -> (severity: Severity?, cvss: Double?) {
        var score: Double?
        var severity: Severity?
        for text in [title, summary].compactMap({ $0 }) {
            // Regexes are slow: each runs only on text holding the words it cannot match without,
            // and on the text in lower case rather than case-insensitively.
            let lowered = text.lowercased()
            let lower = Array(lowered.utf8)
            if lower.contains("av:") {
                for match in text.matches(of: vector) {
                    if let value = CVSSVector(match.output.1).map(\.baseScore) { score = max(score ?? 0, value) }
                }
            }
            if lower.contains("cvss") || lower.contains("base") {
                for match in lowered.matches(of: scoreText) {
                    if let value = Double(match.output.1), value <= 10 { score = max(score ?? 0, value) }
                }
            }
            guard words.split(separator: "|").contains(where: { lower.contains(String($0)) }) else { continue }
            for (trigger, pattern) in wordPatterns where trigger.contains(where: lower.contains) {
                for match in lowered.matches(of: pattern) {
                    if let found = level(of: match.output.1) { severity = max(severity ?? found, found) }
                }
            }
        }
        if let fromScore = score.flatMap(Severity.init(cvss:)) { severity = max(severity ?? fromScore, fromScore) }
        return (severity, score)
    }

    private static func level(of word: Substring) -> Severity? {
        switch word.lowercased() {
        case "critical": .critical
        case "high", "important": .high
        case "moderate", "medium": .medium
        case "low": .low
        default: nil
        }
    }

    private static let words = "critical|high|important|moderate|medium|low"

    nonisolated(unsafe) private static let vector =
        #/(?:CVSS:3\.[01]/)?(AV:[NALP]/AC:[LH]/PR:[NLH]/UI:[NR]/S:[UC]/C:[HLN]/I:[HLN]/A:[HLN])/#
    nonisolated(unsafe) private static let scoreText =
        #/\b(?:cvss(?:v?[234](?:\.[01])?)?(?:\s+v?[234]\.[01])?|base)\s*(?:base\s*)?(?:score)?\s*(?:of|is|:|=)?\s*(\d{1,2}\.\d)\b(?!\s*(?:base|score|vector|/))/#
    /// Each pattern with the lower-case words one of which it needs to match.
    nonisolated(unsafe) private static let wordPatterns: [(trigger: [String], pattern: Regex<(Substring, Substring)>)] = [
        // "ALAS-2018-1105 (important): tomcat"
        (["("], try! Regex(#"\((\#(words))\)"#)),
        // "Important: kernel security update" (Red Hat's titles)
        ([":"], try! Regex(#"^\s*(\#(words))\s*:"#)),
        // "high severity", "Critical-severity", "low priority"
        (["severity", "priority"], try! Regex(#"\b(\#(words))[\s-]+(?:severity|priority)\b"#)),
        // "Severity: High", "severity rating of critical"
        (["severity"], try! Regex(#"\bseverity\b[^.\n]{0,20}?\b(\#(words))\b"#)),
        // "rated by the maintainers as medium"
        (["rated"], try! Regex(#"\brated\b[^.\n]{0,40}?\b(\#(words))\b"#)),
    ]
}

private extension Array where Element == UInt8 {
    /// True when `word`'s UTF-8 bytes occur in these bytes.
    func contains(_ word: String) -> Bool {
        let needle = Array(word.utf8)
        guard let first = needle.first, needle.count <= count else { return false }
        var index = startIndex
        while let found = self[index...].firstIndex(of: first) {
            if found + needle.count > count { return false }
            if self[found..<found + needle.count].elementsEqual(needle) { return true }
            index = found + 1
        }
        return false
    }
}
