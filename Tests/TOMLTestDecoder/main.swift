#if canImport(Glibc)
import Glibc
#endif
import TOML

// A toml-test decoder (https://github.com/toml-lang/toml-test): reads a TOML document on
// standard input and prints it as toml-test's tagged JSON on standard output, exit 0;
// or prints the error on standard error, exit 1. `make toml-test` runs the suite with it.

var input: [UInt8] = []
var chunk = [UInt8](repeating: 0, count: 65536)
while true {
    let count = chunk.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
    if count <= 0 { break }
    input += chunk[..<count]
}
// TOML documents are UTF-8: bytes that are not are an error, as the configuration loader says.
guard let text = String(validating: input, as: UTF8.self) else {
    FileHandleError.write("toml-test: the document is not valid UTF-8\n")
    exit(1)
}
do {
    let table = try TOMLParser.parse(text, file: "<stdin>")
    print(TaggedJSON.table(table))
} catch {
    FileHandleError.write("\(error)\n")
    exit(1)
}
