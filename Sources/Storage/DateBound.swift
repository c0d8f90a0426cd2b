import FoundationEssentials
import Models

/// A point in time as users write it, the one grammar of every command's dates (`digest
/// --since/--until`, `ack --until`, `search since:/until:`, `prune --older-than`): an age
/// (`12h`, `7d`, `2w`, `1y`) counted back from now (forward for `ack`), a day
/// (`2024-01-01`, UTC) or an instant (`2024-01-01T12:00:00Z`).
public enum DateBound: Sendable, Hashable {
    case age(seconds: Int64)
    case day(startingAt: Int64)
    case instant(Int64)

    /// What `text` can be, for error messages.
    public static let expected = "an age (12h, 7d, 2w, 1y) or a date (2024-01-01, 2024-01-01T12:00:00Z)"

    private static let units: [Character: Int64] = ["h": 3_600, "d": 86_400, "w": 604_800, "y": 31_536_000]

    /// Reads `text`; nil when it is neither an age nor a date.
    public init?(_ text: String) {
        if let unit = text.last, let seconds = Self.units[unit], text.count > 1,
           text.dropLast().allSatisfy(\.isASCII), let count = Int64(text.dropLast()), count >= 0,
           count <= 10_000 {
            self = .age(seconds: count * seconds)
        } else if let day = Self.day(text) {
            self = .day(startingAt: day)
        } else if text.count == 20, text.dropFirst(10).first == "T",
                  let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) {
            self = .instant(Int64(date.timeIntervalSince1970))
        } else {
            return nil
        }
    }

    /// The first second it covers (for `since:`), in seconds since 1970.
    public func start(now: Date) -> Int64 {
        switch self {
        case .age(let seconds): Int64(now.timeIntervalSince1970) - seconds
        case .day(let start): start
        case .instant(let instant): instant
        }
    }

    /// The moment it names looking ahead (for `ack --until`): an age counted forward from
    /// now, a day's first second, an instant.
    public func ahead(of now: Date) -> Int64 {
        switch self {
        case .age(let seconds): Int64(now.timeIntervalSince1970) + seconds
        case .day(let start): start
        case .instant(let instant): instant
        }
    }

    /// The first second after it (for `until:`): a day is included whole.
    public func end(now: Date) -> Int64 {
        switch self {
        case .age(let seconds): Int64(now.timeIntervalSince1970) - seconds + 1
        case .day(let start): start + 86_400
        case .instant(let instant): instant + 1
        }
    }

    /// `YYYY-MM-DD` as the seconds of its UTC midnight.
    private static func day(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              let days = CivilDate.days(year: year, month: month, day: day) else { return nil }
        return Int64(days) * 86_400
    }
}
