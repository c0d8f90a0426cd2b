import FoundationEssentials
import Models

/// Dates as feeds write them: RFC 822 (RSS) with its common variants, RFC 3339 / ISO 8601
/// (Atom), and W3C-DTF partial dates (`dc:date`). A date that cannot be read is nil,
/// never "now" and never a guess.
public enum FeedDate {
    public static func parse(_ text: String) -> Date? {
        parse(utf8: Array(text.utf8))
    }

    /// The date in `utf8` (a date string's bytes), or nil.
    static func parse(utf8: [UInt8]) -> Date? {
        guard utf8.count <= 96 else { return nil }  // no date is longer; a long field is not a date
        var scanner = DateScanner(utf8)
        scanner.skipSpaces()
        guard let first = scanner.peek else { return nil }
        let date = isDigit(first) && scanner.looksLikeISO ? scanner.iso8601() : scanner.rfc822()
        return date.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Seconds since 1970 for a proleptic Gregorian UTC date and time, or nil when a field
    /// is out of range.
    static func epochSeconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int? {
        guard let days = CivilDate.days(year: year, month: month, day: day),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        return ((days * 24 + hour) * 60 + minute) * 60 + second
    }
}

/// A cursor over the bytes of one date string.
private struct DateScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    var looksLikeISO: Bool {
        // "2024-01-02…" or "2024": four digits, then a dash or the end.
        let digits = bytes[index...].prefix { FeedDate.isDigit($0) }.count
        let next = index + digits < bytes.count ? bytes[index + digits] : nil
        return digits == 4 && (next == nil || next == UInt8(ascii: "-") || next == UInt8(ascii: " ") || next == UInt8(ascii: "/"))
            || digits == 8 && (next == nil || next == UInt8(ascii: "T"))
    }

    mutating func skipSpaces() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    mutating func number(maxDigits: Int = 9) -> (value: Int, digits: Int)? {
        var value = 0, digits = 0
        while digits < maxDigits, let byte = peek, FeedDate.isDigit(byte) {
            value = value * 10 + Int(byte - 0x30)
            digits += 1
            index += 1
        }
        return digits > 0 ? (value, digits) : nil
    }

    /// Consumes a run of ASCII letters; returns how many there were and the first eight,
    /// lower-cased, packed in an integer (compared without making a string).
    mutating func word() -> (count: Int, key: UInt64) {
        let start = index
        var key: UInt64 = 0
        while let byte = peek, (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A {
            if index - start < 8 { key = key << 8 | UInt64(byte | 0x20) }
            index += 1
        }
        return (index - start, key)
    }

    /// `word().key` of a lower-case ASCII name.
    static func key(_ name: StaticString) -> UInt64 {
        UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount).reduce(0) { $0 << 8 | UInt64($1) }
    }

    var atEnd: Bool {
        var copy = self
        copy.skipSpaces()
        return copy.peek == nil
    }

    // MARK: RFC 3339 / ISO 8601 / W3C-DTF

    mutating func iso8601() -> Int? {
        guard let year = number(maxDigits: 4), year.digits == 4 else { return nil }
        var month = 1, day = 1, hour = 0, minute = 0, second = 0
        let dashes = skip(UInt8(ascii: "-"))
        if !dashes && skip(UInt8(ascii: "/")) {
            // "2020/1/10 14:33:00", as some Chinese publishers write dates.
            guard let m = number(maxDigits: 2), skip(UInt8(ascii: "/")), let d = number(maxDigits: 2) else { return nil }
            month = m.value
            day = d.value
        } else if dashes || peek.map(FeedDate.isDigit) == true {
            guard let m = number(maxDigits: 2), m.digits == 2 else { return nil }
            month = m.value
            if !dashes || skip(UInt8(ascii: "-")) {
                guard let d = number(maxDigits: 2), d.digits == 2 else { return nil }
                day = d.value
            } else if !atEnd { return nil }
        }
        var offset = 0
        if skip(UInt8(ascii: "T")) || skip(UInt8(ascii: "t")) || (skip(0x20) && peek.map(FeedDate.isDigit) == true) {
            guard let h = number(maxDigits: 2) else { return nil }
            _ = skip(UInt8(ascii: ":"))
            guard let mi = number(maxDigits: 2) else { return nil }
            hour = h.value
            minute = mi.value
            if skip(UInt8(ascii: ":")) || peek.map(FeedDate.isDigit) == true {
                guard let s = number(maxDigits: 2) else { return nil }
                second = s.value
                if skip(UInt8(ascii: ".")) || skip(UInt8(ascii: ",")) {
                    guard number(maxDigits: 12) != nil else { return nil }  // fractions are dropped
                }
            }
            skipSpaces()
            guard let zone = isoZone() else { return nil }
            offset = zone
        }
        guard atEnd else { return nil }
        return FeedDate.epochSeconds(year: year.value, month: month, day: day,
                                     hour: hour, minute: minute, second: second).map { $0 - offset }
    }

