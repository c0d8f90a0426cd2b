import Models

/// The severity a bulletin states: the highest CVSS base score it gives (as a number or as a
/// v3 vector) and the severity words it uses in a severity context ("Severity: High",
/// "(important)", "Critical:" at the start of a title, "rated … as medium"), or as a whole
/// category (GitHub's advisories: `<category label="severity" term="HIGH"/>`). The result is
/// the highest of these; nil when the entry says none.
public enum SeverityReader {
    public static func read(title: String?, summary: String?, categories: [String] = [])
        -> (severity: Severity?, cvss: Double?) {
        var score: Double?
        var severity: Severity?
        // A category that is just a severity word is one; a longer one ("Severity: High",
        // "high school") is read as text below, where only a severity context counts.
        for category in categories {
            let words = category.split(whereSeparator: \.isWhitespace)
            if words.count == 1, let found = Severity(word: String(words[0])) { severity = max(severity ?? found, found) }
        }
        for text in [title, summary].compactMap({ $0 }) + categories {
            // Regexes are slow: each runs only on text holding the words it cannot match without,
            // and on the text in lower case rather than case-insensitively.
            let (lower, loweredText) = lowerCased(text)
            lazy var lowered = loweredText ?? String(decoding: lower, as: UTF8.self)  // made once, if a regex runs
            let found = Needle.found(in: lower)
            if found.contains(.vector) {
                for match in text.matches(of: vector) {
                    if let value = CVSSVector(match.output.1).map(\.baseScore) { score = max(score ?? 0, value) }
                }
            }
            if found.contains(.cvss) || found.contains(.base) {
                for match in lowered.matches(of: scoreText) {
                    if let value = Double(match.output.1), value <= 10 { score = max(score ?? 0, value) }
                }
            }
            guard found.contains(.severityWord) else { continue }
            for (trigger, pattern) in wordPatterns where trigger.contains(where: found.contains) {
                for match in lowered.matches(of: pattern) {
                    if let found = Severity(word: String(match.output.1)) { severity = max(severity ?? found, found) }
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
        var text = text
        var high: UInt8 = 0  // the bits of every byte: 0x80 is set when one is not ASCII
        let bytes = text.withUTF8 { utf8 in
            [UInt8](unsafeUninitializedCapacity: utf8.count) { lowered, count in
                for (index, byte) in utf8.enumerated() {
                    high |= byte
                    lowered[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte
                }
                count = utf8.count
            }
        }
        guard high & 0x80 != 0 else { return (bytes, nil) }
        let lowered = text.lowercased()
        return (Array(lowered.utf8), lowered)
    }

    /// The words the regexes need, all found in one pass over the lowered text.
    private enum Needle: Int, CaseIterable {
        case vector, cvss, base, paren, colon, severity, priority, rated
        /// One of `SeverityReader.words`.
        case severityWord

        private var texts: [String] {
            switch self {
            case .vector: ["av:"]
            case .cvss: ["cvss"]
            case .base: ["base"]
            case .paren: ["("]
            case .colon: [":"]
            case .severity: ["severity"]
            case .priority: ["priority"]
            case .rated: ["rated"]
            case .severityWord: words.split(separator: "|").map(String.init)
            }
        }

        /// Every needle's texts, and the needle each text (by pattern id) stands for.
        private static let texts = allCases.flatMap { needle in needle.texts.map { (needle, Array($0.utf8)) } }
        private static let automaton = AhoCorasick(texts.map(\.1))

        /// The needles `lower` (lower-case UTF-8) holds.
        static func found(in lower: [UInt8]) -> Found {
            var found = Found()
            automaton.scan(lower) { pattern, _ in found.insert(texts[pattern].0) }
            return found
        }

        struct Found {
            private var bits: UInt32 = 0
            mutating func insert(_ needle: Needle) { bits |= 1 << needle.rawValue }
            func contains(_ needle: Needle) -> Bool { bits & 1 << needle.rawValue != 0 }
        }
    }

    private static let words = "critical|high|important|moderate|medium|low"

    nonisolated(unsafe) private static let vector =
        #/(?:CVSS:3\.[01]/)?(AV:[NALP]/AC:[LH]/PR:[NLH]/UI:[NR]/S:[UC]/C:[HLN]/I:[HLN]/A:[HLN])/#
    nonisolated(unsafe) private static let scoreText =
        #/\b(?:cvss(?:v?[234](?:\.[01])?)?(?:\s+v?[234]\.[01])?|base)\s*(?:base\s*)?(?:score)?\s*(?:of|is|:|=)?\s*(\d{1,2}\.\d)\b(?!\s*(?:base|score|vector|/))/#
    /// Each pattern with the lower-case words one of which it needs to match.
    nonisolated(unsafe) private static let wordPatterns: [(trigger: [Needle], pattern: Regex<(Substring, Substring)>)] = [
        // "ALAS-2018-1105 (important): tomcat"
        ([.paren], try! Regex(#"\((\#(words))\)"#)),
        // "Important: kernel security update" (Red Hat's titles)
        ([.colon], try! Regex(#"^\s*(\#(words))\s*:"#)),
        // "high severity", "Critical-severity", "low priority"
        ([.severity, .priority], try! Regex(#"\b(\#(words))[\s-]+(?:severity|priority)\b"#)),
        // "Severity: High", "severity rating of critical"
        ([.severity], try! Regex(#"\bseverity\b[^.\n]{0,20}?\b(\#(words))\b"#)),
        // "rated by the maintainers as medium"
        ([.rated], try! Regex(#"\brated\b[^.\n]{0,40}?\b(\#(words))\b"#)),
    ]
}
