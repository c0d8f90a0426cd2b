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
            let (lower, loweredText) = lowerCased(text)
            let lowered = { loweredText ?? String(decoding: lower, as: UTF8.self) }
            if lower.contains(Needle.vector) {
                for match in text.matches(of: vector) {
                    if let value = CVSSVector(match.output.1).map(\.baseScore) { score = max(score ?? 0, value) }
                }
            }
            if lower.contains(Needle.cvss) || lower.contains(Needle.base) {
                for match in lowered().matches(of: scoreText) {
                    if let value = Double(match.output.1), value <= 10 { score = max(score ?? 0, value) }
                }
            }
            guard Needle.words.contains(where: lower.contains) else { continue }
            for (trigger, pattern) in wordPatterns where trigger.contains(where: lower.contains) {
                for match in lowered().matches(of: pattern) {
                    if let found = level(of: match.output.1) { severity = max(severity ?? found, found) }
                }
            }
        }
        if let fromScore = score.flatMap(Severity.init(cvss:)) { severity = max(severity ?? fromScore, fromScore) }
        return (severity, score)
    }

    /// The UTF-8 bytes of `text` in lower case, and the lower-cased text when it had to be
    /// made (text not all ASCII); ASCII text is lowered byte by byte, which is the same and
    /// many times faster. Most bulletins never need the lowered text as a String.
    private static func lowerCased(_ text: String) -> (bytes: [UInt8], text: String?) {
        var ascii = true
        let bytes = text.utf8.map { byte -> UInt8 in
            ascii = ascii && byte < 0x80
            return byte &- 0x41 < 26 ? byte | 0x20 : byte
        }
        guard !ascii else { return (bytes, nil) }
        let lowered = text.lowercased()
        return (Array(lowered.utf8), lowered)
    }

    /// The words each regex needs, as bytes, made once.
    private enum Needle {
        static let vector = Array("av:".utf8)
        static let cvss = Array("cvss".utf8)
        static let base = Array("base".utf8)
        static let words = SeverityReader.words.split(separator: "|").map { Array($0.utf8) }
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
    nonisolated(unsafe) private static let wordPatterns: [(trigger: [[UInt8]], pattern: Regex<(Substring, Substring)>)] = [
        // "ALAS-2018-1105 (important): tomcat"
        ([Array("(".utf8)], try! Regex(#"\((\#(words))\)"#)),
        // "Important: kernel security update" (Red Hat's titles)
        ([Array(":".utf8)], try! Regex(#"^\s*(\#(words))\s*:"#)),
        // "high severity", "Critical-severity", "low priority"
        ([Array("severity".utf8), Array("priority".utf8)], try! Regex(#"\b(\#(words))[\s-]+(?:severity|priority)\b"#)),
        // "Severity: High", "severity rating of critical"
        ([Array("severity".utf8)], try! Regex(#"\bseverity\b[^.\n]{0,20}?\b(\#(words))\b"#)),
        // "rated by the maintainers as medium"
        ([Array("rated".utf8)], try! Regex(#"\brated\b[^.\n]{0,40}?\b(\#(words))\b"#)),
    ]
}

private extension Array where Element == UInt8 {
    /// True when `needle` occurs in these bytes.
    func contains(_ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= count else { return false }
        return withUnsafeBufferPointer { bytes in
            needle.withUnsafeBufferPointer { needle in
                var index = 0
                let last = bytes.count - needle.count
                while index <= last {
                    if bytes[index] == first {
                        var matched = 1
                        while matched < needle.count, bytes[index + matched] == needle[matched] { matched += 1 }
                        if matched == needle.count { return true }
                    }
                    index += 1
                }
                return false
            }
        }
    }
}
