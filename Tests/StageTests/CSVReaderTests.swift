@testable import Matching
import Testing

@Suite struct CSVReaderTests {
    @Test(arguments: [
        ("a,b,c\n1,2,3\n", [["a", "b", "c"], ["1", "2", "3"]]),
        ("a,b\r\n1,2", [["a", "b"], ["1", "2"]]),
        (#""x, y","say ""hi""",z"#, [["x, y", #"say "hi""#, "z"]]),
        ("\"line\nbreak\",2\n3,4\n", [["line\nbreak", "2"], ["3", "4"]]),
        ("a,,\n", [["a", "", ""]]),
        ("\"\",x\n", [["", "x"]]),
        ("", []),
    ])
    func readsRFC4180(_ text: String, _ expected: [[String]]) throws {
        #expect(try CSVReader.records(text, file: "t.csv").map(\.fields) == expected)
    }

    @Test func recordsKnowTheLineTheyStartOn() throws {
        let records = try CSVReader.records("h\n\"a\nb\"\nc\n", file: "t.csv")
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test(arguments: [
        ("a,\"b\"c\n", "import: t.csv:1:6: text after the closing quote of a field"),
        ("a,b\"c\n", "import: t.csv:1:4: a quote inside an unquoted field (quote the whole field and double the quote)"),
        ("x\n\"never closed\n\n", "import: t.csv:2: a quoted field is never closed"),
    ])
    func brokenQuotingIsAnError(_ text: String, _ message: String) {
        #expect(throws: ImportError.self) { try CSVReader.records(text, file: "t.csv") }
        do { _ = try CSVReader.records(text, file: "t.csv") } catch { #expect(error.description == message) }
    }
}
