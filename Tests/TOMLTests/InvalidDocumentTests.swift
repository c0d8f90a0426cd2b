import Testing
import TOML

/// An invalid document and the error it must give, as `line:column: message`.
struct InvalidCase: Sendable, CustomTestStringConvertible {
    let document: String
    let error: String

    init(_ document: String, _ error: String) {
        self.document = document
        self.error = error
    }

    var testDescription: String { String(reflecting: document) }
}

@Suite struct InvalidDocumentTests {
    static let duplicates: [InvalidCase] = [
        .init("a = 1\na = 2", "2:1: 'a' is already defined at 1:1"),
        .init("\"a\" = 1\n'a' = 2", "2:1: 'a' is already defined at 1:1"),
        .init("a.b = 1\na.b = 2", "2:3: 'a.b' is already defined at 1:3"),
        .init("a = 1\na.b = 2", "2:1: 'a' is already defined at 1:1 as an integer"),
        .init("a.b = 1\na.b.c = 2", "2:3: 'a.b' is already defined at 1:3 as an integer"),
        .init("a.b = 1\na = 2", "2:1: 'a' is already defined at 1:1"),
        .init("[a]\n[a]", "2:2: 'a' is already defined at 1:1"),
        .init("[a]\nb = 1\n[a]", "3:2: 'a' is already defined at 1:1"),
        .init("[a.b]\n[a.b]", "2:4: 'a.b' is already defined at 1:1"),
        .init("a.b = 1\n[a]", "2:2: 'a' is already defined at 1:1"),
        .init("[fruit]\napple.color = \"red\"\n[fruit.apple]", "3:8: 'fruit.apple' is already defined at 2:1"),
        .init("[fruit]\napple.taste.sweet = true\n[fruit.apple.taste]", "3:14: 'fruit.apple.taste' is already defined at 2:7"),
        .init("[fruit]\napple = \"red\"\n[fruit.apple]", "3:8: 'fruit.apple' is already defined at 2:1 as a string"),
        .init("[fruit]\napple = \"red\"\n[fruit.apple.x]", "3:8: 'fruit.apple' is already defined at 2:1 as a string"),
        .init("[a.b]\n[a]\nb.c = 1", "3:1: 'b' is already defined at 1:1"),
        .init("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", "4:3: 'b.c' is already defined at 1:1"),
        .init("[a]\nb = 1\n[a.b]", "3:4: 'a.b' is already defined at 2:1 as an integer"),
        .init("[[a]]\n[a]", "2:2: 'a' is already defined at 1:1 as an array of tables"),
        .init("[a]\n[[a]]", "2:3: 'a' is already defined at 1:1 as a table"),
        .init("[a.b]\n[[a]]", "2:3: 'a' is already defined at 1:2 as a table"),
        .init("a = []\n[[a]]", "2:3: 'a' is already defined at 1:1 as an array"),
        .init("a = [{ b = 1 }]\n[[a]]", "2:3: 'a' is already defined at 1:1 as an array"),
        .init("a = {}\n[a]", "2:2: 'a' is already defined at 1:1 as an inline table"),
        .init("a = { b = 1 }\n[a.c]", "2:2: 'a' is already defined at 1:1 as an inline table"),
        .init("a = { b = 1 }\na.c = 2", "2:1: 'a' is already defined at 1:1 as an inline table"),
        .init("a = { b = 1, b = 2 }", "1:14: 'b' is already defined at 1:7"),
        .init("a = { b.c = 1, b = 2 }", "1:16: 'b' is already defined at 1:7"),
        .init("a = { b = { c = 1 }, b.d = 2 }", "1:22: 'b' is already defined at 1:7 as an inline table"),
        .init("tbl = { fruit = { apple.color = 1 }, fruit.apple.texture = 2 }", "1:38: 'fruit' is already defined at 1:9 as an inline table"),
        .init("a = [{ b = 1 }]\n[a.c]", "2:2: 'a' is already defined at 1:1 as an array"),
        .init("[a.b.c.d]\nz = 9\n[a]\nb.c.d.k.t = 1", "4:5: 'b.c.d' is already defined at 1:1"),
        .init("[[a]]\nb.c = 1\n[a.b]", "3:4: 'a.b' is already defined at 2:1"),
        .init("[[a]]\nb = 1\n[[a.b]]", "3:5: 'a.b' is already defined at 2:1 as an integer"),
        .init("[[a]]\n[a.b]\n[a.b]", "3:4: 'a.b' is already defined at 2:1"),
    ]

