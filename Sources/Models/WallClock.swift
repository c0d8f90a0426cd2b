import FoundationEssentials

/// What time it is for Bulletin: the system clock, or, when the environment variable
/// `BULLETIN_NOW` names a moment (`2027-03-01T06:00:00Z`), a clock that starts there and
/// runs at the real rate. Every stage asks here, never `WallClock.now()`, so a soak test can drive
/// a year of daily runs in minutes and each run sees its own day.
public enum WallClock {
    /// The variable that sets the clock.
    public static let variable = "BULLETIN_NOW"

    public static func now() -> Date { Date(timeIntervalSinceNow: offset) }

    /// Seconds between the injected moment and the real one at start-up; 0 without one
    /// (or with one that does not read, which `problem` reports).
    private static let offset: TimeInterval = {
        guard case .moment(let date)? = setting(ProcessInfo.processInfo.environment[variable]) else { return 0 }
        return date.timeIntervalSinceNow
    }()

    /// Why `BULLETIN_NOW` in this process's environment cannot be used, or nil when it is
    /// absent or reads as a moment.
    public static var problem: String? {
        if case .unreadable(let text)? = setting(ProcessInfo.processInfo.environment[variable]) {
            return "\(variable): \(text.debugDescription) is not a moment like 2027-03-01T06:00:00Z"
        }
        return nil
    }

    private enum Setting { case moment(Date), unreadable(String) }

    private static func setting(_ text: String?) -> Setting? {
        guard let text, !text.isEmpty else { return nil }
        guard text.count <= 40, let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) else {
            return .unreadable(String(text.prefix(40)))
        }
        return .moment(date)
    }
}
