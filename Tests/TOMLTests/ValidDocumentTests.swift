import Testing
import TOML

/// Valid documents, mostly the TOML 1.0 specification's own examples, checked value by value.
/// Tables are compared through `description`, which spells out every key and value.
@Suite struct ValidDocumentTests {
    @Test func emptyDocument() throws {
        #expect(try parse("").isEmpty)
        #expect(try parse("\n\n  # only a comment\n\t\n").isEmpty)
    }

    @Test func comments() throws {
        let table = try parse(#"""
            # This is a full-line comment
            key = "value"  # This is a comment at the end of a line
            another = "# This is not a comment"
            """#)
        #expect(table.description == ##"{ key = "value", another = "# This is not a comment" }"##)
    }

    @Test func bareAndQuotedKeys() throws {
        let table = try parse(#"""
            key = "value"
            bare_key = "value"
            bare-key = "value"
            1234 = "value"
            "127.0.0.1" = "value"
            "character encoding" = "value"
            "ʎǝʞ" = "value"
            'key2' = "value"
            'quoted "value"' = "value"
            "" = "blank"
            "tab\tkey" = 1
            """#)
        #expect(table.keys == [
            "key", "bare_key", "bare-key", "1234", "127.0.0.1", "character encoding",
            "ʎǝʞ", "key2", #"quoted "value""#, "", "tab\tkey",
        ])
        #expect(table["ʎǝʞ"]?.string == "value")
        #expect(table[""]?.string == "blank")
        #expect(table["tab\tkey"]?.integer == 1)
    }

    @Test func dottedKeys() throws {
        let table = try parse(#"""
            name = "Orange"
            physical.color = "orange"
            physical.shape = "round"
            site."google.com" = true
            fruit.name = "banana"     # this is best practice
            fruit. color = "yellow"    # same as fruit.color
            fruit . flavor = "banana"   # same as fruit.flavor
            3.14159 = "pi"
            """#)
        #expect(table.description == #"""
            { name = "Orange", physical = { color = "orange", shape = "round" }, \#
            site = { "google.com" = true }, fruit = { name = "banana", color = "yellow", flavor = "banana" }, \#
            3 = { 14159 = "pi" } }
            """#)
    }

    @Test func dottedKeysOutOfOrderAndNested() throws {
        let table = try parse("""
            apple.type = "fruit"
            orange.type = "fruit"
            apple.skin = "thin"
            orange.skin = "thick"
            apple.color = "red"
            orange.color = "orange"
            fruit.apple.smooth = true
            fruit.orange = 2
            """)
        #expect(table.description == #"""
            { apple = { type = "fruit", skin = "thin", color = "red" }, \#
            orange = { type = "fruit", skin = "thick", color = "orange" }, \#
            fruit = { apple = { smooth = true }, orange = 2 } }
            """#)
    }

    @Test func basicStrings() throws {
        let table = try parse(#"""
            str = "I'm a string. \"You can quote me\". Name\tJos\u00E9\nLocation\tSF."
            escapes = "\b\t\n\f\r\"\\\u00E9\U0001F600"
            nul = "a\u0000b"
            tab = "a	b"
            unicode = "日本語 ✓"
            empty = ""
            """#)
        #expect(table["str"]?.string == "I'm a string. \"You can quote me\". Name\tJos\u{E9}\nLocation\tSF.")
        #expect(table["escapes"]?.string == "\u{8}\t\n\u{C}\r\"\\\u{E9}\u{1F600}")
        #expect(table["nul"]?.string == "a\u{0}b")
        #expect(table["tab"]?.string == "a\tb")
        #expect(table["unicode"]?.string == "日本語 ✓")
        #expect(table["empty"]?.string == "")
    }

    @Test func multiLineBasicStrings() throws {
        let table = try parse(#"""
            roses = """
            Roses are red
            Violets are blue"""

            str1 = "The quick brown fox jumps over the lazy dog."

            str2 = """
            The quick brown \


              fox jumps over \
                the lazy dog."""

            str3 = """\
                   The quick brown \
                   fox jumps over \
                   the lazy dog.\
                   """
            trailing_space = """a \  
              b"""
            str4 = """Here are two quotation marks: "". Simple enough."""
            str5 = """Here are three quotation marks: ""\"."""
            str6 = """Here are fifteen quotation marks: ""\"""\"""\"""\"""\"."""
            str7 = """"This," she said, "is just a pointless statement.""""
            empty = """"""
            """#)
        #expect(table["roses"]?.string == "Roses are red\nViolets are blue")
        let fox = "The quick brown fox jumps over the lazy dog."
        #expect(table["str1"]?.string == fox)
        #expect(table["str2"]?.string == fox)
        #expect(table["str3"]?.string == fox)
        #expect(table["trailing_space"]?.string == "a b")
        #expect(table["str4"]?.string == #"Here are two quotation marks: "". Simple enough."#)
        #expect(table["str5"]?.string == #"Here are three quotation marks: """."#)
        #expect(table["str6"]?.string == "Here are fifteen quotation marks: " + String(repeating: "\"", count: 15) + ".")
        #expect(table["str7"]?.string == #""This," she said, "is just a pointless statement.""#)
        #expect(table["empty"]?.string == "")
    }

    @Test func literalStrings() throws {
        let table = try parse(#"""
            winpath  = 'C:\Users\nodejs\templates'
            winpath2 = '\\ServerX\admin$\system32\'
            quoted   = 'Tom "Dubs" Preston-Werner'
            regex    = '<\i\c*\s*>'
            regex2 = '''I [dw]on't need \d{2} apples'''
            lines  = '''
            The first newline is
            trimmed in raw strings.
               All other whitespace
               is preserved.
            '''
            quot15 = '''Here are fifteen quotation marks: """""""""""""""'''
            apos15 = "Here are fifteen apostrophes: '''''''''''''''"
            str = ''''That,' she said, 'She said it.''''
            empty = ''
            empty_multi = ''''''
            """#)
        #expect(table["winpath"]?.string == #"C:\Users\nodejs\templates"#)
        #expect(table["winpath2"]?.string == #"\\ServerX\admin$\system32\"#)
        #expect(table["quoted"]?.string == #"Tom "Dubs" Preston-Werner"#)
        #expect(table["regex"]?.string == #"<\i\c*\s*>"#)
        #expect(table["regex2"]?.string == #"I [dw]on't need \d{2} apples"#)
        #expect(table["lines"]?.string == "The first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n")
        #expect(table["quot15"]?.string == "Here are fifteen quotation marks: " + String(repeating: "\"", count: 15))
        #expect(table["apos15"]?.string == "Here are fifteen apostrophes: '''''''''''''''")
        #expect(table["str"]?.string == "'That,' she said, 'She said it.'")
        #expect(table["empty"]?.string == "")
        #expect(table["empty_multi"]?.string == "")
    }

    @Test func windowsLineEndings() throws {
        let table = try parse("a = 1\r\n# comment\r\nb = \"\"\"\r\nx\r\ny\"\"\"\r\n[t]\r\nc = [\r\n  1,\r\n]\r\n")
        #expect(table.description == #"{ a = 1, b = "x\r\ny", t = { c = [1] } }"#)
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let table = try parse("\u{FEFF}a = 1")
        #expect(table["a"]?.integer == 1)
        #expect(table.entry("a")?.keyPosition == TOMLPosition(line: 1, column: 1))
    }

    @Test func integers() throws {
        let table = try parse("""
            int1 = +99
            int2 = 42
            int3 = 0
            int4 = -17
            int5 = 1_000
            int6 = 5_349_221
            int7 = 53_49_221
            int8 = 1_2_3_4_5
            hex1 = 0xDEADBEEF
            hex2 = 0xdeadbeef
            hex3 = 0xdead_beef
            hex4 = 0x00_ff
            oct1 = 0o01234567
            oct2 = 0o755
            bin1 = 0b11010110
            max = 9_223_372_036_854_775_807
            min = -9_223_372_036_854_775_808
            hexmax = 0x7FFFFFFFFFFFFFFF
            plus0 = +0
            minus0 = -0
            """)
        #expect(table.description == """
            { int1 = 99, int2 = 42, int3 = 0, int4 = -17, int5 = 1000, int6 = 5349221, int7 = 5349221, \
            int8 = 12345, hex1 = 3735928559, hex2 = 3735928559, hex3 = 3735928559, hex4 = 255, \
            oct1 = 342391, oct2 = 493, bin1 = 214, max = 9223372036854775807, min = -9223372036854775808, \
            hexmax = 9223372036854775807, plus0 = 0, minus0 = 0 }
            """)
        #expect(table["max"]?.integer == Int64.max)
        #expect(table["min"]?.integer == Int64.min)
    }

    @Test func floats() throws {
        let table = try parse("""
            flt1 = +1.0
            flt2 = 3.1415
            flt3 = -0.01
            flt4 = 5e+22
            flt5 = 1e06
            flt6 = -2E-2
            flt7 = 6.626e-34
            flt8 = 224_617.445_991_228
            flt9 = 0e0
            flt10 = 1e1_0
            sf1 = inf
            sf2 = +inf
            sf3 = -inf
            sf4 = nan
            sf5 = +nan
            sf6 = -nan
            zero = -0.0
            """)
        #expect(table["flt1"]?.float == 1.0)
        #expect(table["flt2"]?.float == 3.1415)
        #expect(table["flt3"]?.float == -0.01)
        #expect(table["flt4"]?.float == 5e22)
        #expect(table["flt5"]?.float == 1e6)
        #expect(table["flt6"]?.float == -2e-2)
        #expect(table["flt7"]?.float == 6.626e-34)
        #expect(table["flt8"]?.float == 224_617.445_991_228)
        #expect(table["flt9"]?.float == 0)
        #expect(table["flt10"]?.float == 1e10)
        #expect(table["sf1"]?.float == .infinity)
        #expect(table["sf2"]?.float == .infinity)
        #expect(table["sf3"]?.float == -.infinity)
        #expect(table["sf4"]?.float?.isNaN == true)
        #expect(table["sf5"]?.float?.isNaN == true)
        #expect(table["sf6"]?.float?.isNaN == true)
        #expect(table["sf6"]?.float?.sign == .minus)
        #expect(table["zero"]?.float == 0)
        #expect(table["zero"]?.float?.sign == .minus)
        #expect(table["flt1"]?.integer == nil)
    }

    @Test func booleans() throws {
        let table = try parse("bool1 = true\nbool2 = false")
        #expect(table["bool1"]?.boolean == true)
        #expect(table["bool2"]?.boolean == false)
        #expect(table.description == "{ bool1 = true, bool2 = false }")
    }

    @Test func arrays() throws {
        let table = try parse(#"""
            integers = [ 1, 2, 3 ]
            colors = [ "red", "yellow", "green" ]
            nested_arrays_of_ints = [ [ 1, 2 ], [3, 4, 5] ]
            nested_mixed_array = [ [ 1, 2 ], ["a", "b", "c"] ]
            string_array = [ "all", 'strings', """are the same""", '''type''' ]
            numbers = [ 0.1, 0.2, 0.5, 1, 2, 5 ]
            contributors = [
              "Foo Bar <foo@example.com>",
              { name = "Baz Qux", email = "bazqux@example.com", url = "https://example.com/bazqux" }
            ]
            integers2 = [
              1, 2, 3
            ]
            integers3 = [
              1,
              2, # this is ok
            ]
            empty = []
            empty2 = [ # comment
            ]
            """#)
        #expect(table.description == #"""
            { integers = [1, 2, 3], colors = ["red", "yellow", "green"], \#
            nested_arrays_of_ints = [[1, 2], [3, 4, 5]], nested_mixed_array = [[1, 2], ["a", "b", "c"]], \#
            string_array = ["all", "strings", "are the same", "type"], numbers = [0.1, 0.2, 0.5, 1, 2, 5], \#
            contributors = ["Foo Bar <foo@example.com>", \#
            { name = "Baz Qux", email = "bazqux@example.com", url = "https://example.com/bazqux" }], \#
            integers2 = [1, 2, 3], integers3 = [1, 2], empty = [], empty2 = [] }
            """#)
        #expect(table["numbers"]?.array?[3].integer == 1)
        #expect(table["numbers"]?.array?[0].float == 0.1)
    }

    @Test func tables() throws {
        let table = try parse(#"""
            [table-1]
            key1 = "some string"
            key2 = 123

            [table-2]
            key1 = "another string"
            key2 = 456

            [dog."tater.man"]
            type.name = "pug"

            [a.b.c]            # this is best practice
            [ d.e.f ]          # same as [d.e.f]
            [ g .  h  . i ]    # same as [g.h.i]
            [ j . "ʞ" . 'l' ]  # same as [j."ʞ".'l']
            """#)
        #expect(table.description == #"""
            { table-1 = { key1 = "some string", key2 = 123 }, table-2 = { key1 = "another string", key2 = 456 }, \#
            dog = { "tater.man" = { type = { name = "pug" } } }, a = { b = { c = {} } }, d = { e = { f = {} } }, \#
            g = { h = { i = {} } }, j = { "ʞ" = { l = {} } } }
            """#)
    }

    @Test func superTablesAndTopLevelKeys() throws {
        let table = try parse("""
            name = "Fido"
            breed = "pug"

            # [x] you
            # [x.y] don't
            # [x.y.z] need these
            [x.y.z.w] # for this to work

            [x] # defining a super-table afterward is ok
            k = 1

            [owner]
            name = "Regina Dogman"
            """)
        #expect(table.description == #"""
            { name = "Fido", breed = "pug", x = { y = { z = { w = {} } }, k = 1 }, owner = { name = "Regina Dogman" } }
            """#)
    }

    @Test func dottedKeysInTablesAndSubTables() throws {
        let table = try parse("""
            [fruit]
            apple.color = "red"
            apple.taste.sweet = true

            [fruit.apple.texture]  # you can add sub-tables
            smooth = true

            [fruit.banana]
            [animal]
            [fruit.orange]
            """)
        #expect(table.description == #"""
            { fruit = { apple = { color = "red", taste = { sweet = true }, texture = { smooth = true } }, \#
            banana = {}, orange = {} }, animal = {} }
            """#)
    }

    @Test func dottedKeysMayExtendATableOnlyNamedByAHeader() throws {
        let table = try parse("""
            [a.b.c]
            z = 1
            [a]
            b.d = 2
            """)
        #expect(table.description == "{ a = { b = { c = { z = 1 }, d = 2 } } }")
    }

    @Test func inlineTables() throws {
        let table = try parse(#"""
            name = { first = "Tom", last = "Preston-Werner" }
            point = { x = 1, y = 2 }
            animal = { type.name = "pug" }
            empty = {}
            spaced = {   }
            nested = { a = { b = [1, { c = 2 }] }, a2.b.c = 3, a2.b.d = 4 }
            multi = { list = [
              1,
              2,
            ] }
            """#)
        #expect(table.description == #"""
            { name = { first = "Tom", last = "Preston-Werner" }, point = { x = 1, y = 2 }, \#
            animal = { type = { name = "pug" } }, empty = {}, spaced = {}, \#
            nested = { a = { b = [1, { c = 2 }] }, a2 = { b = { c = 3, d = 4 } } }, multi = { list = [1, 2] } }
            """#)
    }

    @Test func arraysOfTables() throws {
        let table = try parse("""
            [[products]]
            name = "Hammer"
            sku = 738594937

            [[products]]  # empty table within the array

            [[products]]
            name = "Nail"
            sku = 284758393

            color = "gray"
            """)
        #expect(table.description == #"""
            { products = [{ name = "Hammer", sku = 738594937 }, {}, { name = "Nail", sku = 284758393, color = "gray" }] }
            """#)
    }

    @Test func nestedArraysOfTables() throws {
        let table = try parse("""
            [[fruits]]
            name = "apple"

            [fruits.physical]  # subtable
            color = "red"
            shape = "round"

            [[fruits.varieties]]  # nested array of tables
            name = "red delicious"

            [[fruits.varieties]]
            name = "granny smith"


            [[fruits]]
            name = "banana"

            [[fruits.varieties]]
            name = "plantain"

            [[fruits.physical.sizes]]
            cm = 20
            """)
        #expect(table.description == #"""
            { fruits = [{ name = "apple", physical = { color = "red", shape = "round" }, \#
            varieties = [{ name = "red delicious" }, { name = "granny smith" }] }, \#
            { name = "banana", varieties = [{ name = "plantain" }], physical = { sizes = [{ cm = 20 }] } }] }
            """#)
    }

    @Test func inlineArrayOfTables() throws {
        let table = try parse("""
            points = [ { x = 1, y = 2, z = 3 },
                       { x = 7, y = 8, z = 9 },
                       { x = 2, y = 4, z = 8 } ]
            """)
        #expect(table.description == """
            { points = [{ x = 1, y = 2, z = 3 }, { x = 7, y = 8, z = 9 }, { x = 2, y = 4, z = 8 }] }
            """)
    }

    @Test func keysKeepSourceOrder() throws {
        let table = try parse("zeta = 1\nalpha = 2\n[mid]\n[beta]\ngamma.z = 1\ngamma.a = 2")
        #expect(table.keys == ["zeta", "alpha", "mid", "beta"])
        #expect(table["beta"]?.table?["gamma"]?.table?.keys == ["z", "a"])
    }

    @Test func positions() throws {
        let table = try parse(#"""
            title = "x"
            [server]
              host = "é"
              port = 80
            [[service]]
            name = "a"
            s = """
            one
            two"""
            t = ["日本", 2, { k = 3 }]
            """#)
        func at(_ line: Int, _ column: Int) -> TOMLPosition { TOMLPosition(line: line, column: column) }
        #expect(table.entry("title")?.keyPosition == at(1, 1))
        #expect(table["title"]?.position == at(1, 9))
        #expect(table.entry("server")?.keyPosition == at(2, 2))
        #expect(table["server"]?.position == at(2, 1))
        let server = try #require(table["server"]?.table)
        #expect(server.entry("host")?.keyPosition == at(3, 3))
        #expect(server["host"]?.position == at(3, 10))
        #expect(server["port"]?.position == at(4, 10))
        #expect(table.entry("service")?.keyPosition == at(5, 3))
        #expect(table["service"]?.position == at(5, 1))
        let service = try #require(table["service"]?.array?.first?.table)
        #expect(table["service"]?.array?.first?.position == at(5, 1))
        #expect(service["name"]?.position == at(6, 8))
        #expect(service["s"]?.position == at(7, 5))
        #expect(service.entry("t")?.keyPosition == at(10, 1))
        let t = try #require(service["t"]?.array)
        #expect(t.map(\.position) == [at(10, 6), at(10, 12), at(10, 15)])
        #expect(t[2].table?["k"]?.position == at(10, 21))
    }

    @Test func implicitAndDottedTablePositions() throws {
        let table = try parse("[a.b]\nx.y = 1")
        let a = try #require(table["a"])
        #expect(a.position == TOMLPosition(line: 1, column: 2))
        #expect(a.table?["b"]?.position == TOMLPosition(line: 1, column: 1))
        #expect(a.table?["b"]?.table?["x"]?.position == TOMLPosition(line: 2, column: 1))
    }

    @Test func descriptionQuotesKeysAndStrings() throws {
        let table = try parse(#"""
            "a b" = "say \"hi\"\n\u0001\u007F"
            """#)
        #expect(table.description == #"{ "a b" = "say \"hi\"\n\u0001\u007F" }"#)
    }
}