    static let syntax: [InvalidCase] = [
        .init("= 1", "1:1: expected a key, found '='"),
        .init("a", "1:2: expected '=' after the key, found end of file"),
        .init("a b = 1", "1:3: expected '=' after the key, found 'b'"),
        .init("a. = 1", "1:4: expected a key, found '='"),
        .init(".a = 1", "1:1: expected a key, found '.'"),
        .init("a = 1 b = 2", "1:7: expected a newline after the value, found 'b'"),
        .init("a = true false", "1:10: expected a newline after the value, found 'f'"),
        .init("a = \"x\" \"y\"", "1:9: expected a newline after the value, found '\"'"),
        .init("a =", "1:4: expected a value, found end of file"),
        .init("a = \nb = 1", "1:5: expected a value, found a newline"),
        .init("a = # no value", "1:5: expected a value, found '#'"),
        .init("a = True", "1:5: expected a value, found 'True'"),
        .init("a = hello", "1:5: expected a value, found 'hello'"),
        .init("a = infinity", "1:5: expected a value, found 'infinity'"),
        .init("a = NaN", "1:5: expected a value, found 'NaN'"),
        .init("a = _1", "1:5: expected a value, found '_1'"),
        .init("ключ = 1", "1:1: expected a key, found 'к'"),
        .init("\"\"\"a\"\"\" = 1", "1:1: a multi-line string cannot be a key"),
        .init("'''a''' = 1", "1:1: a multi-line string cannot be a key"),
        .init("\"a\nb\" = 1", "1:1: unterminated string"),
        .init("[a", "1:3: expected ']' to close the table header, found end of file"),
        .init("[a\nb = 1", "1:3: expected ']' to close the table header, found a newline"),
        .init("[[a]", "1:5: expected ']]' to close the array of tables header, found end of file"),
        .init("[[a] ]", "1:5: expected ']]' to close the array of tables header, found ' '"),
        .init("[ [a]]", "1:3: expected a key, found '['"),
        .init("[]", "1:2: expected a key, found ']'"),
        .init("[a.]", "1:4: expected a key, found ']'"),
        .init("[a] b = 1", "1:5: expected a newline after the table header, found 'b'"),
        .init("a = 1\r", "1:6: a carriage return must be followed by a newline"),
        .init("a = 1\rb = 2", "1:6: a carriage return must be followed by a newline"),
    ]

    static let arraysAndInlineTables: [InvalidCase] = [
        .init("a = [1 2]", "1:8: expected ',' or ']' in the array, found '2'"),
        .init("a = [1,,2]", "1:8: expected a value, found ','"),
        .init("a = [,]", "1:6: expected a value, found ','"),
        .init("a = [1, 2", "1:5: unterminated array"),
        .init("a = [1, 2\n# c\n", "1:5: unterminated array"),
        .init("a = [1}", "1:7: expected ',' or ']' in the array, found '}'"),
        .init("a = { b = 1", "1:5: unterminated inline table"),
        .init("a = {", "1:5: unterminated inline table"),
        .init("a = { b = 1 c = 2 }", "1:13: expected ',' or '}' in the inline table, found 'c'"),
        .init("a = { b = 1, }", "1:14: a trailing comma is not allowed in an inline table"),
        .init("a = { b = 1,\n c = 2 }", "1:13: a newline is not allowed in an inline table"),
        .init("a = {\n}", "1:6: a newline is not allowed in an inline table"),
        .init("a = { b = 1\n}", "1:12: a newline is not allowed in an inline table"),
        .init("a = { b = 1 # c\n}", "1:13: expected ',' or '}' in the inline table, found '#'"),
        .init("a = { , }", "1:7: expected a key, found ','"),
        .init("a = { b }", "1:9: expected '=' after the key, found '}'"),
    ]

