import Testing
import TOML

/// TOML 1.0's four kinds of date and time, read as written.
@Suite struct DateTimeTests {
    private func value(_ text: String) throws -> TOMLValue {
        try #require(try TOMLParser.parse("a = " + text)["a"])
    }

    @Test(arguments: [
        ("1979-05-27T07:32:00Z", "1979-05-27T07:32:00Z", "an offset date-time"),
        ("1979-05-27t07:32:00z", "1979-05-27T07:32:00Z", "an offset date-time"),
        ("1979-05-27 07:32:00Z", "1979-05-27T07:32:00Z", "an offset date-time"),
        ("1979-05-27T00:32:00-07:00", "1979-05-27T00:32:00-07:00", "an offset date-time"),
        ("1979-05-27T00:32:00.999999+05:30", "1979-05-27T00:32:00.999999+05:30", "an offset date-time"),
        ("1979-05-27T00:32:00+00:00", "1979-05-27T00:32:00Z", "an offset date-time"),
        ("1979-05-27T07:32:00", "1979-05-27T07:32:00", "a local date-time"),
        ("1979-05-27 07:32:00.5", "1979-05-27T07:32:00.5", "a local date-time"),
        ("1979-05-27", "1979-05-27", "a local date"),
        ("2000-02-29", "2000-02-29", "a local date"),
        ("07:32:00", "07:32:00", "a local time"),
        ("00:32:00.999999999999", "00:32:00.999999999999", "a local time"),
        ("23:59:60", "23:59:60", "a local time"),
    ])
    func eachKindIsReadAsWritten(text: String, expected: String, kind: String) throws {
        let parsed = try value(text)
        #expect(parsed.dateTime?.description == expected)
        #expect(parsed.typeDescription == kind)
    }

    @Test func partsAreExposed() throws {
        let parsed = try #require(try value("1979-05-27T00:32:00.25-07:30").dateTime)
        #expect(parsed.date == .init(year: 1979, month: 5, day: 27))
        #expect(parsed.time == .init(hour: 0, minute: 32, second: 0, fraction: "25"))
        #expect(parsed.offsetMinutes == -450)
        #expect(parsed.kind == .offsetDateTime)
    }

    @Test func datesInArraysInlineTablesAndAfterComments() throws {
        let table = try TOMLParser.parse("""
            a = [1979-05-27, 07:32:00, 1979-05-27 07:32:00] # comment
            b = { when = 1979-05-27T07:32:00Z }
            c = 1979-05-27 # a date then a comment, the space is no separator
            """)
        #expect(table.description
            == "{ a = [1979-05-27, 07:32:00, 1979-05-27T07:32:00], b = { when = 1979-05-27T07:32:00Z }, c = 1979-05-27 }")
    }

    @Test func aDateDecodedAsAnotherTypeSaysWhatItIs() {
        struct File: Decodable { var a: Int }
        #expect(throws: TOMLError(file: "x.toml", line: 1, column: 5, message: "expected an integer for 'a', found a local date")) {
            try TOMLDecoder().decode(File.self, from: "a = 2024-01-01", file: "x.toml")
        }
    }
}

/// Oversized and broken date tokens: an error naming a short piece of the token, never a crash.
@Suite struct HostileDateTimeTests {
    @Test(arguments: [
        "1979-05-27T07:32:00." + String(repeating: "9", count: 1_000_000),
        "1979-05-27T07:32:00Z" + String(repeating: "Z", count: 100_000),
        "1979-05-27" + String(repeating: "-", count: 100_000),
        String(repeating: "1", count: 4) + "-" + String(repeating: "1", count: 100_000),
        "07:32:" + String(repeating: "0", count: 100_000),
        "1979-05-27 07:32:00 07:32:00", "1979-05-27  07:32:00", "1979-05-27\t07:32:00",
        "9999-12-31T23:59:60+23:59", "0000-01-01", "1979-05-27T07:32:00-00:00",
    ])
    func aHostileDateGivesAValueOrAShortError(text: String) {
        do {
            let table = try TOMLParser.parse("a = " + text)
            #expect(table["a"] != nil)
        } catch {
            #expect(error.description.count < 300)
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func aFractionOfAMillionDigitsIsKeptAsWritten() throws {
        let digits = String(repeating: "9", count: 1_000_000)
        let value = try #require(try TOMLParser.parse("a = 07:32:00." + digits)["a"]?.dateTime)
        #expect(value.time?.fraction == digits)
    }
}
