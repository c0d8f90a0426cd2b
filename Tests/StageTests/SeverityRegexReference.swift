@testable import Matching
import Models

/// The severity reading as it was written with `Regex`, before `SeverityReader` read bytes in
/// one pass: kept as the reference the byte reader must agree with, text for text.
enum SeverityRegexReference {
    static func read(title: String?, summary: String?, categories: [String] = []) -> (severity: Severity?, cvss: Double?) {
        var score: Double?
        var severity: Severity?
        for category in categories {
            let words = category.split(whereSeparator: \.isWhitespace)
            if words.count == 1, let found = Severity(word: String(words[0])) { severity = max(severity ?? found, found) }
        }
        for text in [title, summary].compactMap({ $0 }) + categories {
            let lowered = text.lowercased()
            for match in text.matches(of: vector) {
                if let value = CVSSVector(match.output.1)?.baseScore { score = max(score ?? 0, value) }
            }
            for match in lowered.matches(of: scoreText) {
                if let value = Double(match.output.1), value <= 10 { score = max(score ?? 0, value) }
            }
            for pattern in wordPatterns {
                for match in lowered.matches(of: pattern) {
                    if let found = Severity(word: String(match.output.1)) { severity = max(severity ?? found, found) }
                }
            }
        }
        if let fromScore = score.flatMap(Severity.init(cvss:)) { severity = max(severity ?? fromScore, fromScore) }
        return (severity, score)
    }

    private static let words = "critical|high|important|moderate|medium|low"

    nonisolated(unsafe) private static let vector =
        #/(?:CVSS:3\.[01]/)?(AV:[NALP]/AC:[LH]/PR:[NLH]/UI:[NR]/S:[UC]/C:[HLN]/I:[HLN]/A:[HLN])/#
    nonisolated(unsafe) private static let scoreText =
        #/\b(?:cvss(?:v?[234](?:\.[01])?)?(?:\s+v?[234]\.[01])?|base)\s*(?:base\s*)?(?:score)?\s*(?:of|is|:|=)?\s*(\d{1,2}\.\d)\b(?!\s*(?:base|score|vector|/))/#
    nonisolated(unsafe) private static let wordPatterns: [Regex<(Substring, Substring)>] = [
        try! Regex(#"\((\#(words))\)"#),
        try! Regex(#"^\s*(\#(words))\s*:"#),
        try! Regex(#"\b(\#(words))[\s-]+(?:severity|priority)\b"#),
        try! Regex(#"\bseverity\b[^.\n]{0,20}?\b(\#(words))\b"#),
        try! Regex(#"\brated\b[^.\n]{0,40}?\b(\#(words))\b"#),
    ]
}
