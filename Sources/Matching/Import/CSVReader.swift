/// Reads CSV as RFC 4180 writes it: fields separated by commas, records by CRLF or LF,
/// fields that hold commas, quotes or line breaks quoted with `"`, a quote inside doubled.
struct CSVReader {
    /// A record and the line it starts on (1-based).
    struct Record {
        let line: Int
        let fields: [String]
    }

    /// Every record of `text`; a final line break does not start an empty record.
    static func records(_ text: String, file: String) throws(ImportError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var column = 0
        var recordLine = 1
        var inQuotes = false
        var quotedField = false
        var afterQuote = false
        let bytes = Array(text.utf8)
        var index = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quotedField = false
            afterQuote = false
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            column += 1
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count && bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                        column += 1
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1; column = 0 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\r") where index < bytes.count && bytes[index] == UInt8(ascii: "\n"):
                continue
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                endField()
                records.append(Record(line: recordLine, fields: fields))
                fields = []
                line += 1
                column = 0
                recordLine = line
            case UInt8(ascii: "\""):
                guard field.isEmpty && !quotedField else {
                    throw ImportError(file: file, line: line, column: column,
                                      reason: "a quote inside an unquoted field (quote the whole field and double the quote)")
                }
                inQuotes = true
                quotedField = true
            default:
                guard !afterQuote else {
                    throw ImportError(file: file, line: line, column: column,
                                      reason: "text after the closing quote of a field")
                }
                field.append(byte)
            }
        }
        if inQuotes {
            throw ImportError(file: file, line: recordLine, column: nil, reason: "a quoted field is never closed")
        }
        if !fields.isEmpty || !field.isEmpty || quotedField {
            endField()
            records.append(Record(line: recordLine, fields: fields))
        }
        return records
    }
}
