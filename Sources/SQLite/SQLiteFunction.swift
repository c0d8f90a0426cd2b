internal import CSQLite3

/// The Swift body of an application-defined SQL function, kept alive by SQLite
/// (retained when registered, released by SQLite's destructor callback).
private final class SQLiteFunctionBody {
    let body: ([SQLiteValue]) -> SQLiteValue
    init(_ body: @escaping ([SQLiteValue]) -> SQLiteValue) { self.body = body }
}

extension SQLiteConnection {
    /// Registers the scalar SQL function `name(arguments…)` on this connection, computed by
    /// `body`. Deterministic functions may be used in indexes and generated columns.
    /// - SeeAlso: https://www.sqlite.org/c3ref/create_function.html
    public func createFunction(_ name: String, argumentCount: Int32, deterministic: Bool = true,
                               _ body: @escaping ([SQLiteValue]) -> SQLiteValue) throws(SQLiteError) {
        let box = Unmanaged.passRetained(SQLiteFunctionBody(body)).toOpaque()
        var flags = SQLITE_UTF8
        if deterministic { flags |= SQLITE_DETERMINISTIC }
        // The box lives until SQLite calls the destructor: when the function is replaced,
        // the connection closes, or registration fails.
        let code = sqlite3_create_function_v2(handle, name, argumentCount, flags, box, { context, count, values in
            let function = Unmanaged<SQLiteFunctionBody>.fromOpaque(sqlite3_user_data(context)!).takeUnretainedValue()
            let arguments = (0..<Int(count)).map { SQLiteValue(reading: values![$0]) }
            SQLiteValue.setResult(function.body(arguments), of: context)
        }, nil, nil, { box in
            if let box { Unmanaged<SQLiteFunctionBody>.fromOpaque(box).release() }
        })
        guard code == SQLITE_OK else { throw error(code: code, sql: "function \(name)") }
    }
}

extension SQLiteValue {
    /// Reads an argument of an SQL function.
    /// - SeeAlso: https://www.sqlite.org/c3ref/value_blob.html
    fileprivate init(reading value: OpaquePointer?) {
        switch sqlite3_value_type(value) {
        case SQLITE_INTEGER:
            self = .integer(sqlite3_value_int64(value))
        case SQLITE_FLOAT:
            self = .real(sqlite3_value_double(value))
        case SQLITE_TEXT:
            let count = Int(sqlite3_value_bytes(value))
            guard let text = sqlite3_value_text(value) else { self = .text(""); return }
            self = .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_value_bytes(value))
            guard let blob = sqlite3_value_blob(value) else { self = .blob([]); return }
            self = .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default:
            self = .null
        }
    }

    /// Sets an SQL function's result, or a virtual table's column (SQLite copies text and blobs).
    /// - SeeAlso: https://www.sqlite.org/c3ref/result_blob.html
    static func setResult(_ result: SQLiteValue, of context: OpaquePointer?) {
        switch result {
        case .null: sqlite3_result_null(context)
        case .integer(let number): sqlite3_result_int64(context, number)
        case .real(let number): sqlite3_result_double(context, number)
        case .text(let text) where text.isEmpty:
            sqlite3_result_text(context, "", 0, csqlite3_transient())
        case .text(var text):
            text.withUTF8 { utf8 in
                utf8.withMemoryRebound(to: CChar.self) {
                    sqlite3_result_text64(context, $0.baseAddress, sqlite3_uint64($0.count),
                                          csqlite3_transient(), UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let bytes):
            bytes.withUnsafeBytes {
                sqlite3_result_blob64(context, $0.baseAddress, sqlite3_uint64($0.count), csqlite3_transient())
            }
        }
    }
}
