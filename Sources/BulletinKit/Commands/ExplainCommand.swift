import FoundationEssentials
import Digest
import Matching
import Models
import Storage

/// `bulletin explain ID`: why a bulletin was (or was not) tied to each service.
enum ExplainCommand {
    static let spec = CommandSpec(
        name: "explain",
        abstract: "Show why a bulletin was or was not tagged, service by service.",
        discussion: """
            ID is an entry's number (as 'bulletin tag' prints it) or an advisory id such as \
            CVE-2024-3094 (every stored entry that names it). Prints the entry, each service \
            it is about (subject) or names in passing (mention) with the rule that decided it \
            and the text around the hit, and each service whose name was found but did not \
            count: not a name there (a URL, code, an ambiguous word without context), vetoed \
            by an exclude, a category the service does not take. --all also lists the services \
            not mentioned and hits inside longer words. Positions are byte offsets in the \
            field's text.
            """,
        arguments: [.init(name: "id", help: "An entry number or an advisory id (CVE-…, GHSA-…, USN-…).")],
        options: [
            .init(name: "--all", value: nil, help: "Also list every service the entry does not name."),
            .init(name: "--format", value: "format", help: "Output format (json lists every service).",
                  choices: ["text", "json"]),
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let configuration = try Configuration.load(invocation.global)
        let store = try Pipeline(configuration: configuration, console: invocation.console).openStoreForReading()
        let entries = try find(invocation.arguments[0], in: store)
        let matcher = Matcher(services: configuration.services, feedTopics: try configuration.feedTopics())
        let explanations = try entries.map { stored in
            Explanation(stored, matcher: matcher, stored: try store.tags(of: stored.rowID),
                        assessment: try store.assessment(of: stored.rowID),
                        kev: try stored.entry.advisories.compactMap { try store.kevRecord($0) },
                        services: configuration.services, highRisk: configuration.settings.digest.highRisk)
        }
        if invocation.value("--format") == "json" {
            invocation.console.print(JSON.array(explanations.map(\.json)).rendered())
        } else {
            // Feed text as the digest shows it: no controls, no bidirectional overrides (ShownText).
            let all = invocation.flags.contains("--all")
            invocation.console.print(ShownText.lines(explanations.map { $0.text(all: all) }.joined(separator: "\n\n")))
        }
        return .success
    }

    /// The entries an id names: an entry number, or every entry naming an advisory.
    static func find(_ id: String, in store: Store) throws -> [StoredEntry] {
        if let number = Int64(id) {
            guard let entry = try store.entry(rowID: number) else {
                throw RuntimeError(message: "explain: no entry \(number) in \(store.path)")
            }
            return [entry]
        }
        let entries = try store.entries(mentioning: id)
        guard !entries.isEmpty else {
            throw RuntimeError(message: "explain: no stored entry names '\(id)' (give an entry number or an advisory id)")
        }
        return entries
    }

    /// Where the digest puts the entry, and why (`DigestBuilder.actionNeeded`).
    static func placement(subjects: [String], mentions: [String], severity: Severity?, kev: Bool,
                          services: [Service], highRisk: Int) -> String {
        guard !subjects.isEmpty else {
            return mentions.isEmpty ? "not shown (it is about none of your services)"
                : "one line under Also mentioned (it only mentions \(mentions.joined(separator: ", ")))"
        }
        let risks = Dictionary(services.map { ($0.name, $0.risk) }, uniquingKeysWith: max)
        let riskiest = subjects.max { risks[$0, default: 0] < risks[$1, default: 0] } ?? subjects[0]
        let risk = risks[riskiest, default: 0]
        switch DigestBuilder.actionNeeded(kev: kev, severity: severity, risk: risk, highRisk: highRisk) {
        case .exploited: return "Action needed: one of its CVEs is in CISA's KEV catalog"
        case .critical: return "Action needed: critical severity"
        case .highOnHighRisk:
            return "Action needed: \(severity!) severity on \(riskiest), whose risk \(risk) is at or above \(highRisk)"
        case nil:
            let why = severity.map { severity in
                severity >= .high ? "\(severity) severity, but \(riskiest)'s risk \(risk) is below \(highRisk)"
                    : "\(severity) severity"
            } ?? "no severity stated"
            return "a row under \(riskiest), not Action needed (\(why); KEV-listed, critical, or high on a service "
                + "at or above risk \(highRisk) would be)"
        }
    }
}
