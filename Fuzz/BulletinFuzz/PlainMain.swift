// The `main` of a binary built without libFuzzer (a plain `swift build`). `make fuzz` builds
// with `--sanitize=fuzzer` and `-DFUZZING`: libFuzzer's own `main` then calls
// `LLVMFuzzerTestOneInput`, and this type is left out.
#if !FUZZING
#if canImport(Glibc)
import Glibc
#endif

@main
enum PlainMain {
    static func main() {
        let message = "BulletinFuzz was built without libFuzzer: run it with `make fuzz`\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        exit(2)
    }
}
#endif
