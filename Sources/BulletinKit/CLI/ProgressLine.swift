import FoundationEssentials

/// A one-line progress display on standard error, redrawn in place: only on a terminal
/// and never with `--quiet`, so cron mail stays clean.
struct ProgressLine {
    private let console: Console
    private let enabled: Bool
    private var lastDrawn: ContinuousClock.Instant?
    private var drawn = false

    init(console: Console) {
        self.console = console
        enabled = console.errors.isTerminal && console.verbosity != .quiet
    }

    /// Shows how far a refresh is, at most about ten times a second (and at the end).
    mutating func show(_ progress: Pipeline.RefreshProgress) {
        guard enabled else { return }
        let now = ContinuousClock.now
        if let lastDrawn, now - lastDrawn < .milliseconds(100), progress.done < progress.total { return }
        lastDrawn = now
        drawn = true
        var text = "fetch: \(progress.done)/\(progress.total) feeds, \(Self.bytes(progress.bytes))"
        if progress.failures > 0 { text += ", \(progress.failures) failed" }
        try? console.errors.write("\r\u{1B}[K" + text)
    }

    /// Removes the line, so what follows starts on a clean line.
    mutating func clear() {
        guard drawn else { return }
        try? console.errors.write("\r\u{1B}[K")
        drawn = false
    }

    /// A byte count for people: "512 B", "3.4 kB", "12.0 MB".
    static func bytes(_ count: Int) -> String {
        switch count {
        case ..<1000: "\(count) B"
        case ..<1_000_000: "\(Double(count / 100) / 10) kB"
        default: "\(Double(count / 100_000) / 10) MB"
        }
    }
}
