import Matching
import Models
import TOML

/// Writes imported services as `[[service]]` tables of `inventory.toml`, leaving out those
/// the inventory already names (by its name, an alias or a built-in alias, in any case, or
/// a package of the same project).
struct InventoryWriter {
    let existing: [Service]

    /// The TOML to append, and the imported services that were already there (with the existing name).
    func toml(for imported: [ImportedService], source: String, format: InventoryImport.Format)
        -> (text: String, added: Int, known: [(ImportedService, String)]) {
        // What the inventory names, and the projects of those names (`libcurl4` is curl's).
        var names: [String: String] = [:], projects: [String: String] = [:]
        for service in existing {
            for phrase in CompiledService(service).phrases where phrase.match == .word {
                names[NormalizedText(phrase.text).bytes.description] = service.name
                projects[PackageFamily.key(phrase.text)] = projects[PackageFamily.key(phrase.text)] ?? service.name
            }
        }
        var blocks: [String] = []
        var known: [(ImportedService, String)] = []
        for service in imported {
            let key = NormalizedText(service.name).bytes.description
            if let name = names[key] ?? projects[PackageFamily.key(service.name)] {
                known.append((service, name))
                continue
            }
            names[key] = service.name
            var lines: [String] = []
            if let note = service.note { lines.append("# " + oneLine(note)) }
            lines.append("[[service]]")
            lines.append("name = " + quotedTOMLString(service.name))
            if !service.versions.isEmpty {
                lines.append("version = " + quotedTOMLString(service.versions.joined(separator: ", ")))
            }
            let builtin = Set(BuiltinAliases.aliases(for: Service(name: service.name)).map(NormalizedText.key))
            let aliases = service.aliases.filter { !builtin.contains(NormalizedText.key($0)) }
            if !aliases.isEmpty { lines.append("aliases = [" + aliases.map(quotedTOMLString).joined(separator: ", ") + "]") }
            switch service.purls.count {
            case 0: break
            case 1: lines.append("purl = " + quotedTOMLString(service.purls[0]))
            default: lines.append("purl = [" + service.purls.map(quotedTOMLString).joined(separator: ", ") + "]")
            }
            blocks.append(lines.joined(separator: "\n"))
        }
        var header = "# Imported from \(oneLine(source)) (\(format.rawValue)): \(blocks.count) new service"
            + (blocks.count == 1 ? "" : "s")
        if !known.isEmpty {
            header += "; already in the inventory: " + known.map { imported, name in
                imported.name.lowercased() == name.lowercased() ? name : "\(imported.name) (as \(name))"
            }.joined(separator: ", ")
        }
        return (([header] + blocks).joined(separator: "\n\n") + "\n", blocks.count, known)
    }

    private func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
