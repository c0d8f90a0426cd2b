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
        options: [.init(name: "--format", value: "format", help: "Output format.", choices: ["text", "json"])],
        run: runCheck)

    static func runCheck(_ invocation: Invocation) throws -> ExitCode {
        let configuration = try Configuration.load(invocation.global)
        let threshold = configuration.settings.digest.highRisk
        let services = configuration.services
        let warnings = services.flatMap(NameWarnings.warnings)
        for warning in warnings { invocation.console.warning("inventory: " + warning) }
        let high = services.filter { $0.risk >= threshold }.count
        if invocation.value("--format") == "json" {
            invocation.console.print(JSON.object([
                ("file", .string(configuration.inventoryFile)),
                ("high_risk_threshold", .int(threshold)),
                ("high_risk", .int(high)),
                ("services", .array(services.map { json($0, threshold: threshold) })),
                ("warnings", .strings(warnings)),
            ]).rendered())
            return .success
        }
        var lines: [String] = []
        for service in services {
            var head = "\(service.name): risk \(service.risk)"
            if service.risk >= threshold { head += " (high)" }
            if let owner = service.owner { head += ", owner \(owner)" }
            if let version = service.version { head += ", version \(version)" }
            lines.append(head)
            lines.append("  phrases: " + CompiledService(service).phrases.map { phrase in
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
        lines.append("\(configuration.inventoryFile): \(services.count) services, "
            + "\(high) high risk (at or above \(threshold))")
        invocation.console.print(lines.joined(separator: "\n"))
        return .success
    }

    /// One service of `inventory check --format json`: its keys, risk and the phrases it is matched by.
    private static func json(_ service: Service, threshold: Int) -> JSON {
        .object([
            ("name", .string(service.name)),
            ("impact", .int(service.impact)),
            ("likelihood", .int(service.likelihood)),
            ("risk", .int(service.risk)),
            ("high_risk", .bool(service.risk >= threshold)),
            ("owner", .string(service.owner)),
            ("version", .string(service.version)),
            ("category", .string(service.category.rawValue)),
            ("tags", .strings(service.tags)),
            ("purl", .strings(service.purls)),
            ("exclude", .strings(service.exclude)),
            ("phrases", .array(CompiledService(service).phrases.map { phrase in
                .object([("text", .string(phrase.text)), ("source", .string(phrase.source.rawValue)),
                         ("match", .string(phrase.match.rawValue))])
            })),
        ])
    }

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
