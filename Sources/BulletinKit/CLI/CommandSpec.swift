/// A command of the `bulletin` tool: its name, its help, what it takes, and what it runs.
/// Commands with subcommands (`feeds`, `config`) run nothing themselves.
struct CommandSpec: Sendable {
    struct Option: Sendable {
        /// The long name with its dashes: `--format`.
        let name: String
        /// The value's placeholder (`format` prints as `<format>`), or nil for a flag.
        let value: String?
        let help: String
        /// Values the option accepts, when it takes one of a fixed few.
        var choices: [String] = []
    }

    struct Argument: Sendable {
        let name: String
        let help: String
        var isOptional = false
        var isRepeating = false
    }

    let name: String
    let abstract: String
    var discussion: String? = nil
    var arguments: [Argument] = []
    var options: [Option] = []
    var subcommands: [CommandSpec] = []
    /// When true, `-word` is an argument (a search's exclusion), not an option; options
    /// still start with `--`.
    var dashWordsAreArguments = false
    /// Runs the command; nil for a command that only groups subcommands.
    var run: (@Sendable (Invocation) throws -> ExitCode)? = nil

    func option(named name: String) -> Option? {
        options.first { $0.name == name }
    }

    func subcommand(named name: String) -> CommandSpec? {
        subcommands.first { $0.name == name }
    }
}

/// What a command is run with: the global options, its own options and arguments.
struct Invocation {
    var global = GlobalOptions()
    /// Options that took a value, by long name (`--format` → "json").
    var values: [String: String] = [:]
    /// Flags that were given, by long name.
    var flags: Set<String> = []
    var arguments: [String] = []
    var console = Console()

    func value(_ name: String) -> String? { values[name] }
}

/// Options every command takes.
struct GlobalOptions {
    var configDirectory: String?
    var databasePath: String?
    var feedsFile: String?
    var quiet = false
    var verbose = false

    static let specs: [CommandSpec.Option] = [
        .init(name: "--config", value: "dir", help: "Read bulletin.toml and inventory.toml from <dir>."),
        .init(name: "--db", value: "path", help: "Use the database at <path>."),
        .init(name: "--feeds", value: "file.opml", help: "Use this feed catalog instead of the configured one."),
        .init(name: "--quiet", value: nil, help: "Print only results and errors."),
        .init(name: "--verbose", value: nil, help: "Also print what each stage does, on standard error."),
    ]

    mutating func set(_ name: String, _ value: String?) {
        switch name {
        case "--config": configDirectory = value
        case "--db": databasePath = value
        case "--feeds": feedsFile = value
        case "--quiet": quiet = true
        case "--verbose": verbose = true
        default: break
        }
    }
}
