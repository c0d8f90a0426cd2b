import FoundationEssentials

/// How Bulletin writes a moment, everywhere it writes one (tables, JSON, digests, mail
/// headers aside): RFC 3339 in UTC, `2024-03-29T06:30:00Z`, or the UTC day, `2024-03-29`.
public enum Timestamp {
    /// RFC 3339 in UTC with `Z` and whole seconds (the seconds are truncated, not rounded).
    public static func rfc3339(_ date: Date) -> String {
        var bytes: [UInt8] = []
        appendRFC3339(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `rfc3339(date)` as UTF-8 to `bytes` (no string made).
    public static func appendRFC3339(_ date: Date, to bytes: inout [UInt8]) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        let (year, month, day) = CivilDate.date(days: days)
        func put(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = max(0, value)
            while divisor > 0 {
                bytes.append(UInt8(0x30 + rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        put(year, 4); bytes.append(0x2D); put(month, 2); bytes.append(0x2D); put(day, 2)
        bytes.append(0x54); put(time / 3600, 2); bytes.append(0x3A); put(time / 60 % 60, 2)
        bytes.append(0x3A); put(time % 60, 2); bytes.append(0x5A)
    }

    /// The UTC day of `date`: `2024-03-29`.
    public static func day(_ date: Date) -> String {
        String(rfc3339(date).prefix(10))
    }
}
