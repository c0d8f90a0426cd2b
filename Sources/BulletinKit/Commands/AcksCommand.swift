import FoundationEssentials
import Models
import Storage

/// `bulletin acks [--all]`: the acks in force (or all of them).
enum AcksCommand {
    static let spec = CommandSpec(
        name: "acks",
        abstract: "List the acks that hide bulletins from digests.",
        options: [
            .init(name: "--all", value: nil, help: "Also list acks whose date has passed."),
            .init(name: "--format", value: "format", help: "Output format.", choices: ["table", "json"]),
        ],
        run: { invocation in
            let configuration = try Configuration.load(invocation.global)
            let store = try Pipeline(configuration: configuration, console: invocation.console).openStore()
            let acks = try store.acks(includeExpired: invocation.flags.contains("--all"), at: WallClock.now())
            if invocation.value("--format") == "json" {
                invocation.console.print(JSON.array(acks.map { ack in
                    let (entry, advisory): (JSON, JSON) = switch ack.target {
                    case .entry(let id): (.int(Int(id)), .null)
                    case .advisory(let id): (.null, .string(id))
                    }
                    return .object([("ack", .int(Int(ack.id))), ("entry", entry), ("advisory", advisory),
                                    ("service", .string(ack.service)), ("until", .string(ack.until.map(Timestamp.rfc3339))),
                                    ("reason", .string(ack.reason)), ("created", .string(Timestamp.rfc3339(ack.created)))])
                }).rendered())
                return .success
            }
            guard !acks.isEmpty else {
                invocation.console.print("No acks.")
                return .success
            }
            let rows = acks.map { ack -> [String] in
                let target = switch ack.target {
                case .entry(let id): "entry \(id)"
                case .advisory(let advisory): advisory
                }
                return [String(ack.id), target, ack.service ?? "all services",
                        ack.until.map { "until \(Timestamp.rfc3339($0))" } ?? "for good", ack.reason ?? ""]
            }
            let header = ["ACK", "TARGET", "SERVICE", "HIDDEN", "REASON"]
            let widths = header.indices.map { column in ([header] + rows).map { $0[column].columns }.max() ?? 0 }
            let lines = ([header] + rows).map { row in
                row.enumerated().map { column, text in
                    column == row.count - 1 ? text : text.padded(to: widths[column])
                }.joined(separator: "  ").trimmingTrailingSpaces()
            }
            invocation.console.print(lines.joined(separator: "\n"))
            return .success
        })
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