    /// "Z", "+05:30", "-0800", "+05", or nothing (taken as UTC): seconds east of UTC.
    mutating func isoZone() -> Int? {
        if skip(UInt8(ascii: "Z")) || skip(UInt8(ascii: "z")) || peek == nil { return 0 }
        let sign: Int
        if skip(UInt8(ascii: "+")) { sign = 1 } else if skip(UInt8(ascii: "-")) { sign = -1 } else { return nil }
        guard let hours = number(maxDigits: 2), hours.digits == 2, hours.value <= 23 else { return nil }
        _ = skip(UInt8(ascii: ":"))
        let minutes = number(maxDigits: 2)?.value ?? 0
        guard minutes <= 59 else { return nil }
        return sign * (hours.value * 3600 + minutes * 60)
    }

    // MARK: RFC 822 and its variants

    private static let months: [UInt64] = [key("jan"), key("feb"), key("mar"), key("apr"), key("may"), key("jun"),
                                           key("jul"), key("aug"), key("sep"), key("oct"), key("nov"), key("dec")]

    mutating func rfc822() -> Int? {
        // An optional day name (right or wrong, it is ignored), with or without a comma.
        if peek.map(FeedDate.isDigit) == false {
            guard word().count >= 3 else { return nil }
            _ = skip(UInt8(ascii: ","))
            skipSpaces()
        }
        guard let day = number(maxDigits: 2) else { return nil }
        skipSpaces()
        _ = skip(UInt8(ascii: "-"))
        let monthName = word()
        // The first three letters name the month ("Jan", "January", "Sept").
        let firstThree = monthName.key >> (8 * UInt64(max(0, min(monthName.count, 8) - 3)))
        guard monthName.count >= 3, let month = Self.months.firstIndex(of: firstThree) else { return nil }
        skipSpaces()
        _ = skip(UInt8(ascii: "-"))
        guard var year = number(maxDigits: 4) else { return nil }
        if year.digits == 2 { year.value += year.value < 50 ? 2000 : 1900 }
        else if year.digits != 4 { return nil }
        skipSpaces()
        var hour = 0, minute = 0, second = 0, offset = 0
        if let h = number(maxDigits: 2) {
            guard skip(UInt8(ascii: ":")), let m = number(maxDigits: 2) else { return nil }
            hour = h.value
            minute = m.value
            if skip(UInt8(ascii: ":")) {
                guard let s = number(maxDigits: 2) else { return nil }
                second = s.value
            }
            skipSpaces()
            guard let zone = rfc822Zone() else { return nil }
            offset = zone
        }
        guard atEnd else { return nil }
        return FeedDate.epochSeconds(year: year.value, month: month + 1, day: day.value,
                                     hour: hour, minute: minute, second: second).map { $0 - offset }
    }

    /// Zone names by `word().key`, with their offsets in hours.
    private static let namedZones: [(key: UInt64, hours: Int)] = [
        (key("ut"), 0), (key("utc"), 0), (key("gmt"), 0), (key("z"), 0),
        (key("est"), -5), (key("edt"), -4), (key("cst"), -6), (key("cdt"), -5),
        (key("mst"), -7), (key("mdt"), -6), (key("pst"), -8), (key("pdt"), -7),
    ]

    /// "+0000", "-05:00", "GMT", "EST", a military letter, or nothing (UTC).
    mutating func rfc822Zone() -> Int? {
        if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "+") ? 1 : -1
            index += 1
            guard let hours = number(maxDigits: 2), hours.digits == 2 else { return nil }
            _ = skip(UInt8(ascii: ":"))
            guard let minutes = number(maxDigits: 2), hours.value <= 23, minutes.value <= 59 else { return nil }
            return sign * (hours.value * 3600 + minutes.value * 60)
        }
        let name = word()
        if name.count == 0 { return 0 }
        if name.count <= 3, let zone = Self.namedZones.first(where: { $0.key == name.key }) { return zone.hours * 3600 }
        if name.count == 1 {
            let letter = UInt32(name.key)
            // Military zones: A–I = +1…+9, K–M = +10…+12, N–Y = −1…−12 (J is not a zone).
            switch letter {
            case 0x61...0x69: return Int(letter - 0x60) * 3600
            case 0x6B...0x6D: return Int(letter - 0x61) * 3600
            case 0x6E...0x79: return -Int(letter - 0x6D) * 3600
            default: return nil
            }
        }
        return nil
    }
}
