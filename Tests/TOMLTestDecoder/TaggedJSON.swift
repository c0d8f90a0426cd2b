#if canImport(Glibc)
import Glibc
#endif
import TOML

/// toml-test's tagged JSON: a table is an object, an array an array, and every other value
/// `{"type": "integer", "value": "42"}` with its type and its value as a string.
enum TaggedJSON {
    static func table(_ table: TOMLTable) -> String {
        "{" + table.entries.map { string($0.key) + ":" + value($0.value) }.joined(separator: ",") + "}"
    }

    static func value(_ value: TOMLValue) -> String {
        switch value.kind {
        case .table(let table): return self.table(table)
        case .array(let values): return "[" + values.map(self.value).joined(separator: ",") + "]"
        case .string(let text): return tagged("string", text)
        case .integer(let number): return tagged("integer", String(number))
        case .float(let number):
            return tagged("float", number.isNaN ? "nan" : number.isInfinite ? (number < 0 ? "-inf" : "inf") : "\(number)")
        case .boolean(let flag): return tagged("bool", flag ? "true" : "false")
        case .dateTime(let dateTime):
            let type = switch dateTime.kind {
            case .offsetDateTime: "datetime"
            case .localDateTime: "datetime-local"
            case .localDate: "date-local"
            case .localTime: "time-local"
            }
            return tagged(type, dateTime.description)
        }
    }

    private static func tagged(_ type: String, _ value: String) -> String {
        "{\"type\":" + string(type) + ",\"value\":" + string(value) + "}"
    }

    static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{00}"..."\u{1F}", "\u{7F}":
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

enum FileHandleError {
    static func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
