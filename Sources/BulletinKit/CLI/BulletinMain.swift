#if canImport(Glibc)
import Glibc
#endif
import Models

/// The `bulletin` command line: parses the arguments, runs one command, maps what it
/// returns or throws to an exit code. `main.swift` calls this and nothing else.
public enum BulletinMain {
    public static let version = "0.1.0"

    static let root = CommandSpec(
        name: "bulletin",
        abstract: "Keep up with the security bulletins that concern what you run.",
        discussion: """
            Bulletin fetches security and announcement feeds, keeps every bulletin once, ties \
            them to the services of your inventory and delivers a digest of what is new.
            """,
        subcommands: [
            RunCommand.spec, FetchCommand.spec, DigestCommand.spec, SearchCommand.spec, ExportCommand.spec, ParseCommand.spec,
            FeedsCommand.spec, ConfigCommand.spec, TagCommand.spec, ExplainCommand.spec, InventoryCommand.spec,
            AckCommand.spec, AcksCommand.spec, UnackCommand.spec, KEVCommand.spec, PruneCommand.spec,
            DoctorCommand.spec,
            CompletionsCommand.spec,
        ])

    /// Runs the command line `arguments` (the program name first) and returns the exit code.
    public static func run(_ arguments: [String]) -> Int32 {
        var console = Console()
        let parsed: ParsedCommandLine
        do {
            parsed = try ArgumentParser(root: root).parse(Array(arguments.dropFirst()))
        } catch {
            try? console.errors.write(HelpRenderer.usageError(error))
            return ExitCode.usage.rawValue
        }
        switch parsed {
        case .version:
            console.print("bulletin \(version)")
            return ExitCode.success.rawValue
        case .manual:
            console.print(ManualPage.render(root, version: version))
            return ExitCode.success.rawValue
        case .help(let path):
            console.print(HelpRenderer.help(for: path))
            return ExitCode.success.rawValue
        case .run(let command, var invocation):
            console.verbosity = invocation.global.quiet ? .quiet : invocation.global.verbose ? .verbose : .normal
            invocation.console = console
            if let problem = WallClock.problem {
                console.error(problem)
                return ExitCode.usage.rawValue
            }
            do {
                return try command.run!(invocation).rawValue
            } catch let error as UsageError {
                try? console.errors.write(HelpRenderer.usageError(error))
                return ExitCode.usage.rawValue
            } catch let error as ConfigurationError {
                console.error(error.message)
                return ExitCode.usage.rawValue
            } catch {
                console.error(String(describing: error))
                return ExitCode.failure.rawValue
            }
        }
    }

    /// Ends the process with `code`, after standard output is flushed.
    public static func exit(with code: Int32) -> Never {
        Glibc.exit(code)
    }
}
