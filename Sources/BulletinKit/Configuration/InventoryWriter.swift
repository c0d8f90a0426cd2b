import Matching
import Models
import TOML

/// Writes imported services as `[[service]]` tables of `inventory.toml`, leaving out those
/// the inventory already names (by its name, an alias or a built-in alias, in any case).
struct InventoryWriter {
    let existing: [Service]

    /// The TOML to append, and the imported services that were already there (with the existing name).
    func toml(for imported: [ImportedService], source: String, format: InventoryImport.Format)
        -> (text: String, added: Int, known: [(ImportedService, String)]) {
        var names: [String: String] = [:]
        for service in existing {
            for phrase in CompiledService(service).phrases where phrase.match == .word {
                names[NormalizedText(phrase.text).bytes.description] = service.name
            }
        }
        var blocks: [String] = []
        var known: [(ImportedService, String)] = []
        for service in imported {
            let key = NormalizedText(service.name).bytes.description
            if let name = names[key] {
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
            if let purl = service.purl { lines.append("purl = " + quotedTOMLString(purl)) }
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
