import Testing
import TOML

// MARK: - Settings types

private struct Inventory: Decodable, Equatable {
    struct Fetch: Decodable, Equatable {
        var timeout: Double
        var retries: Int
        var userAgent: String?

        enum CodingKeys: String, CodingKey {
            case timeout, retries
            case userAgent = "user_agent"
        }
    }

    struct Service: Decodable, Equatable {
        var name: String
        var aliases: [String]
        var port: UInt16
        var level: Level
        var weight: Float?
    }

    enum Level: String, Decodable, Equatable {
        case low, high
    }

    struct Owner: Decodable, Equatable {
        var email: String
    }

    var title: String
    var enabled: Bool
    var fetch: Fetch
    var service: [Service]
    var owners: [String: Owner]
    var limits: [String: Int]
    var matrix: [[Int8]]
    var note: String?
}

private let inventory = #"""
    title = "Inventory"
    enabled = true
    matrix = [[1, 2], [3], []]

    [fetch]
    timeout = 5          # an integer where a Double is wanted
    retries = 3

    [[service]]
    name = "web"
    aliases = ["www", "w"]
    port = 443
    level = "high"
    weight = 0.5

    [[service]]
    name = "api"
    aliases = []
    port = 8080
    level = "low"

    [owners.alice]
    email = "alice@example.com"

    [owners."bob smith"]
    email = "bob@example.com"

    [limits]
    cpu = 2
    memory = -1
    """#

/// The error that decoding `T` from `text` gives, as its full description, or nil if it decodes.
private func decodeError<T: Decodable>(_ type: T.Type, _ text: String, decoder: TOMLDecoder = TOMLDecoder()) -> String? {
    do {
        _ = try decoder.decode(type, from: text, file: "inventory.toml")
        return nil
    } catch {
        return "\(error)"
    }
}

@Suite struct DecoderTests {
    @Test func decodesNestedTablesArraysOfTablesDictionariesAndEnums() throws {
        let decoded = try TOMLDecoder().decode(Inventory.self, from: inventory, file: "inventory.toml")
        #expect(decoded == Inventory(
            title: "Inventory",
            enabled: true,
            fetch: .init(timeout: 5, retries: 3, userAgent: nil),
            service: [
                .init(name: "web", aliases: ["www", "w"], port: 443, level: .high, weight: 0.5),
                .init(name: "api", aliases: [], port: 8080, level: .low, weight: nil),
            ],
            owners: ["alice": .init(email: "alice@example.com"), "bob smith": .init(email: "bob@example.com")],
            limits: ["cpu": 2, "memory": -1],
            matrix: [[1, 2], [3], []],
            note: nil
        ))
    }

    @Test func unknownKeyIsAnErrorAtTheKey() {
        struct Service: Decodable { var name: String; var aliases: [String] }
        struct File: Decodable { var service: [Service] }
        let text = """
            [[service]]
            name = "web"
            aliases = ["www"]

            [[service]]
            name = "api"
            aliases = []




                aliasses = ["x"]
            """
        #expect(decodeError(File.self, text) == "inventory.toml:12:5: unknown key 'aliasses' in [[service]]")
    }

    @Test func unknownKeysNameTheirTable() {
        struct Fetch: Decodable { var retries: Int }
        struct Owner: Decodable { var email: String }
        struct File: Decodable { var fetch: Fetch?; var owners: [String: Owner]? }
        #expect(decodeError(File.self, "[fetch]\nretries = 1\nretires = 2") == "inventory.toml:3:1: unknown key 'retires' in [fetch]")
        #expect(decodeError(File.self, "[fetch]\nretries = 1\n[other]") == "inventory.toml:3:2: unknown key 'other' in the top level")
        #expect(decodeError(File.self, "owners.bob = { email = 'b', emial = 'c' }")
            == "inventory.toml:1:29: unknown key 'emial' in [owners.bob]")
        #expect(decodeError(File.self, "[owners.\"bob smith\"]\nemail = 'b'\nx.y = 1")
            == "inventory.toml:3:1: unknown key 'x' in [owners.\"bob smith\"]")
    }

    @Test func aTypeThatReadsNothingUsesNoKeys() throws {
        struct Empty: Decodable {}
        struct File: Decodable { var e: Empty }
        #expect(decodeError(File.self, "[e]\nx = 1") == "inventory.toml:2:1: unknown key 'x' in [e]")
        _ = try TOMLDecoder().decode(File.self, from: "[e]", file: "x")
    }

    @Test func unknownKeysCanBeAllowed() throws {
        struct Fetch: Decodable, Equatable { var retries: Int }
        struct File: Decodable, Equatable { var fetch: Fetch }
        var decoder = TOMLDecoder()
        #expect(decoder.allowsUnknownKeys == false)
        decoder.allowsUnknownKeys = true
        let file = try decoder.decode(File.self, from: "extra = 1\n[fetch]\nretries = 1\nretires = 2", file: "x.toml")
        #expect(file == File(fetch: .init(retries: 1)))
    }

    @Test func keysAskedForWithContainsAreKnown() throws {
        struct Flags: Decodable {
            var verbose: Bool
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                verbose = container.contains(.verbose)
            }
            enum CodingKeys: String, CodingKey { case verbose }
        }
        let flags = try TOMLDecoder().decode(Flags.self, from: "verbose = false", file: "x.toml")
        #expect(flags.verbose)
    }

    @Test func unknownKeysInNestedContainersAreFound() {
        struct Point: Decodable {
            var x: Int
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                let nested = try container.nestedContainer(keyedBy: CodingKeys.self, forKey: .point)
                x = try nested.decode(Int.self, forKey: .x)
            }
            enum CodingKeys: String, CodingKey { case point, x }
        }
        #expect(decodeError(Point.self, "point = { x = 1, y = 2 }") == "inventory.toml:1:18: unknown key 'y' in [point]")
    }

    @Test func typeMismatchNamesThePathAndPosition() {
        struct Service: Decodable { var name: String; var aliases: [String] }
        struct File: Decodable { var service: [Service] }
        let text = """
            [[service]]
            name = "web"
            aliases = []
            [[service]]
            name = "api"
            aliases = ["a", 2]
            """
        #expect(decodeError(File.self, text) == "inventory.toml:6:17: expected a string for 'service[1].aliases[1]', found an integer")
    }

    @Test func typeMismatches() {
        struct File: Decodable { var fetch: Fetch }
        struct Fetch: Decodable { var timeout: Double; var on: Bool? ; var tags: [String]? }
        #expect(decodeError(File.self, "fetch = 3") == "inventory.toml:1:9: expected a table for 'fetch', found an integer")
        #expect(decodeError(File.self, "fetch.timeout = '5'") == "inventory.toml:1:17: expected a number for 'fetch.timeout', found a string")
        #expect(decodeError(File.self, "fetch.timeout = 5\nfetch.on = 1") == "inventory.toml:2:12: expected a boolean for 'fetch.on', found an integer")
        #expect(decodeError(File.self, "fetch.timeout = 5\nfetch.tags = 'a'") == "inventory.toml:2:14: expected an array for 'fetch.tags', found a string")
        #expect(decodeError([String: Int].self, "a = 1.5") == "inventory.toml:1:5: expected an integer for 'a', found a float")
        #expect(decodeError([String: String].self, "a = { b = 1 }") == "inventory.toml:1:5: expected a string for 'a', found a table")
        #expect(decodeError([Int].self, "a = 1") == "inventory.toml:1:1: expected an array for the top level, found a table")
    }

    @Test func missingKeyPointsAtTheTableHeader() {
        struct Service: Decodable { var name: String; var port: Int }
        struct File: Decodable { var title: String; var service: [Service] }
        let text = """
            title = "x"

            [[service]]
            name = "web"
            port = 1

              [[service]]
            port = 2
            """
        #expect(decodeError(File.self, text) == "inventory.toml:7:3: missing key 'name' in [[service]]")
        #expect(decodeError(File.self, "") == "inventory.toml:1:1: missing key 'title' in the top level")
        #expect(decodeError([String: Service].self, "[svc]\nname = 'a'") == "inventory.toml:1:1: missing key 'port' in [svc]")
        #expect(decodeError([String: Service].self, "svc = { port = 1 }") == "inventory.toml:1:7: missing key 'name' in [svc]")
    }

    @Test func optionalKeys() throws {
        struct File: Decodable, Equatable { var name: String?; var port: Int?; var tags: [String]? }
        let decoder = TOMLDecoder()
        #expect(try decoder.decode(File.self, from: "", file: "x") == File(name: nil, port: nil, tags: nil))
        #expect(try decoder.decode(File.self, from: "port = 8\ntags = []", file: "x") == File(name: nil, port: 8, tags: []))
        #expect(decodeError(File.self, "port = 'eight'") == "inventory.toml:1:8: expected an integer for 'port', found a string")
    }

    @Test func integersAreRangeChecked() throws {
        struct Small: Decodable { var port: UInt16; var delta: Int8 }
        #expect(decodeError(Small.self, "port = 70000\ndelta = 1") == "inventory.toml:1:8: 70000 is out of range for 'port' (UInt16 allows 0...65535)")
        #expect(decodeError(Small.self, "port = -1\ndelta = 1") == "inventory.toml:1:8: -1 is out of range for 'port' (UInt16 allows 0...65535)")
        #expect(decodeError(Small.self, "port = 1\ndelta = -129") == "inventory.toml:2:9: -129 is out of range for 'delta' (Int8 allows -128...127)")
        struct Wide: Decodable, Equatable { var a: Int; var b: Int64; var c: UInt64; var d: UInt32; var e: Int16; var f: UInt; var g: Int32; var h: UInt8 }
        let wide = try TOMLDecoder().decode(Wide.self, from: "a = -1\nb = 9223372036854775807\nc = 0x7FFFFFFFFFFFFFFF\nd = 4294967295\ne = -32768\nf = 7\ng = -2147483648\nh = 255", file: "x")
        #expect(wide == Wide(a: -1, b: .max, c: UInt64(Int64.max), d: .max, e: .min, f: 7, g: .min, h: .max))
    }

    @Test func floats() throws {
        struct Numbers: Decodable, Equatable { var a: Double; var b: Float; var c: Double; var d: Float }
        let numbers = try TOMLDecoder().decode(Numbers.self, from: "a = 1.5\nb = 2\nc = -inf\nd = 0.25", file: "x")
        #expect(numbers == Numbers(a: 1.5, b: 2, c: -.infinity, d: 0.25))
        #expect(decodeError(Numbers.self, "a = 1\nb = 1e300\nc = 1\nd = 1") == "inventory.toml:2:5: 1e+300 is out of range for 'b' (Float allows -3.4028235e+38...3.4028235e+38)")
    }

    @Test func enumWithInvalidRawValue() {
        struct File: Decodable { var level: Inventory.Level }
        #expect(decodeError(File.self, "level = 3") == "inventory.toml:1:9: expected a string for 'level', found an integer")
        #expect(decodeError(File.self, "\n  level = \"medium\"") == "inventory.toml:2:11: Cannot initialize Level from invalid String value medium")
    }

    @Test func customDecodingErrorIsPlacedAtTheValue() {
        struct Risk: Decodable {
            var name: String
            var impact: Int
            enum CodingKeys: String, CodingKey { case name, impact }
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                name = try container.decode(String.self, forKey: .name)
                impact = try container.decode(Int.self, forKey: .impact)
                guard (1...5).contains(impact) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .impact, in: container, debugDescription: "'impact' must be between 1 and 5, found \(impact)")
                }
            }
        }
        struct File: Decodable { var risk: [Risk] }
        let text = """
            [[risk]]
            name = "a"
            impact = 2

            [[risk]]
            name = "b"
            impact = 9
            """
        #expect(decodeError(File.self, text) == "inventory.toml:7:10: 'impact' must be between 1 and 5, found 9")
    }

    @Test func customDecodingErrorsOfOtherKinds() {
        struct Odd: Decodable {
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                let list = try container.nestedUnkeyedContainer(forKey: .list)
                throw DecodingError.typeMismatch(Int.self, .init(codingPath: list.codingPath + [CodingKeys.x], debugDescription: "odd list"))
            }
            enum CodingKeys: String, CodingKey { case list, x }
        }
        // The path names a key that does not exist, so the error is placed at the deepest value that does.
        #expect(decodeError(Odd.self, "list = [1, 2]") == "inventory.toml:1:8: odd list")
    }

    @Test func otherErrorsPropagateUnchanged() {
        struct Boom: Error, Equatable {}
        struct Exploding: Decodable {
            init(from decoder: any Decoder) throws { throw Boom() }
        }
        #expect(throws: Boom()) {
            try TOMLDecoder().decode(Exploding.self, from: "a = 1", file: "x")
        }
    }

    @Test func syntaxErrorsComeThroughTheDecoder() {
        struct File: Decodable { var a: Int }
        #expect(throws: TOMLError(file: "Config/inventory.toml", line: 1, column: 5,
                                  message: "invalid date or time '2024-02-30': day 30 is not in month 2 of 2024")) {
            try TOMLDecoder().decode(File.self, from: "a = 2024-02-30", file: "Config/inventory.toml")
        }
    }

    @Test func singleValueAndUnkeyedContainers() throws {
        struct Port: Decodable, Equatable {
            var value: UInt16
            init(value: UInt16) { self.value = value }
            init(from decoder: any Decoder) throws { value = try decoder.singleValueContainer().decode(UInt16.self) }
        }
        struct Point: Decodable, Equatable {
            var x: Int, y: Int
            init(x: Int, y: Int) { self.x = x; self.y = y }
            init(from decoder: any Decoder) throws {
                var container = try decoder.unkeyedContainer()
                x = try container.decode(Int.self)
                y = try container.decode(Int.self)
            }
        }
        struct File: Decodable, Equatable { var port: Port; var point: Point }
        let file = try TOMLDecoder().decode(File.self, from: "port = 80\npoint = [1, 2]", file: "x")
        #expect(file == File(port: Port(value: 80), point: Point(x: 1, y: 2)))
        #expect(decodeError(File.self, "port = 80\npoint = [1]") == "inventory.toml:2:9: expected more than 1 elements in 'point'")
        #expect(decodeError(File.self, "port = 80000\npoint = [1, 2]") == "inventory.toml:1:8: 80000 is out of range for 'port' (UInt16 allows 0...65535)")
    }

    @Test func aTypeDecodedThroughASingleValueContainerSharesKeyUsage() throws {
        struct Base: Decodable { var name: String }
        struct Wrapper: Decodable {
            var base: Base
            var port: Int
            enum CodingKeys: String, CodingKey { case port }
            init(from decoder: any Decoder) throws {
                base = try decoder.singleValueContainer().decode(Base.self)
                port = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .port)
            }
        }
        let wrapper = try TOMLDecoder().decode(Wrapper.self, from: "name = 'a'\nport = 1", file: "x")
        #expect(wrapper.base.name == "a" && wrapper.port == 1)
        #expect(decodeError(Wrapper.self, "name = 'a'\nport = 1\nextra = 2") == "inventory.toml:3:1: unknown key 'extra' in the top level")
    }

    @Test func decodesFromAParsedTable() throws {
        struct File: Decodable { var a: Int }
        let table = try TOMLParser.parse("a = 1\nb = 2", file: "x.toml")
        #expect(throws: TOMLError(file: "x.toml", line: 2, column: 1, message: "unknown key 'b' in the top level")) {
            try TOMLDecoder().decode(File.self, from: table, file: "x.toml")
        }
    }
}
