import Models

/// Turns a digest model into one document of one format.
public protocol DigestRenderer: Sendable {
    func render(_ digest: DigestModel) -> String
}

/// The formats `bulletin digest --format` offers.
public enum DigestFormat: String, Sendable, CaseIterable {
    case text, markdown, html, json, atom

    /// The renderer; `colour` applies to text on a terminal only.
    public func renderer(colour: Bool = false) -> any DigestRenderer {
        switch self {
        case .text: TextRenderer(colour: colour)
        case .markdown: MarkdownRenderer()
        case .html: HTMLRenderer()
        case .json: JSONRenderer()
        case .atom: AtomRenderer()
        }
    }

    /// The usual file name extension: `txt`, `md`, `html`, `json`, `atom`.
    public var fileExtension: String {
        switch self {
        case .text: "txt"
        case .markdown: "md"
        case .html: "html"
        case .json: "json"
        case .atom: "atom"
        }
    }
}

extension DigestModel.Item {
    /// `CRITICAL`, `KEV`: what the row is flagged with, most urgent first.
    public var badges: [String] {
        var badges: [String] = []
        if let severity { badges.append(severity.uppercased()) }
        if kev { badges.append("KEV") }
        return badges
    }

    /// The advisory ids shown on the row (the rest are in JSON): the first six.
    var shownAdvisories: [String] { Array(advisories.prefix(6)) }

    /// The row's second line, each part escaped for the format: services, date, the
    /// advisory ids shown, the source.
    func details(_ escape: (String) -> String) -> [String] {
        var details = [services.map(escape).joined(separator: ", ")]
        if let date { details.append(Timestamp.day(date)) }
        if !advisories.isEmpty { details.append(shownAdvisories.map(escape).joined(separator: " ")) }
        details.append("from " + escape(feed))
        return details
    }
}