    static let numbers: [InvalidCase] = [
        .init("a = 01", "1:5: invalid number '01': leading zeros are not allowed"),
        .init("a = -01", "1:5: invalid number '-01': leading zeros are not allowed"),
        .init("a = 0_1", "1:5: invalid number '0_1': leading zeros are not allowed"),
        .init("a = 00.5", "1:5: invalid number '00.5': leading zeros are not allowed"),
        .init("a = 1__0", "1:5: invalid number '1__0': '_' must be between digits"),
        .init("a = 1_", "1:5: invalid number '1_': '_' must be between digits"),
        .init("a = +_1", "1:5: invalid number '+_1': '_' must be between digits"),
        .init("a = 1._5", "1:5: invalid number '1._5': '_' must be between digits"),
        .init("a = 1e_5", "1:5: invalid number '1e_5': '_' must be between digits"),
        .init("a = 0x_1", "1:5: invalid number '0x_1': '_' must be between digits"),
        .init("a = 0x", "1:5: invalid number '0x'"),
        .init("a = 0X1F", "1:5: invalid number '0X1F'"),
        .init("a = 0xG", "1:5: invalid number '0xG'"),
        .init("a = 0o8", "1:5: invalid number '0o8'"),
        .init("a = 0b102", "1:5: invalid number '0b102'"),
        .init("a = +0x1", "1:5: invalid number '+0x1': a sign is not allowed before '0x'"),
        .init("a = -0b1", "1:5: invalid number '-0b1': a sign is not allowed before '0b'"),
        .init("a = 1.", "1:5: invalid number '1.'"),
        .init("a = .5", "1:5: invalid number '.5'"),
        .init("a = 1e", "1:5: invalid number '1e'"),
        .init("a = 1e+", "1:5: invalid number '1e+'"),
        .init("a = 1.5.3", "1:5: invalid number '1.5.3'"),
        .init("a = 1.e2", "1:5: invalid number '1.e2'"),
        .init("a = ++1", "1:5: invalid number '++1'"),
        .init("a = 1-2", "1:5: invalid number '1-2'"),
        .init("a = 12abc", "1:5: invalid number '12abc'"),
        .init("a = 9223372036854775808", "1:5: integer '9223372036854775808' does not fit in 64 bits"),
        .init("a = -9223372036854775809", "1:5: integer '-9223372036854775809' does not fit in 64 bits"),
        .init("a = 0x8000000000000000", "1:5: integer '0x8000000000000000' does not fit in 64 bits"),
        .init("a = 1e400", "1:5: float '1e400' is out of range for a 64-bit float"),
    ]

