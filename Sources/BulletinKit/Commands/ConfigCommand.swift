import FoundationEssentials

/// `bulletin config check`: validates the configuration files.
enum ConfigCommand {
    static let spec = CommandSpec(
        name: "config",
        abstract: "Check the configuration.",
        subcommands: [check])

    static let check = CommandSpec(
        name: "check",
        abstract: "Validate bulletin.toml, inventory.toml and the feed catalog.",
        discussion: """
            Exits 0 when all is valid, 2 when not, with each file's error (file:line:column and \
            the reason): settings, inventory and every catalog file.
            """,
        options: [.init(name: "--format", value: "format", help: "Output format.", choices: ["text", "json"])],
        run: { invocation in
            let problems = ConfigurationProblems()
            let configuration = try Configuration.load(invocation.global, collecting: problems)
            // No catalog after a broken file says nothing new: its 'feeds' may be what broke.
            let feeds = problems.errors.isEmpty || !configuration.catalogFiles.isEmpty
                ? try configuration.loadCatalog(collecting: problems) : []
            if invocation.value("--format") == "json" {
                func file(_ path: String) -> JSON {
                    .object([("path", .string(path)), ("exists", .bool(FileManager.default.fileExists(atPath: path)))])
                }
                invocation.console.print(JSON.object([
                    ("config", .string(configuration.directory)), ("from", .string(configuration.origin)),
                    ("settings", file(configuration.settingsFile)), ("inventory", file(configuration.inventoryFile)),
                    ("services", .int(configuration.services.count)), ("catalog", .strings(configuration.catalogFiles)),
                    ("feeds", .int(feeds.count)), ("database", .string(configuration.databasePath)),
                    ("errors", .strings(problems.errors.map(\.message))),
                ]).rendered())
                return problems.errors.isEmpty ? .success : .usage
            }
            guard problems.errors.isEmpty else {
                for error in problems.errors { invocation.console.error(error.message) }
                return .usage
            }
            func status(_ file: String) -> String {
                FileManager.default.fileExists(atPath: file) ? "\(file) ok" : "\(file) not found, defaults apply"
            }
            invocation.console.print("""
                config: \(configuration.directory) (from \(configuration.origin))
                settings: \(status(configuration.settingsFile))
                inventory: \(status(configuration.inventoryFile)), \(configuration.services.count) services
                catalog: \(feeds.count) feeds from \(configuration.catalogFiles.joined(separator: ", "))
                database: \(configuration.databasePath)
                """)
            return .success
        })
}
