/// Decodes `Decodable` types from TOML, with errors that point into the source.
///
/// - Tables decode as structs or `[String: T]`, arrays as arrays, and a missing key as `nil`
///   for optionals. An integer is accepted where a `Double` or `Float` is wanted.
/// - Keys that a decoded type never asks for are errors, unless ``allowsUnknownKeys`` is set.
/// - Every error is a ``TOMLError``; a `DecodingError` thrown by a type's own `init(from:)`
///   becomes one at the position of the value it names, with its debug description as message.
public struct TOMLDecoder: Sendable {
    /// Whether keys that no decoded type asks for are let through. Off by default.
    public var allowsUnknownKeys = false
    /// Handed to every decoded type's `init(from:)` as `decoder.userInfo` (what a type
    /// needs to check a value: the directory relative paths are in, say).
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init() {}

    /// Parses `text` and decodes a `T` from it; `file` names the source in errors.
    public func decode<T: Decodable>(_ type: T.Type, from text: String, file: String) throws -> T {
        try decode(type, from: TOMLParser.parse(text, file: file), file: file)
    }

    /// Decodes a `T` from an already parsed document; `file` names the source in errors.
    public func decode<T: Decodable>(_ type: T.Type, from table: TOMLTable, file: String) throws -> T {
        let root = TOMLValue(.table(table), at: TOMLPosition(line: 1, column: 1))
        let context = DecodingContext(file: file, allowsUnknownKeys: allowsUnknownKeys, userInfo: userInfo)
        do {
            return try context.decode(type, from: root, at: [])
        } catch let error as DecodingError {
            throw context.translate(error, root: root)
        }
    }
}

// MARK: - Decoding values

/// The settings of one decoding, and the conversions from TOML values to Swift values.
private struct DecodingContext {
    let file: String
    let allowsUnknownKeys: Bool
    let userInfo: [CodingUserInfoKey: any Sendable]

    /// Decodes a `T` from `value`. With no `usage` given, the keys `T` leaves unused are
    /// checked when it is done; with one, that is left to whoever owns `usage`.
    func decode<T: Decodable>(_ type: T.Type, from value: TOMLValue, at path: [any CodingKey], usage: KeyUsage? = nil) throws -> T {
        if T.self == String.self {
            guard case .string(let string) = value.kind else { throw mismatch("a string", value, path) }
            return string as! T
        }
        if T.self == Bool.self {
            guard case .boolean(let bool) = value.kind else { throw mismatch("a boolean", value, path) }
            return bool as! T
        }
        if T.self == Double.self {
            return try number(value, path) as! T
        }
        if T.self == Float.self {
            let number = try number(value, path)
            guard !number.isFinite || Float(number).isFinite else {
                let limit = Float.greatestFiniteMagnitude
                throw error("\(number) is out of range for \(describe(path)) (Float allows -\(limit)...\(limit))", at: value.position)
            }
            return Float(number) as! T
        }
        if let integerType = T.self as? any FixedWidthInteger.Type {
            return try integer(integerType, value, path) as! T
        }
        let decoder = ValueDecoder(value: value, codingPath: path, context: self, usage: usage ?? KeyUsage())
        let result = try T(from: decoder)
        if usage == nil && !allowsUnknownKeys {
            if case .table(let table) = value.kind {
                _ = decoder.usage.record(for: table, at: path)  // a type that never looked used no keys
            }
            try decoder.usage.checkUnknownKeys(self)
        }
        return result
    }

    func number(_ value: TOMLValue, _ path: [any CodingKey]) throws -> Double {
        switch value.kind {
        case .float(let number): return number
        case .integer(let number): return Double(number)
        default: throw mismatch("a number", value, path)
        }
    }

    func integer<I: FixedWidthInteger>(_: I.Type, _ value: TOMLValue, _ path: [any CodingKey]) throws -> I {
        guard case .integer(let number) = value.kind else { throw mismatch("an integer", value, path) }
        guard let result = I(exactly: number) else {
            throw error("\(number) is out of range for \(describe(path)) (\(I.self) allows \(I.min)...\(I.max))", at: value.position)
        }
        return result
    }

