import Digest
import FoundationEssentials
import Storage

/// `bulletin doctor`: checks the database file for damage and says what to do about it.
enum DoctorCommand {
    static let spec = CommandSpec(
        name: "doctor",
        abstract: "Check the database file for damage.",
        discussion: """
            Runs SQLite's integrity check over the whole database (it reads every page: seconds \
            for a large file) and prints ok, or what is damaged and what to do, with exit code 1. \
            It only reads: a damaged file is never changed.
            """,
        options: [.init(name: "--format", value: "format", help: "Output format.", choices: ["text", "json"])],
        run: run)

    /// What to do with a damaged store, on one line.
    static func advice(_ path: String) -> String {
        "keep a copy of \(path); then recover what SQLite can still read into a new file "
            + "(sqlite3 \(path) .recover | sqlite3 recovered.sqlite3) and give it with --db, or move the file "
            + "away and let 'bulletin fetch' start a new one (what the feeds no longer list is lost)"
    }

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let path = try Configuration.load(invocation.global).databasePath
        guard FileManager.default.fileExists(atPath: path) else {
            throw RuntimeError(message: "doctor: \(path): no database yet; 'bulletin fetch' or 'bulletin run' creates it")
        }
        let findings: [String]
        do {
            findings = try Store.integrityCheck(ofFileAt: path)
        } catch {
            throw RuntimeError(message: "doctor: \(path) is damaged or is not a database (\(error)); \(advice(path))")
        }
        // SQLite's findings, one a line (a row may hold several), without its heading.
        let problems = findings == ["ok"] ? []
            : findings.flatMap { $0.split(whereSeparator: \.isNewline) }.filter { !$0.hasPrefix("*** in database") }
        if invocation.value("--format") == "json" {
            invocation.console.print(JSON.object([
                ("database", .string(path)), ("ok", .bool(problems.isEmpty)),
                ("problems", .strings(problems.map { ShownText.line(String($0)) })),
                ("advice", problems.isEmpty ? .null : .string(advice(path))),
            ]).rendered())
            return problems.isEmpty ? .success : .failure
        }
        guard !problems.isEmpty else {
            invocation.console.print("doctor: \(path): ok")
            return .success
        }
        // The check stops at 100 problems.
        let count = problems.count >= 100 ? "100 or more problems:" : problems.count == 1 ? "1 problem:" : "\(problems.count) problems:"
        var lines = ["doctor: \(path) is damaged: SQLite's integrity check found \(count)"]
        lines += problems.prefix(10).map { "  " + ShownText.line(String($0)) }
        if problems.count > 10 { lines.append("  … and \(problems.count - 10) more") }
        invocation.console.print(lines.joined(separator: "\n"))
        invocation.console.error("doctor: \(advice(path))")
        return .failure
    }
}
