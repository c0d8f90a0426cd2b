import FoundationEssentials
import Matching
import Models

/// `bulletin inventory check|import FILE`: the services the team runs.
enum InventoryCommand {
    static let spec = CommandSpec(
        name: "inventory",
        abstract: "Check the inventory, or import services from an SBOM, Komiser or a list.",
        subcommands: [check, importing])

    static let check = CommandSpec(
        name: "check",
        abstract: "Validate inventory.toml and show every service with the phrases it is matched by.",
        discussion: "Exits 0 when the inventory is valid, 2 with file:line:column and the reason when not.",
        run: { invocation in
            let configuration = try Configuration.load(invocation.global)
            let threshold = configuration.settings.digest.highRisk
            var lines: [String] = []
            for service in configuration.services {
                let compiled = CompiledService(service)
                var head = "\(service.name): risk \(service.risk)"
                if service.risk >= threshold { head += " (high)" }
                if let owner = service.owner { head += ", owner \(owner)" }
                if let version = service.version { head += ", version \(version)" }
                lines.append(head)
                lines.append("  phrases: " + compiled.phrases.map { phrase in
                    switch (phrase.source, phrase.match) {
                    case (.builtin, _): "\(phrase.text) (built-in)"
                    case (_, .word): phrase.text
                    case (_, let mode): "\(phrase.text) (\(mode.rawValue))"
                    }
                }.joined(separator: ", "))
                if !service.exclude.isEmpty { lines.append("  exclude: " + service.exclude.joined(separator: ", ")) }
                if service.category != .both { lines.append("  category: \(service.category.rawValue) only") }
                if !service.tags.isEmpty { lines.append("  tags: " + service.tags.joined(separator: ", ")) }
            }
            for warning in configuration.services.flatMap(NameWarnings.warnings) {
                invocation.console.warning("inventory: " + warning)
            }
            let high = configuration.services.filter { $0.risk >= threshold }.count
            lines.append("\(configuration.inventoryFile): \(configuration.services.count) services, "
                + "\(high) high risk (at or above \(threshold))")
            invocation.console.print(lines.joined(separator: "\n"))
            return .success
        })

    static let importing = CommandSpec(
        name: "import",
        abstract: "Print the [[service]] tables an SBOM, a Komiser export or a list would add.",
        discussion: """
            FILE is a CycloneDX SBOM (JSON), Komiser's CSV export \
            (id,provider,account,name,service,region,tags,cost,metadata) or a plain list (one \
            name per line, # comments), told apart by their content. Services the inventory \
            already names are left out. With --write, the tables are appended to inventory.toml.
            """,
        arguments: [.init(name: "file", help: "The file to import, or - for standard input.")],
        options: [.init(name: "--write", value: nil, help: "Append the new services to inventory.toml.")],
        run: runImport)

    static func runImport(_ invocation: Invocation) throws -> ExitCode {
        let file = invocation.arguments[0]
        let configuration = try Configuration.load(invocation.global)
        let bytes: [UInt8]
        if file == "-" {
            bytes = try StandardInput.readAll(stage: "import")
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw RuntimeError(message: "import: \(file): cannot read the file")
            }
            bytes = [UInt8](data)
        }
        let format: InventoryImport.Format
        let imported: [ImportedService]
        do {
            (format, imported) = try InventoryImport.read(bytes, file: file)
        } catch {
            throw ConfigurationError(message: error.description)
        }
        let writer = InventoryWriter(existing: configuration.services)
        let (text, added, _) = writer.toml(for: imported, source: file, format: format)
        let known = Set(configuration.services.map { $0.name.lowercased() })
        for service in imported where !known.contains(service.name.lowercased()) {
            for warning in NameWarnings.warnings(for: Service(name: service.name)) {
                invocation.console.warning("import: " + warning)
            }
        }
        guard invocation.flags.contains("--write") else {
            invocation.console.print(text)
            return .success
        }
        guard added > 0 else {
            invocation.console.note("import: nothing to add to \(configuration.inventoryFile)")
            return .success
        }
        try append(text, to: configuration.inventoryFile, global: invocation.global)
        invocation.console.note("import: added \(added) service\(added == 1 ? "" : "s") to \(configuration.inventoryFile)")
        return .success
    }

    /// Appends `text` to the inventory, then reads the configuration again; when it no longer
    /// loads, the file is put back as it was and the error reported.
    private static func append(_ text: String, to file: String, global: GlobalOptions) throws {
        let before = FileManager.default.contents(atPath: file)
        var contents = before.map { String(decoding: $0, as: UTF8.self) } ?? ""
        if !contents.isEmpty { contents += contents.hasSuffix("\n") ? "\n" : "\n\n" }
        contents += text
        guard FileManager.default.createFile(atPath: file, contents: Data(contents.utf8)) else {
            throw RuntimeError(message: "import: \(file): cannot write the file")
        }
        do {
            _ = try Configuration.load(global)
        } catch {
            if let before {
                _ = FileManager.default.createFile(atPath: file, contents: before)
            } else {
                try? FileManager.default.removeItem(atPath: file)
            }
            throw RuntimeError(message: "import: \(file): left unchanged, the result would not load: \(error)")
        }
    }
}
