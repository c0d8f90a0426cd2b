import Delivery
#if canImport(Glibc)
import Glibc
#endif

/// Where a command writes: results for people on standard output, diagnostics on
/// standard error, each line whole. `--quiet` drops notes, `--verbose` adds details.
struct Console {
    var verbosity: Verbosity = .normal
    var output = FileDescriptorOutput.standardOutput
    var errors = FileDescriptorOutput.standardError

    enum Verbosity: Comparable { case quiet, normal, verbose }

    /// Whether results may be coloured: on a terminal, unless `NO_COLOR` is set and not
    /// empty (https://no-color.org).
    var colour: Bool {
        output.isTerminal && (getenv("NO_COLOR").map { $0.pointee == 0 } ?? true)
    }

    /// A result line (or block) on standard output.
    func print(_ text: String) {
        try? output.write(text.hasSuffix("\n") ? text : text + "\n")
    }

    /// A problem on standard error, always shown.
    func error(_ text: String) {
        try? errors.write("Error: \(text)\n")
    }

    /// A warning on standard error (a feed that failed, say), always shown.
    func warning(_ text: String) {
        try? errors.write("warning: \(text)\n")
    }

    /// A note on standard error, dropped by `--quiet`.
    func note(_ text: String) {
        guard verbosity >= .normal else { return }
        try? errors.write("\(text)\n")
    }

    /// A detail on standard error, shown only with `--verbose`.
    func detail(_ text: String) {
        guard verbosity >= .verbose else { return }
        try? errors.write("\(text)\n")
    }
}
