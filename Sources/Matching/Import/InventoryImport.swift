import FoundationEssentials

/// A service read from an inventory someone else wrote: an SBOM, a cloud inventory, a list.
public struct ImportedService: Sendable, Hashable {
    public var name: String
    /// Every version seen for the name, first seen first.
    public var versions: [String]
    /// Where it came from, for a comment beside it ("Komiser: 3 resources in 2 regions").
    public var note: String?
    /// Its package URLs, when the source gives them (CycloneDX components' `purl`).
    public var purls: [String]
    /// The other names its packages go by (`libcurl` beside `curl`).
    public var aliases: [String] = []

    public init(name: String, versions: [String] = [], note: String? = nil, purls: [String] = []) {
        self.name = name
        self.versions = versions
        self.note = note
        self.purls = purls
    }
}

/// The formats `bulletin inventory import` reads, told apart by their content.
public enum InventoryImport {
    public enum Format: String, Sendable, CaseIterable {
        case cyclonedx
        case komiser
        case list
    }

    /// The largest file accepted.
    public static let maximumBytes = 32 * 1024 * 1024

    /// JSON (starts with `{`) is CycloneDX, a first line starting `id,provider,` is
    /// Komiser's CSV, anything else a plain list.
    public static func detect(_ text: String) -> Format {
        let start = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if start.hasPrefix("{") { return .cyclonedx }
        if start.lowercased().hasPrefix("id,provider,") { return .komiser }
        return .list
    }

    /// The services in `bytes`, merged by name (any case), in first-seen order.
    public static func read(_ bytes: [UInt8], file: String) throws(ImportError) -> (Format, [ImportedService]) {
        guard bytes.count <= maximumBytes else {
            throw ImportError(file: file, reason: "larger than \(maximumBytes) bytes")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ImportError(file: file, reason: "not valid UTF-8")
        }
        let format = detect(text)
        let services: [ImportedService] = switch format {
        case .cyclonedx: try CycloneDXImport.read(bytes, file: file)
        case .komiser: try KomiserImport.read(text, file: file)
        case .list: try PlainListImport.read(text, file: file)
        }
        guard !services.isEmpty else { throw ImportError(file: file, reason: "no services found") }
        return (format, services)
    }

    /// Services with the same name (any case) merged into the first, versions joined; with
    /// `byProject`, also the packages of one project (`PackageFamily`): the service takes
    /// the shortest of their names (`curl` over `libcurl4`), the others as aliases where
    /// they say something new (`libcurl`), and one purl per package.
    static func merged(_ services: [ImportedService], byProject: Bool = false) -> [ImportedService] {
        var order: [String] = []
        var byKey: [String: ImportedService] = [:]
        for service in services {
            let key = byProject ? PackageFamily.key(service.name) : service.name.lowercased()
            guard var existing = byKey[key] else {
                order.append(key)
                byKey[key] = service
                continue
            }
            for version in service.versions where !existing.versions.contains(version) {
                existing.versions.append(version)
            }
            if existing.note == nil { existing.note = service.note }
            let identities = Set(existing.purls.compactMap(PackageURL.identity))
            for purl in service.purls where PackageURL.identity(purl).map(identities.contains) == false {
                existing.purls.append(purl)
            }
            var other = service.name
            if other.utf8.count < existing.name.utf8.count {
                swap(&other, &existing.name)  // `curl` names the service, `libcurl4` gives an alias
            }
            let alias = PackageFamily.base(other)
            let names = Set(([existing.name] + existing.aliases).map(NormalizedText.key) + [PackageFamily.base(existing.name)])
            if !names.contains(alias) { existing.aliases.append(alias) }
            byKey[key] = existing
        }
        return order.map { byKey[$0]! }
    }
}

/// A plain list: one service name per line; blank lines and lines starting with `#` skipped.
enum PlainListImport {
    static func read(_ text: String, file: String) throws(ImportError) -> [ImportedService] {
        var services: [ImportedService] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let name = line.trimmed
            if name.isEmpty || name.hasPrefix("#") { continue }
            guard name.count <= 200, !name.contains(where: { $0.isASCII && $0.asciiValue! < 0x20 }) else {
                throw ImportError(file: file, line: number + 1, reason: "not a service name (control characters or over 200 characters)")
            }
            services.append(ImportedService(name: name))
        }
        return InventoryImport.merged(services, byProject: true)
    }
}

/// Komiser's CSV export: `id,provider,account,name,service,region,tags,cost,metadata`, one
/// row per cloud resource. One service per distinct `service`; versions from the `metadata`
/// JSON object's `version`, `engineVersion` or `kubernetesVersion` where present.
enum KomiserImport {
    static let header = ["id", "provider", "account", "name", "service", "region", "tags", "cost", "metadata"]
    static let versionKeys = ["version", "engineversion", "kubernetesversion"]