    // MARK: Errors

    func error(_ message: String, at position: TOMLPosition) -> TOMLError {
        TOMLError(file: file, position: position, message: message)
    }

    func mismatch(_ expected: String, _ value: TOMLValue, _ path: [any CodingKey]) -> TOMLError {
        error("expected \(expected) for \(describe(path)), found \(value.typeDescription)", at: value.position)
    }

    /// A `DecodingError` from a type's own `init(from:)`, placed at the value its coding path names.
    func translate(_ error: DecodingError, root: TOMLValue) -> TOMLError {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context),
             .valueNotFound(_, let context), .keyNotFound(_, let context):
            return self.error(context.debugDescription, at: position(of: context.codingPath, in: root))
        @unknown default:
            return self.error("\(error)", at: root.position)
        }
    }

    /// The position of the value at `path`, or of the deepest value on the way that exists.
    func position(of path: [any CodingKey], in root: TOMLValue) -> TOMLPosition {
        var value = root
        for key in path {
            switch value.kind {
            case .table(let table):
                guard let next = table[key.stringValue] else { return value.position }
                value = next
            case .array(let elements):
                guard let index = key.intValue, elements.indices.contains(index) else { return value.position }
                value = elements[index]
            default:
                return value.position
            }
        }
        return value.position
    }
}

/// A coding path for messages: `'service[2].aliases[1]'`, or `the top level`.
private func describe(_ path: [any CodingKey]) -> String {
    guard !path.isEmpty else { return "the top level" }
    var text = ""
    for key in path {
        if let key = key as? IndexKey {
            text += "[\(key.index)]"
        } else {
            text += (text.isEmpty ? "" : ".") + tomlKey(key.stringValue)
        }
    }
    return "'\(text)'"
}

/// The table at a coding path as TOML would name it: `[fetch]`, `[[service]]` or `the top level`.
private func tableName(_ path: [any CodingKey]) -> String {
    guard !path.isEmpty else { return "the top level" }
    let name = path.filter { !($0 is IndexKey) }.map { tomlKey($0.stringValue) }.joined(separator: ".")
    return path.last is IndexKey ? "[[\(name)]]" : "[\(name)]"
}

/// The coding key of an array element.
private struct IndexKey: CodingKey {
    let index: Int
    var intValue: Int? { index }
    var stringValue: String { "Index \(index)" }
    init(_ index: Int) { self.index = index }
    init?(intValue: Int) { self.index = intValue }
    init?(stringValue: String) { nil }
}

/// A coding key for a table key the decoder itself names, such as `super`.
private struct NameKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

// MARK: - Unknown keys

/// The keys asked for in the tables opened while one value is decoded.
private final class KeyUsage {
    final class Table {
        let table: TOMLTable
        let path: [any CodingKey]
        var asked: Set<String> = []

        init(_ table: TOMLTable, path: [any CodingKey]) {
            self.table = table
            self.path = path
        }
    }

    private var tables: [Table] = []

    /// The record for `table`, the same one each time the table is opened.
    func record(for table: TOMLTable, at path: [any CodingKey]) -> Table {
        if let record = tables.first(where: { $0.path.elementsEqual(path, by: sameKey) }) { return record }
        let record = Table(table, path: path)
        tables.append(record)
        return record
    }

    private func sameKey(_ a: any CodingKey, _ b: any CodingKey) -> Bool {
        a.stringValue == b.stringValue && (a is IndexKey) == (b is IndexKey)
    }

    /// Throws at the first key that was never asked for, if any.
    func checkUnknownKeys(_ context: DecodingContext) throws {
        for record in tables {
            for entry in record.table.entries where !record.asked.contains(entry.key) {
                throw context.error("unknown key '\(entry.key)' in \(tableName(record.path))", at: entry.keyPosition)
            }
        }
    }
}

// MARK: - Decoder and containers

private final class ValueDecoder: Decoder {
    let value: TOMLValue
    let codingPath: [any CodingKey]
    let context: DecodingContext
    let usage: KeyUsage
    var userInfo: [CodingUserInfoKey: Any] { context.userInfo }

