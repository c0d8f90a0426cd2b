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
            for a large file), then the search index's own check against the entries, and prints \
            ok, or what is damaged and what to do, with exit code 1. It only reads: a damaged file \
            is never changed. The search index is checked in a transaction rolled back, which a \
            file you may only read refuses: it is then not checked, and doctor says so. A damaged \
            search index is built again from the entries with --rebuild-index.
            """,
        options: [
            .init(name: "--rebuild-index", value: nil,
                  help: "Build the search index again from the entries (when the file is otherwise sound)."),
            .init(name: "--format", value: "format", help: "Output format.", choices: ["text", "json"]),
        ],
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
            .map { ShownText.line(String($0)) }
        guard problems.isEmpty else { return report(damaged: problems, path: path, invocation) }
        if invocation.flags.contains("--rebuild-index") {
            let count = try Store(path: path).rebuildSearchIndex()
            invocation.console.note("doctor: rebuilt the search index of \(count) entries")
        }
        let index = Store.searchIndexCheck(ofFileAt: path)
        if invocation.value("--format") == "json" {
            let (condition, detail): (String, String?) = switch index {
            case .ok: ("ok", nil)
            case .damaged(let message): ("damaged", message)
            case .notChecked(let reason): ("not checked", reason)
            }
            let damaged = if case .damaged = index { true } else { false }
            invocation.console.print(JSON.object([
                ("database", .string(path)), ("ok", .bool(!damaged)),
                ("problems", .strings(damaged ? ["search index: \(detail ?? "")"] : [])),
                ("search_index", .string(condition)), ("search_index_detail", detail.map { .string($0) } ?? .null),
                ("advice", damaged ? .string(indexAdvice) : .null),
            ]).rendered())
            return damaged ? .failure : .success
        }
        switch index {
        case .ok:
            invocation.console.print("doctor: \(path): ok")
            return .success
        case .notChecked(let reason):
            invocation.console.print("doctor: \(path): ok (the search index was not checked: \(reason))")
            return .success
        case .damaged(let message):
            invocation.console.print("doctor: \(path): the search index is damaged or does not match the entries "
                + "(\(ShownText.line(message))); the entries themselves are sound")
            invocation.console.error("doctor: \(indexAdvice)")
            return .failure
        }
    }

    /// What to do with a damaged search index: nothing is lost, it is built from the entries.
    static let indexAdvice = "run 'bulletin doctor --rebuild-index' to build it again from the entries"

    /// Prints SQLite's findings in a damaged file, and what to do.
    private static func report(damaged problems: [String], path: String, _ invocation: Invocation) -> ExitCode {
        if invocation.value("--format") == "json" {
            invocation.console.print(JSON.object([
                ("database", .string(path)), ("ok", .bool(false)), ("problems", .strings(problems)),
                ("search_index", .string("not checked")),
                ("search_index_detail", .string("the file is damaged")), ("advice", .string(advice(path))),
            ]).rendered())
            return .failure
        }
        // The check stops at 100 problems.
        let count = problems.count >= 100 ? "100 or more problems:" : problems.count == 1 ? "1 problem:" : "\(problems.count) problems:"
        var lines = ["doctor: \(path) is damaged: SQLite's integrity check found \(count)"]
        lines += problems.prefix(10).map { "  " + $0 }
        if problems.count > 10 { lines.append("  … and \(problems.count - 10) more") }
        invocation.console.print(lines.joined(separator: "\n"))
        invocation.console.error("doctor: \(advice(path))")
        return .failure
    }
}
