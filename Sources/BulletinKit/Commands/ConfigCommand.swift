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
        discussion: "Exits 0 when all is valid, 2 with file:line:column and the reason when not.",
        run: { invocation in
            let configuration = try Configuration.load(invocation.global)
            let feeds = try configuration.loadCatalog()
            func status(_ file: String) -> String {
                FileManager.default.fileExists(atPath: file) ? "\(file) ok" : "\(file) not found, defaults apply"
            }
            invocation.console.print("""
                config: \(configuration.directory)
                settings: \(status(configuration.settingsFile))
                inventory: \(status(configuration.inventoryFile)), \(configuration.services.count) services
                catalog: \(feeds.count) feeds from \(configuration.catalogFiles.joined(separator: ", "))
                database: \(configuration.databasePath)
                """)
            return .success
        })
}
