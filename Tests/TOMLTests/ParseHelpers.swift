import TOML

/// Parses `text` as the file `test.toml`.
func parse(_ text: String) throws(TOMLError) -> TOMLTable {
    try TOMLParser.parse(text, file: "test.toml")
}

/// The error that parsing `text` gives, as `line:column: message`, or nil if it parses.
func parseError(_ text: String) -> String? {
    do {
        _ = try parse(text)
        return nil
    } catch {
        return "\(error.line):\(error.column): \(error.message)"
    }
}
