import FoundationEssentials
import Models

/// CISA's catalog of Known Exploited Vulnerabilities, as its JSON feed publishes it
/// (https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json).
public struct KEVCatalog: Sendable, Hashable {
    public let version: String
    public let released: String?
    public let vulnerabilities: [KnownExploited]

    /// The largest catalog accepted (the real one is about 1.3 MB).
    public static let maximumBytes = 64 * 1024 * 1024

    /// Decodes a catalog; `source` (a file or URL) names it in errors.
    public init(json bytes: [UInt8], source: String) throws(KEVError) {
        guard bytes.count <= Self.maximumBytes else {
            throw KEVError(source: source, reason: "larger than \(Self.maximumBytes) bytes")
        }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw KEVError(source: source, reason: "not a KEV catalog: \(JSONErrorText.describe(error))")
        } catch {
            throw KEVError(source: source, reason: "not a KEV catalog: \(error)")
        }
        var seen = Set<String>()
        var vulnerabilities: [KnownExploited] = []
        for (index, entry) in document.vulnerabilities.enumerated() {
            let id = entry.cveID.uppercased()
            guard id.wholeMatch(of: #/CVE-\d{4}-\d{4,7}/#) != nil else {
                throw KEVError(source: source, reason: "vulnerabilities[\(index)].cveID: '\(entry.cveID)' is not a CVE id")
            }
            guard seen.insert(id).inserted else { continue }
            vulnerabilities.append(KnownExploited(
                cveID: id, vendor: entry.vendorProject ?? "", product: entry.product ?? "",
                name: entry.vulnerabilityName ?? "", dateAdded: entry.dateAdded ?? "", dueDate: entry.dueDate,
                ransomware: entry.knownRansomwareCampaignUse))
        }
        version = document.catalogVersion ?? "unknown"
        released = document.dateReleased
        self.vulnerabilities = vulnerabilities
    }

    private struct Document: Decodable {
        let catalogVersion: String?
        let dateReleased: String?
        let vulnerabilities: [Entry]
    }

    private struct Entry: Decodable {
        let cveID: String
        let vendorProject: String?
        let product: String?
        let vulnerabilityName: String?
        let dateAdded: String?
        let dueDate: String?
        let knownRansomwareCampaignUse: String?
    }
}

/// Why a KEV catalog could not be read, naming the file or URL.
public struct KEVError: Error, CustomStringConvertible, Sendable {
    public let source: String
    public let reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    public var description: String { "kev: \(source): \(reason)" }
}

/// A `DecodingError` from `JSONDecoder` in one line: the path of the value and what was wrong.
enum JSONErrorText {
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "the top level" : text)
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(typeName(type)), found null"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "invalid JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        let name = "\(type)"
        if type == String.self { return "a string" }
        if name.hasPrefix("Array") { return "an array" }
        if name.hasPrefix("Dictionary") { return "an object" }
        return name
    }
}
