import Testing
import TOML

/// Input built to break a parser: it must give an error or a value, never crash or hang.
@Suite struct HostileInputTests {
    static let limit = TOMLParser.maximumDepth
    static let tooDeep = "nesting is too deep (the limit is 128 levels)"

    @Test func hundredThousandOpeningBrackets() {
        // The first `[` is at column 5 and depth 1, so depth 129 is at column 133.
        #expect(parseError("a = " + String(repeating: "[", count: 100_000)) == "1:133: \(Self.tooDeep)")
        let closed = "a = " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(parseError(closed) == "1:133: \(Self.tooDeep)")
    }

    @Test func hundredThousandInlineTables() {
        // Each `{b=` is three columns; the 129th `{` is at column 5 + 3 * 128.
        #expect(parseError("a = " + String(repeating: "{b=", count: 100_000)) == "1:389: \(Self.tooDeep)")
    }

    @Test func mixedNestingCountsEveryLevel() {
        #expect(parseError("a = " + String(repeating: "[{b=", count: 50_000)) == "1:261: \(Self.tooDeep)")
    }

    @Test func nestingUpToTheLimitIsAllowed() throws {
        let deepest = "a = " + String(repeating: "[", count: Self.limit) + "1" + String(repeating: "]", count: Self.limit)
        var value = try #require(try parse(deepest)["a"])
        for _ in 0..<Self.limit { value = try #require(value.array?.first) }
        #expect(value.integer == 1)
        let tooDeep = "a = " + String(repeating: "[", count: Self.limit + 1) + String(repeating: "]", count: Self.limit + 1)
        #expect(parseError(tooDeep) == "1:\(5 + Self.limit): \(Self.tooDeep)")
    }

    @Test func deeplyDottedKeysAndHeaders() {
        let key = "a" + String(repeating: ".a", count: 199)
        // Part n (0-based) of the key is at column 1 + 2n and makes a table at depth n + 1.
        #expect(parseError(key + " = 1") == "1:257: \(Self.tooDeep)")
        #expect(parseError("[" + key + "]") == "1:258: \(Self.tooDeep)")
        #expect(parseError("[[" + key + "]]") == "1:259: \(Self.tooDeep)")
        // Headers can deepen the tree a little at a time; the limit still holds.
        var document = ""
        var header = "a"
        for _ in 0..<100 {
            document += "[\(header)]\n"
            header += ".a.a"
        }
        #expect(parseError(document)?.hasSuffix(Self.tooDeep) == true)
    }

    @Test func headerStartingWithManyBrackets() {
        #expect(parseError(String(repeating: "[", count: 100_000)) == "1:3: expected a key, found '['")
    }

    @Test(arguments: [#"""#, "'", #"""""#, "'''"])
    func fiveMegabyteString(quote: String) throws {
        let text = String(repeating: "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!?", count: 5 * 1024 * 1024 / 64)
        let table = try parse("big = \(quote)\(text)\(quote)\nafter = 1")
        #expect(table["big"]?.string?.utf8.count == 5 * 1024 * 1024)
        #expect(table["big"]?.string == text)
        #expect(table["after"]?.position == TOMLPosition(line: 2, column: 9))
    }

    @Test func fiveMegabyteStringWithEscapes() throws {
        let table = try parse("big = \"" + String(repeating: #"\u00e9\t"#, count: 500_000) + "\"")
        #expect(table["big"]?.string == String(repeating: "é\t", count: 500_000))
    }

    @Test func veryLongKeys() throws {
        let bare = String(repeating: "k", count: 1_000_000)
        let table = try parse("\(bare) = 1\n\"\(bare)-quoted\" = 2\n[\(bare)-table]\nx = \"ü\"")
        #expect(table[bare]?.integer == 1)
        #expect(table["\(bare)-quoted"]?.integer == 2)
        #expect(table["\(bare)-table"]?.table?["x"]?.string == "ü")
        #expect(table.keys.map(\.count) == [1_000_000, 1_000_007, 1_000_006])
        // A key in an error is cut in its middle (MessageText.maxQuoted).
        #expect(parseError("\(bare) = 1\n[\(bare)]") == "2:2: '" + String(repeating: "k", count: 32)
            + "…(1000000 characters)…" + String(repeating: "k", count: 16) + "' is already defined at 1:1 as an integer")
    }

    @Test func veryLongNumberIsQuotedShortly() throws {
        let error = try #require(parseError("a = " + String(repeating: "1", count: 100_000)))
        #expect(error == "1:5: integer '" + String(repeating: "1", count: 40) + "…' does not fit in 64 bits")
    }

    @Test func manyKeysAndTables() throws {
        var document = ""
        for i in 0..<20_000 { document += "[[t]]\nk\(i) = \(i)\n" }
        let table = try parse(document)
        #expect(table["t"]?.array?.count == 20_000)
        #expect(table["t"]?.array?.last?.table?["k19999"]?.position == TOMLPosition(line: 40_000, column: 10))
        let wide = "a = [" + (0..<100_000).map(String.init).joined(separator: ",") + "]"
        #expect(try parse(wide)["a"]?.array?.last?.integer == 99_999)
    }

    static let controlCharacters: [UInt8] = Array(0x00...0x08) + Array(0x0B...0x0C) + Array(0x0E...0x1F) + [0x7F]

    @Test(arguments: controlCharacters)
    func controlCharactersAreRejectedEverywhere(_ byte: UInt8) {
        let char = String(UnicodeScalar(byte))
        let name = "control character U+00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        #expect(parseError("a = \"x\(char)\"") == "1:7: \(name) is not allowed in a string")
        #expect(parseError("a = 'x\(char)'") == "1:7: \(name) is not allowed in a string")
        #expect(parseError("a = \"\"\"\n\(char)\"\"\"") == "2:1: \(name) is not allowed in a string")
        #expect(parseError("a = '''x\(char)'''") == "1:9: \(name) is not allowed in a string")
        #expect(parseError("# \(char)") == "1:3: \(name) is not allowed in a comment")
        #expect(parseError("\(char)a = 1") == "1:1: expected a key, found \(name)")
        #expect(parseError("a = \(char)") == "1:5: expected a value, found \(name)")
        #expect(parseError("\"k\(char)\" = 1") == "1:3: \(name) is not allowed in a string")
    }

    @Test func nulCharacters() throws {
        #expect(parseError("\u{0}") == "1:1: expected a key, found control character U+0000")
        #expect(parseError("a = 1\u{0}") == "1:6: expected a newline after the value, found control character U+0000")
        #expect(parseError("[a\u{0}]") == "1:3: expected ']' to close the table header, found control character U+0000")
        #expect(try parse(#"a = "\u0000""#)["a"]?.string == "\u{0}")
    }

    /// Valid documents cut short at every Unicode scalar must give an error with a sane position, never a crash.
    @Test func everyTruncationFailsCleanly() {
        let documents = [
            #"""
            # comment
            title = "TOML \"Example\" \u00E9"
            [owner.name]
            first = 'Tom' # c
            nums = [ 1, -2_0, 0x1F, 0o7, 0b1, 3.5e-2, inf, -nan, true ]
            inline = { a = { b = [ {}, { c = """x
            y""" } ] }, d.e = '''z''' }
            [[products]]
            sku = 738594937
            "key with spaces" = "\U0001F600"
            """#,
        ]
        for document in documents {
            let scalars = Array(document.unicodeScalars)
            let lines = document.split(separator: "\n", omittingEmptySubsequences: false).count
            for end in 0..<scalars.count {
                var prefix = ""
                prefix.unicodeScalars.append(contentsOf: scalars[..<end])
                do {
                    _ = try parse(prefix)
                } catch {
                    #expect(error.line >= 1 && error.line <= lines && error.column >= 1, "\(error)")
                    #expect(!error.message.isEmpty)
                }
            }
            #expect(throws: Never.self) { try parse(document) }
        }
    }
}
