/// What the command line asked for.
enum ParsedCommandLine {
    case run(CommandSpec, Invocation)
    /// Help for a command, given by the path of names from the root.
    case help([CommandSpec])
    case version
    /// `bulletin help --man`: the manual page.
    case manual
}

/// Reads `bulletin [global options] <command> [<subcommand>] [options] [arguments]`.
/// Global options and `--version` may stand anywhere; `--name=value` and `--name value`
/// both work; an option with a value may be given once; everything after `--` is an argument.
struct ArgumentParser {
    let root: CommandSpec

    func parse(_ arguments: [String]) throws(UsageError) -> ParsedCommandLine {
        var path = [root]
        var invocation = Invocation()
        var wantsHelp = false
        var helpTopic: [String]? = nil
        var tokens = arguments[...]
        var onlyArguments = false
        var seen: Set<String> = []

        while let token = tokens.popFirst() {
            let command = path.last!
            // No option's name holds a space: a search for "-- DROP TABLE" is a query.
            let dashWord = command.dashWordsAreArguments && token != "-h"
                && (!token.hasPrefix("--") || Self.split(token).0.contains(where: \.isWhitespace))
            if onlyArguments || !token.hasPrefix("-") || token == "-" || dashWord {
                if helpTopic != nil {
                    helpTopic!.append(token)
                } else if command.run == nil, path.count == 1, token == "help" {
                    helpTopic = []
                } else if command.run == nil {
                    guard let sub = command.subcommand(named: token) else {
                        throw UsageError(message: "Unknown subcommand '\(token)'", path: path)
                    }
                    path.append(sub)
                } else {
                    invocation.arguments.append(token)
                }
                continue
            }
            if token == "--" { onlyArguments = true; continue }
            if token == "--man", helpTopic == [] { return .manual }
            if token == "--help" || token == "-h" { wantsHelp = true; continue }
            if token == "--version" { return .version }  // before or after a subcommand

            let (name, inlineValue) = Self.split(token)
            let spec: CommandSpec.Option
            let isGlobal: Bool
            if let global = GlobalOptions.specs.first(where: { $0.name == name }) {
                (spec, isGlobal) = (global, true)
            } else if let own = command.option(named: name) {
                (spec, isGlobal) = (own, false)
            } else {
                throw UsageError(message: "Unknown option '\(name)'", path: path)
            }
            var value: String? = nil
            if spec.value != nil {
                // An option with a value is given once: a second would silently replace the first.
                guard seen.insert(name).inserted else {
                    throw UsageError(message: "The option '\(name)' is given more than once", path: path)
                }
                guard let given = inlineValue ?? tokens.popFirst() else {
                    throw UsageError(message: "Missing value for '\(name) <\(spec.value!)>'", path: path)
                }
                if !spec.choices.isEmpty, !spec.choices.contains(given) {
                    throw UsageError(message: "The value '\(given)' is invalid for '\(name) <\(spec.value!)>'; "
                        + "use one of: \(spec.choices.joined(separator: ", "))", path: path)
                }
                value = given
            } else if inlineValue != nil {
                throw UsageError(message: "The flag '\(name)' takes no value", path: path)
            }
            if isGlobal {
                invocation.global.set(name, value)
            } else if let value {
                invocation.values[name] = value
            } else {
                invocation.flags.insert(name)
            }
        }

        if let topic = helpTopic {
            return .help(try Self.resolve(topic, from: root))
        }
        let command = path.last!
        if wantsHelp { return .help(path) }
        guard command.run != nil else {
            if path.count == 1 { return .help(path) }
            throw UsageError(message: "Missing subcommand", path: path)
        }
        try Self.check(invocation.arguments, against: path)
        return .run(command, invocation)
    }

    private static func split(_ token: String) -> (String, String?) {
        guard token.hasPrefix("--"), let equals = token.firstIndex(of: "=") else { return (token, nil) }
        return (String(token[..<equals]), String(token[token.index(after: equals)...]))
    }

    private static func resolve(_ names: [String], from root: CommandSpec) throws(UsageError) -> [CommandSpec] {
        var path = [root]
        for name in names {
            guard let sub = path.last!.subcommand(named: name) else {
                throw UsageError(message: "Unknown subcommand '\(name)'", path: path)
            }
            path.append(sub)
        }
        return path
    }

    private static func check(_ given: [String], against path: [CommandSpec]) throws(UsageError) {
        let command = path.last!
        let required = command.arguments.filter { !$0.isOptional }
        if given.count < required.count {
            throw UsageError(message: "Missing expected argument '<\(required[given.count].name)>'", path: path)
        }
        if !command.arguments.contains(where: \.isRepeating), given.count > command.arguments.count {
            throw UsageError(message: "Unexpected argument '\(given[command.arguments.count])'", path: path)
        }
    }
}