    static let strings: [InvalidCase] = [
        .init(#"a = "\x""#, #"1:6: invalid escape sequence '\x'"#),
        .init(#"a = "\e""#, #"1:6: invalid escape sequence '\e'"#),
        .init(#"a = "ab\ c""#, #"1:8: invalid escape sequence '\ '"#),
        .init("a = \"\\\u{1}\"", "1:6: invalid escape sequence: '\\' followed by control character U+0001"),
        .init("a = \"a\\\nb\"", "1:7: invalid escape sequence: '\\' followed by a newline"),
        .init(#"a = "\é""#, #"1:6: invalid escape sequence: '\' followed by 'é'"#),
        .init(#"a = "\u12""#, #"1:6: '\u' must be followed by 4 hexadecimal digits"#),
        .init(#"a = "\U0001F60""#, #"1:6: '\U' must be followed by 8 hexadecimal digits"#),
        .init(#"a = "\uD800""#, #"1:6: '\uD800' is not a Unicode scalar value"#),
        .init(#"a = "\U00110000""#, #"1:6: '\U00110000' is not a Unicode scalar value"#),
        .init("a = \"\"\"\nabc \\ x\"\"\"", #"2:5: invalid escape sequence '\ '"#),
        .init("a = \"abc", "1:5: unterminated string"),
        .init("a = \"abc\nb = 1", "1:5: unterminated string"),
        .init("a = \"abc\\", "1:5: unterminated string"),
        .init("a = \"\"\"abc", "1:5: unterminated multi-line string"),
        .init("a = \"\"\"abc\"\"", "1:5: unterminated multi-line string"),
        .init("a = 'abc", "1:5: unterminated string"),
        .init("a = 'abc\n'", "1:5: unterminated string"),
        .init("a = '''abc", "1:5: unterminated multi-line string"),
        .init("a = \"a\u{1}b\"", "1:7: control character U+0001 is not allowed in a string"),
        .init("a = 'a\u{7F}'", "1:7: control character U+007F is not allowed in a string"),
        .init("a = \"x\ry\"", "1:7: control character U+000D is not allowed in a string"),
        .init("a = \"\"\"x\ry\"\"\"", "1:9: control character U+000D is not allowed in a string"),
        .init("a = '''\nok\n\u{0}'''", "3:1: control character U+0000 is not allowed in a string"),
        .init("a = 1 # comment \u{0}", "1:17: control character U+0000 is not allowed in a comment"),
        .init("# \u{1B}[31m", "1:3: control character U+001B is not allowed in a comment"),
        .init("# a\r", "1:4: control character U+000D is not allowed in a comment"),
        .init("a = '''x''''''", "1:14: expected a newline after the value, found '''"),
    ]

    static let datesAndTimes: [InvalidCase] = [
        .init("a = 1979-02-29", "1:5: invalid date or time '1979-02-29': day 29 is not in month 2 of 1979"),
        .init("a = 1979-13-01", "1:5: invalid date or time '1979-13-01': month 13 is not 01 to 12"),
        .init("a = 1979-00-01", "1:5: invalid date or time '1979-00-01': month 0 is not 01 to 12"),
        .init("a = 1979-05-00", "1:5: invalid date or time '1979-05-00': day 0 is not in month 5 of 1979"),
        .init("a = 24:00:00", "1:5: invalid date or time '24:00:00': hour 24 is past 23"),
        .init("a = 23:60:00", "1:5: invalid date or time '23:60:00': minute 60 is past 59"),
        .init("a = 23:59:61", "1:5: invalid date or time '23:59:61': second 61 is past 60"),
        .init("a = 07:32", "1:5: invalid date or time '07:32': expected ':' and seconds after the minute"),
        .init("a = 07:32:00.", "1:5: invalid date or time '07:32:00.': expected digits after the '.' of the seconds"),
        .init("a = 1979-5-27", "1:5: invalid date or time '1979-5-27': expected 2 digits for the month"),
        .init("a = 10000-01-01", "1:5: invalid number '10000-01-01'"),
        .init("a = 1979-05-27T07:32:00+24:00", "1:5: invalid date or time '1979-05-27T07:32:00+24:00': offset hour 24 is past 23"),
        .init("a = 1979-05-27T07:32:00+01", "1:5: invalid date or time '1979-05-27T07:32:00+01': expected ':' in the offset"),
        .init("a = 1979-05-2707:32:00Z", "1:5: invalid date or time '1979-05-2707:32:00Z': unexpected '0' after the date"),
        .init("a = 1979-05-27x", "1:5: invalid date or time '1979-05-27x': unexpected 'x' after the date"),
        .init("a = 07:32:00Z", "1:5: invalid date or time '07:32:00Z': unexpected 'Z' after the time"),
        .init("a = 1979-05-27 x", "1:16: expected a newline after the value, found 'x'"),
        .init("a = [1, 1979-05-32]", "1:9: invalid date or time '1979-05-32': day 32 is not in month 5 of 1979"),
        .init("[t]\n  when = 2024-01-01T", "2:10: invalid date or time '2024-01-01T': expected 2 digits for the hour"),
    ]

    @Test(arguments: duplicates) func duplicateKeysAndTables(_ test: InvalidCase) {
        #expect(parseError(test.document) == test.error)
    }

    @Test(arguments: syntax) func syntaxErrors(_ test: InvalidCase) {
        #expect(parseError(test.document) == test.error)
    }

    @Test(arguments: arraysAndInlineTables) func arrayAndInlineTableErrors(_ test: InvalidCase) {
        #expect(parseError(test.document) == test.error)
    }

    @Test(arguments: numbers) func numberErrors(_ test: InvalidCase) {
        #expect(parseError(test.document) == test.error)
    }

    @Test(arguments: strings) func stringAndCommentErrors(_ test: InvalidCase) {
        #expect(parseError(test.document) == test.error)
    }

    @Test(arguments: datesAndTimes) func invalidDatesAndTimesAreRejected(_ test: InvalidCase) {
        #expect(parseError(test.document) == test.error)
    }

    @Test func errorDescriptionNamesTheFile() {
        #expect(throws: TOMLError(file: "Config/inventory.toml", line: 2, column: 6, message: "unterminated string")) {
            try TOMLParser.parse("ok = 1\nno = \"", file: "Config/inventory.toml")
        }
        do {
            _ = try TOMLParser.parse("a = 1\na = 2", file: "Config/inventory.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "Config/inventory.toml:2:1: 'a' is already defined at 1:1")
        }
    }
}