    init(value: TOMLValue, codingPath: [any CodingKey], context: DecodingContext, usage: KeyUsage) {
        self.value = value
        self.codingPath = codingPath
        self.context = context
        self.usage = usage
    }

    /// A decoder for a value inside this one, whose tables count as used by this one's type.
    func nested(_ value: TOMLValue, key: any CodingKey) -> ValueDecoder {
        ValueDecoder(value: value, codingPath: codingPath + [key], context: context, usage: usage)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .table(let table) = value.kind else { throw context.mismatch("a table", value, codingPath) }
        return KeyedDecodingContainer(TableContainer(table: table, decoder: self, record: usage.record(for: table, at: codingPath)))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value.kind else { throw context.mismatch("an array", value, codingPath) }
        return ArrayContainer(elements: elements, decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(decoder: self)
    }
}

private struct TableContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let table: TOMLTable
    let decoder: ValueDecoder
    let record: KeyUsage.Table

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { table.entries.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool {
        record.asked.insert(key.stringValue)
        return table[key.stringValue] != nil
    }

    /// The value at `key`, which counts as asked for; missing is an error at the table.
    func value(_ key: any CodingKey) throws -> TOMLValue {
        record.asked.insert(key.stringValue)
        guard let value = table[key.stringValue] else {
            throw decoder.context.error("missing key '\(key.stringValue)' in \(tableName(codingPath))", at: decoder.value.position)
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        _ = try value(key)
        return false  // TOML has no null
    }

    func decodeValue<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try decoder.context.decode(type, from: value(key), at: codingPath + [key])
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decodeValue(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decodeValue(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decodeValue(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decodeValue(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decodeValue(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decodeValue(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decodeValue(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decodeValue(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decodeValue(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decodeValue(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decodeValue(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decodeValue(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decodeValue(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decodeValue(type, key) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decodeValue(type, key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder.nested(value(key), key: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.nested(value(key), key: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = NameKey(stringValue: "super")
        return try decoder.nested(value(key), key: key)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        try decoder.nested(value(key), key: key)
    }
}

private struct ArrayContainer: UnkeyedDecodingContainer {
    let elements: [TOMLValue]
    let decoder: ValueDecoder
    private(set) var currentIndex = 0

    init(elements: [TOMLValue], decoder: ValueDecoder) {
        self.elements = elements
        self.decoder = decoder
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    /// The next element; running out is an error at the array.
    func next() throws -> TOMLValue {
        guard !isAtEnd else {
            throw decoder.context.error("expected more than \(elements.count) elements in \(describe(codingPath))", at: decoder.value.position)
        }
        return elements[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        _ = try next()
        return false  // TOML has no null
    }

    mutating func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try decoder.context.decode(type, from: next(), at: codingPath + [IndexKey(currentIndex)])
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decodeValue(type) }
    mutating func decode(_ type: String.Type) throws -> String { try decodeValue(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decodeValue(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decodeValue(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decodeValue(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decodeValue(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decodeValue(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decodeValue(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decodeValue(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decodeValue(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeValue(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeValue(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeValue(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeValue(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let container = try decoder.nested(next(), key: IndexKey(currentIndex)).container(keyedBy: type)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let container = try decoder.nested(next(), key: IndexKey(currentIndex)).unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let nested = try decoder.nested(next(), key: IndexKey(currentIndex))
        currentIndex += 1
        return nested
    }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let decoder: ValueDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { false }  // TOML has no null

    /// Decodes the decoder's own value; tables it opens count as used by the decoder's type.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.context.decode(type, from: decoder.value, at: codingPath, usage: decoder.usage)
    }

    func decode(_ type: Bool.Type) throws -> Bool { try decodeValue(type) }
    func decode(_ type: String.Type) throws -> String { try decodeValue(type) }
    func decode(_ type: Double.Type) throws -> Double { try decodeValue(type) }
    func decode(_ type: Float.Type) throws -> Float { try decodeValue(type) }
    func decode(_ type: Int.Type) throws -> Int { try decodeValue(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decodeValue(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decodeValue(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decodeValue(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decodeValue(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decodeValue(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeValue(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeValue(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeValue(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeValue(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }
}
