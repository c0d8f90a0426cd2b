import Models

/// What `inventory check` and `inventory import` warn about in a service's names: a name
/// that is also a common word or a person's name (see ``AmbiguousNames``), and a name of
/// three letters or fewer, each with what to do about it.
public enum NameWarnings {
    public static func warnings(for service: Service) -> [String] {
        var warnings: [String] = []
        var seen = Set<String>()
        let phrases = (service.matchName ? [service.name] : []) + service.aliases.filter { $0.match == .word }.map(\.text)
        for phrase in phrases {
            let key = NormalizedText.key(phrase)
            guard seen.insert(key).inserted else { continue }
            if let context = AmbiguousNames.table[key] {
                let examples = (context.before.prefix(1).map { "\"\($0) \(phrase)\"" }
                    + context.after.prefix(2).map { "\"\(phrase) \($0)\"" }).joined(separator: ", ")
                let fix = phrase == service.name
                    ? "add an alias that only names the software, or set match_name = false"
                    : "remove it or use an alias that only names the software"
                warnings.append("\(service.name): \"\(phrase)\" is also a common word or name; it counts only "
                    + "with a version or words around it that make it the software (\(examples)); to be sure, \(fix)")
            } else if key.count <= 3 {
                warnings.append("\(service.name): \"\(phrase)\" has three letters or fewer and may name other "
                    + "things; add an exclude for what it wrongly matches (bulletin explain shows it)")
            }
        }
        return warnings
    }
}
