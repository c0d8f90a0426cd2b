/// A CVSS v3.0/v3.1 base vector (`CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`, the prefix
/// optional) and its base score, computed as the CVSS v3.1 specification (section 7.1) says.
struct CVSSVector: Hashable {
    let attackVector: Double
    let attackComplexity: Double
    let privilegesRequired: Double
    let userInteraction: Double
    let scopeChanged: Bool
    let confidentiality: Double
    let integrity: Double
    let availability: Double

    /// Reads the eight base metrics, in the specification's order; nil when one is missing or unknown.
    init?(_ text: Substring) {
        var metrics: [Substring: Substring] = [:]
        for part in text.split(separator: "/") {
            let pair = part.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            metrics[pair[0]] = pair[1]
        }
        func value(_ key: Substring, _ table: [Substring: Double]) -> Double? { metrics[key].flatMap { table[$0] } }
        let impact: [Substring: Double] = ["H": 0.56, "L": 0.22, "N": 0]
        guard let scope = metrics["S"], scope == "U" || scope == "C",
              let av = value("AV", ["N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2]),
              let ac = value("AC", ["L": 0.77, "H": 0.44]),
              let pr = value("PR", scope == "C" ? ["N": 0.85, "L": 0.68, "H": 0.5] : ["N": 0.85, "L": 0.62, "H": 0.27]),
              let ui = value("UI", ["N": 0.85, "R": 0.62]),
              let c = value("C", impact), let i = value("I", impact), let a = value("A", impact)
        else { return nil }
        (attackVector, attackComplexity, privilegesRequired, userInteraction) = (av, ac, pr, ui)
        (scopeChanged, confidentiality, integrity, availability) = (scope == "C", c, i, a)
    }

    var baseScore: Double {
        let iss = 1 - (1 - confidentiality) * (1 - integrity) * (1 - availability)
        let impact = scopeChanged ? 7.52 * (iss - 0.029) - 3.25 * pow15(iss - 0.02) : 6.42 * iss
        let exploitability = 8.22 * attackVector * attackComplexity * privilegesRequired * userInteraction
        guard impact > 0 else { return 0 }
        return Self.roundUp(min((scopeChanged ? 1.08 : 1) * (impact + exploitability), 10))
    }

    private func pow15(_ x: Double) -> Double {
        var result = 1.0
        for _ in 0..<15 { result *= x }
        return result
    }

    /// The specification's Roundup: the smallest number with one decimal at or above `value`,
    /// computed on integers so that 4.000000001 does not become 4.1.
    static func roundUp(_ value: Double) -> Double {
        let scaled = Int((value * 100_000).rounded())
        return scaled % 10_000 == 0 ? Double(scaled) / 100_000 : Double(scaled / 10_000 + 1) / 10
    }
}
