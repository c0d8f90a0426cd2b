/// A TOML date, time, or both, as written: an offset date-time (`1979-05-27T07:32:00Z`),
/// a local date-time (`1979-05-27T07:32:00`), a local date (`1979-05-27`) or a local time
/// (`07:32:00.999`). Nothing is converted: no time zone is assumed for local values, and
/// the fraction of a second keeps every digit written.
public struct TOMLDateTime: Hashable, Sendable, CustomStringConvertible {
    public struct LocalDate: Hashable, Sendable {
        public var year: Int
        public var month: Int
        public var day: Int

        public init(year: Int, month: Int, day: Int) {
            self.year = year
            self.month = month
            self.day = day
        }
    }

    public struct LocalTime: Hashable, Sendable {
        public var hour: Int
        public var minute: Int
        public var second: Int
        /// The digits after the decimal point, as written ("" for none).
        public var fraction: String

        public init(hour: Int, minute: Int, second: Int, fraction: String = "") {
            self.hour = hour
            self.minute = minute
            self.second = second
            self.fraction = fraction
        }
    }

    public enum Kind: Sendable {
        case offsetDateTime, localDateTime, localDate, localTime
    }

    public var date: LocalDate?
    public var time: LocalTime?
    /// Minutes east of UTC (`Z` is 0); nil for a local value.
    public var offsetMinutes: Int?

    public var kind: Kind {
        switch (date, time, offsetMinutes) {
        case (_?, _?, _?): .offsetDateTime
        case (_?, _?, nil): .localDateTime
        case (_?, nil, _): .localDate
        default: .localTime
        }
    }

    /// RFC 3339: `1979-05-27T07:32:00.5-07:00`, `Z` for a zero offset.
    public var description: String {
        var text = ""
        if let date { text += pad(date.year, 4) + "-" + pad(date.month, 2) + "-" + pad(date.day, 2) }
        if date != nil && time != nil { text += "T" }
        if let time {
            text += pad(time.hour, 2) + ":" + pad(time.minute, 2) + ":" + pad(time.second, 2)
            if !time.fraction.isEmpty { text += "." + time.fraction }
        }
        if let offset = offsetMinutes {
            text += offset == 0 ? "Z" : (offset < 0 ? "-" : "+") + pad(abs(offset) / 60, 2) + ":" + pad(abs(offset) % 60, 2)
        }
        return text
    }

    private func pad(_ value: Int, _ digits: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// Reads a whole token as a date-time; throws a reason (for the parser's error) when it
    /// is not one. The date and time may be separated by `T`, `t` or (in the token) a space.
    static func parse(_ token: ArraySlice<UInt8>) throws(DateTimeError) -> TOMLDateTime {
        var reader = Reader(bytes: token, index: token.startIndex)
        var value = TOMLDateTime()
        if reader.peek(at: 4) == UInt8(ascii: "-") || reader.peek(at: 2) != UInt8(ascii: ":") {
            value.date = try reader.date()
            guard let separator = reader.peek() else { return value }
            guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else {
                throw .init("unexpected '\(Character(Unicode.Scalar(separator)))' after the date")
            }
            reader.index += 1
        }
        value.time = try reader.time()
        if value.date != nil, let next = reader.peek() {
            if next == UInt8(ascii: "Z") || next == UInt8(ascii: "z") {
                reader.index += 1
                value.offsetMinutes = 0
            } else if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") {
                reader.index += 1
                let hours = try reader.digits(2, "offset hour")
                try reader.expect(UInt8(ascii: ":"), "':' in the offset")
                let minutes = try reader.digits(2, "offset minute")
                guard hours <= 23 else { throw .init("offset hour \(hours) is past 23") }
                guard minutes <= 59 else { throw .init("offset minute \(minutes) is past 59") }
                value.offsetMinutes = (hours * 60 + minutes) * (next == UInt8(ascii: "-") ? -1 : 1)
            }
        }
        if let rest = reader.peek() {
            throw .init("unexpected '\(Character(Unicode.Scalar(rest)))' after the \(value.date == nil ? "time" : "date-time")")
        }
        return value
    }

    /// Why a token is not a date or time.
    struct DateTimeError: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private struct Reader {
        let bytes: ArraySlice<UInt8>
        var index: Int

        func peek(at offset: Int = 0) -> UInt8? {
            index + offset < bytes.endIndex ? bytes[index + offset] : nil
        }

        mutating func digits(_ count: Int, _ what: String) throws(DateTimeError) -> Int {
            var value = 0
            for _ in 0..<count {
                guard let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                    throw .init("expected \(count) digits for the \(what)")
                }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                index += 1
            }
            return value
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(DateTimeError) {
            guard peek() == byte else { throw .init("expected \(what)") }
            index += 1
        }

        mutating func date() throws(DateTimeError) -> LocalDate {
            let year = try digits(4, "year")
            try expect(UInt8(ascii: "-"), "'-' after the year")
            let month = try digits(2, "month")
            try expect(UInt8(ascii: "-"), "'-' after the month")
            let day = try digits(2, "day")
            guard (1...12).contains(month) else { throw .init("month \(month) is not 01 to 12") }
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            guard (1...days).contains(day) else { throw .init("day \(day) is not in month \(month) of \(year)") }
            return LocalDate(year: year, month: month, day: day)
        }

        mutating func time() throws(DateTimeError) -> LocalTime {
            let hour = try digits(2, "hour")
            try expect(UInt8(ascii: ":"), "':' after the hour")
            let minute = try digits(2, "minute")
            try expect(UInt8(ascii: ":"), "':' and seconds after the minute")
            let second = try digits(2, "second")
            guard hour <= 23 else { throw .init("hour \(hour) is past 23") }
            guard minute <= 59 else { throw .init("minute \(minute) is past 59") }
            guard second <= 60 else { throw .init("second \(second) is past 60") }  // 60: a leap second
            var fraction = ""
            if peek() == UInt8(ascii: ".") {
                index += 1
                while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                    fraction.unicodeScalars.append(Unicode.Scalar(byte))
                    index += 1
                }
                guard !fraction.isEmpty else { throw .init("expected digits after the '.' of the seconds") }
            }
            return LocalTime(hour: hour, minute: minute, second: second, fraction: fraction)
        }
    }
}
