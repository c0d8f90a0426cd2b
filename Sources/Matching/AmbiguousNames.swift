/// Service names that are also common words or people's names ("go", "express", "requests",
/// "Malcolm Jenkins"), each with the context that makes it the software: a word before it
/// ("Python requests", "AWS Lambda"), a word after it ("Go standard library", "Express.js",
/// "Jenkins plugin"), or a version after it ("Go 1.22", "Node 20"). A bare hit without such
/// context is not a name. Where the software's name is capitalized, so must the hit be.
///
/// The dictionary is built in and general; `inventory check` warns about services that use
/// one of these names, and about names of three letters or fewer.
public enum AmbiguousNames {
    public struct Context: Sendable, Hashable {
        /// Words (normalized) of which one must come right before the name.
        let before: [String]
        /// Words (normalized) of which one must come right after the name.
        let after: [String]
        /// Whether the name must be written with a capital letter ("Go", not "go").
        let capitalized: Bool
    }

    /// Normalized name → the context that makes it the software.
    public static let table: [String: Context] = [
        "go": Context(before: ["golang"], after: [
            "standard library", "stdlib", "toolchain", "compiler", "runtime", "programming language",
            "language", "module", "modules", "security release", "security fix", "binary", "binaries",
            "release", "releases", "version", "versions", "project", "team",
        ], capitalized: true),
        "express": Context(before: ["npm", "node js", "nodejs"], after: [
            "js", "framework", "middleware", "server", "application", "app", "router", "package",
        ], capitalized: false),
        "requests": Context(before: ["python", "psf", "pypi"], after: ["library", "package", "module"],
                            capitalized: false),
        "node": Context(before: [], after: ["js", "runtime", "release", "releases", "security release", "lts"],
                        capitalized: true),
        "spring": Context(before: [], after: [
            "framework", "boot", "security", "cloud", "mvc", "webflux", "core", "data", "web",
        ], capitalized: true),
        "lambda": Context(before: ["aws", "amazon"], after: [
            "function", "functions", "runtime", "runtimes", "layer", "layers", "edge", "console", "service",
            "extension", "extensions", "url", "urls", "snapstart", "invocation", "invocations",
        ], capitalized: true),
        "git": Context(before: [], after: [
            "for windows", "security release", "release", "releases", "vulnerability", "vulnerabilities",
            "client", "server", "project", "maintainers", "lfs",
        ], capitalized: true),
        "jenkins": Context(before: [], after: [
            "ci", "server", "controller", "plugin", "plugins", "core", "security", "instance", "instances",
            "pipeline", "lts", "weekly", "agent", "agents", "release",
        ], capitalized: true),
        "swift": Context(before: ["apple"], after: [
            "language", "programming language", "compiler", "toolchain", "package", "packages", "runtime",
            "standard library",
        ], capitalized: true),
        "rust": Context(before: [], after: [
            "language", "programming language", "compiler", "toolchain", "standard library", "std", "crate",
            "crates", "project", "team", "release",
        ], capitalized: true),
        "flask": Context(before: ["python"], after: ["framework", "app", "application", "web"], capitalized: true),
        "kernel": Context(before: ["linux"], after: [
            "update", "updates", "security update", "vulnerability", "vulnerabilities", "package", "packages",
            "patch", "patches", "livepatch", "release", "releases", "bug", "bugs", "flaw", "regression",
        ], capitalized: false),
        "rails": Context(before: ["ruby on"], after: ["framework", "application", "app"], capitalized: true),
        "chef": Context(before: [], after: ["infra", "server", "client", "automate", "workstation"], capitalized: true),
        "puppet": Context(before: [], after: ["server", "agent", "enterprise", "module", "modules"], capitalized: true),
        "salt": Context(before: [], after: ["master", "minion", "stack", "project"], capitalized: true),
        "consul": Context(before: ["hashicorp"], after: ["server", "agent", "connect", "cluster"], capitalized: true),
        "vault": Context(before: ["hashicorp"], after: ["server", "agent", "enterprise", "cluster"], capitalized: true),
        "envoy": Context(before: [], after: ["proxy", "gateway"], capitalized: true),
    ]

    /// Whether the hit at `range` of `normalized` (whose first byte in the original text is
    /// `originalFirstByte`) has the `context` that makes an ambiguous name the software.
    static func hasContext(_ context: Context, range: Range<Int>, normalized: [UInt8],
                           originalFirstByte: UInt8?) -> Bool {
        if context.capitalized, let first = originalFirstByte, first >= 0x61 && first <= 0x7A { return false }
        // A version right after: "Go 1.22", "Node 20", "Jenkins 2.440", "v2".
        let after = range.upperBound + 1
        if after < normalized.count {
            let next = normalized[after]
            if next >= 0x30 && next <= 0x39 { return true }
            if next == UInt8(ascii: "v"), after + 1 < normalized.count,
               normalized[after + 1] >= 0x30 && normalized[after + 1] <= 0x39 { return true }
        }
        for word in context.after where follows(word, normalized, at: after) { return true }
        for word in context.before where precedes(word, normalized, before: range.lowerBound) { return true }
        return false
    }

    private static func follows(_ word: String, _ text: [UInt8], at start: Int) -> Bool {
        let count = word.utf8.count
        guard start + count <= text.count, text[start..<start + count].elementsEqual(word.utf8) else { return false }
        return start + count == text.count || text[start + count] == 0x20
    }

    private static func precedes(_ word: String, _ text: [UInt8], before end: Int) -> Bool {
        let count = word.utf8.count
        let stop = end - 1  // the space before the hit
        guard stop - count >= 0, text[stop - count..<stop].elementsEqual(word.utf8) else { return false }
        return stop - count == 0 || text[stop - count - 1] == 0x20
    }
}
