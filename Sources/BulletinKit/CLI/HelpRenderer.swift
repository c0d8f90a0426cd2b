/// Help and usage text, laid out the way swift-argument-parser lays it out:
/// OVERVIEW / USAGE / ARGUMENTS / OPTIONS / SUBCOMMANDS, help in a column at 26.
enum HelpRenderer {
    /// The full help of the last command of `path` (the root first).
    static func help(for path: [CommandSpec]) -> String {
        let command = path.last!
        var blocks = ["OVERVIEW: \(command.abstract)"]
        if let discussion = command.discussion { blocks.append(discussion) }
        blocks.append("USAGE: \(usage(for: path))")
        if !command.arguments.isEmpty {
            blocks.append("ARGUMENTS:\n" + command.arguments.map {
                row("<\($0.name)>", $0.help)
            }.joined(separator: "\n"))
        }
        var options = command.options.map { row(label(of: $0), help(of: $0)) }
        options += GlobalOptions.specs.map { row(label(of: $0), $0.help) }
        if path.count == 1 { options.append(row("--version", "Show the version.")) }
        options.append(row("-h, --help", "Show help information."))
        blocks.append("OPTIONS:\n" + options.joined(separator: "\n"))
        if !command.subcommands.isEmpty {
            let names = path.map(\.name).joined(separator: " ")
            let helpPrefix = path.count == 1 ? "\(names) help" : "\(path[0].name) help \(path.dropFirst().map(\.name).joined(separator: " "))"
            blocks.append("SUBCOMMANDS:\n" + command.subcommands.map { row($0.name, $0.abstract) }.joined(separator: "\n")
                + "\n\n  See '\(helpPrefix) <subcommand>' for detailed help.")
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    /// The one-line usage: `bulletin parse [--format <format>] <file-or-url>`.
    static func usage(for path: [CommandSpec]) -> String {
        let command = path.last!
        var parts = path.map(\.name)
        if path.count == 1 {
            parts += GlobalOptions.specs.map { "[\(label(of: $0))]" }
        } else {
            parts += command.options.map { "[\(label(of: $0))]" }
        }
        for argument in command.arguments {
            var text = "<\(argument.name)>"
            if argument.isRepeating { text += " ..." }
            parts.append(argument.isOptional ? "[\(text)]" : text)
        }
        if !command.subcommands.isEmpty { parts.append("<subcommand>") }
        return parts.joined(separator: " ")
    }

    /// The error block: `Error: …`, the usage line and where to read more.
    static func usageError(_ error: UsageError) -> String {
        let names = error.path.map(\.name).joined(separator: " ")
        return "Error: \(error.message)\nUsage: \(usage(for: error.path))\n  See '\(names) --help' for more information.\n"
    }

    private static func label(of option: CommandSpec.Option) -> String {
        option.value.map { "\(option.name) <\($0)>" } ?? option.name
    }

    private static func help(of option: CommandSpec.Option) -> String {
        guard !option.choices.isEmpty else { return option.help }
        return "\(option.help) (values: \(option.choices.joined(separator: ", ")))"
    }

    /// "  label                   help", with the help on the next line when the label is long.
    private static func row(_ label: String, _ help: String) -> String {
        let column = 26
        let start = "  " + label
        if start.count > column - 2 {
            return start + "\n" + String(repeating: " ", count: column) + help
        }
        return start.padded(to: column) + help
    }
}