    static func read(_ text: String, file: String) throws(ImportError) -> [ImportedService] {
        let records = try CSVReader.records(text, file: file)
        guard let first = records.first else { throw ImportError(file: file, reason: "empty file") }
        let names = first.fields.map { $0.trimmed.lowercased() }
        let missing = header.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw ImportError(file: file, line: 1, reason: "not a Komiser export: missing column(s) "
                + missing.joined(separator: ", ") + " (expected \(header.joined(separator: ",")))")
        }
        let serviceColumn = names.firstIndex(of: "service")!
        let providerColumn = names.firstIndex(of: "provider")!
        let metadataColumn = names.firstIndex(of: "metadata")!
        var services: [ImportedService] = []
        var resources: [String: Int] = [:]
        for record in records.dropFirst() {
            if record.fields == [""] { continue }  // a blank line
            guard record.fields.count == names.count else {
                throw ImportError(file: file, line: record.line,
                                  reason: "expected \(names.count) fields, found \(record.fields.count)")
            }
            let name = record.fields[serviceColumn].trimmed
            guard !name.isEmpty else {
                throw ImportError(file: file, line: record.line, reason: "the 'service' field is empty")
            }
            let versions = try version(in: record.fields[metadataColumn], file: file, line: record.line).map { [$0] } ?? []
            let provider = record.fields[providerColumn].trimmed
            resources[name.lowercased(), default: 0] += 1
            services.append(ImportedService(name: name, versions: versions,
                                            note: provider.isEmpty ? "Komiser" : "Komiser, \(provider)"))
        }
        return InventoryImport.merged(services).map { service in
            var service = service
            let count = resources[service.name.lowercased()] ?? 0
            service.note = (service.note ?? "Komiser") + ": \(count) resource\(count == 1 ? "" : "s")"
            return service
        }
    }

    /// The version in a `metadata` cell: a JSON object of strings, `null`, or empty.
    private static func version(in cell: String, file: String, line: Int) throws(ImportError) -> String? {
        let trimmed = cell.trimmed
        guard !trimmed.isEmpty, trimmed != "null" else { return nil }
        let object: [String: JSONScalar]
        do {
            object = try JSONDecoder().decode([String: JSONScalar].self, from: Data(trimmed.utf8))
        } catch {
            throw ImportError(file: file, line: line, reason: "the 'metadata' field is not a JSON object")
        }
        for (key, value) in object.sorted(by: { $0.key < $1.key })
        where versionKeys.contains(key.lowercased().filter { $0 != "_" && $0 != "-" }) {
            if let text = value.text, !text.isEmpty { return text }
        }
        return nil
    }

    /// A JSON value of a metadata object: strings and numbers are kept, the rest ignored.
    private struct JSONScalar: Decodable {
        let text: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) {
                text = string
            } else if let number = try? container.decode(Double.self) {
                text = String(number)
            } else {
                text = nil
            }
        }
    }
}

/// A CycloneDX SBOM in JSON: every component (nested ones too) with a name becomes a
/// service; its version and purl come along.
enum CycloneDXImport {
    static func read(_ bytes: [UInt8], file: String) throws(ImportError) -> [ImportedService] {
        let bom: BOM
        do {
            bom = try JSONDecoder().decode(BOM.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw ImportError(file: file, reason: "not a CycloneDX SBOM: \(JSONErrorText.describe(error))")
        } catch {
            throw ImportError(file: file, reason: "not a CycloneDX SBOM: \(error)")
        }
        guard bom.bomFormat == "CycloneDX" else {
            throw ImportError(file: file, reason: "not a CycloneDX SBOM: 'bomFormat' is '\(bom.bomFormat)', expected 'CycloneDX'")
        }
        var services: [ImportedService] = []
        func visit(_ components: [Component], path: String, depth: Int) throws(ImportError) {
            guard depth <= 32 else { throw ImportError(file: file, reason: "\(path): components nested too deep") }
            for (index, component) in components.enumerated() {
                let here = "\(path)[\(index)]"
                let name = component.name.trimmed
                guard !name.isEmpty else { throw ImportError(file: file, reason: "\(here).name: empty") }
                let version = component.version.map(\.trimmed).flatMap { $0.isEmpty ? nil : $0 }
                let purl = component.purl.map(\.trimmed).flatMap { PackageURL.identity($0) == nil ? nil : $0 }
                services.append(ImportedService(name: name, versions: version.map { [$0] } ?? [],
                                                note: component.purl != nil && purl == nil ? "purl \(component.purl!)" : nil,
                                                purls: purl.map { [$0] } ?? []))
                try visit(component.components ?? [], path: here + ".components", depth: depth + 1)
            }
        }
        try visit(bom.components ?? [], path: "components", depth: 0)
        return InventoryImport.merged(services, byProject: true)
    }

    private struct BOM: Decodable {
        let bomFormat: String
        let specVersion: String
        let components: [Component]?
    }

    private struct Component: Decodable {
        let name: String
        let version: String?
        let purl: String?
        let components: [Component]?
    }
}

extension StringProtocol {
    /// The text without white space (spaces, tabs, line breaks) at either end.
    var trimmed: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
