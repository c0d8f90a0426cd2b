import FoundationEssentials
import Storage

/// `bulletin acks [--all]`: the acks in force (or all of them).
enum AcksCommand {
    static let spec = CommandSpec(
        name: "acks",
        abstract: "List the acks that hide bulletins from digests.",
        options: [.init(name: "--all", value: nil, help: "Also list acks whose date has passed.")],
        run: { invocation in
            let configuration = try Configuration.load(invocation.global)
            let store = try Pipeline(configuration: configuration, console: invocation.console).openStore()
            let acks = try store.acks(includeExpired: invocation.flags.contains("--all"), at: Date())
            guard !acks.isEmpty else {
                invocation.console.print("No acks.")
                return .success
            }
            let lines = acks.map { ack in
                let target = switch ack.target {
                case .entry(let id): "entry \(id)"
                case .advisory(let advisory): advisory
                }
                var line = "\(ack.id)  \(target)  " + (ack.service ?? "all services") + "  "
                line += ack.until.map { "until \(ParseCommand.timestamp($0))" } ?? "for good"
                if let reason = ack.reason { line += "  \(reason)" }
                return line
            }
            invocation.console.print(lines.joined(separator: "\n"))
            return .success
        })
}
