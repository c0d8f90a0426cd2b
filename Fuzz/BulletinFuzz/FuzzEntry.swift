// libFuzzer's entry point for every fuzz target of `make fuzz`; the target is chosen by
// $BULLETIN_FUZZ_TARGET (see `FuzzTarget`). Built with `--sanitize=fuzzer`, libFuzzer
// supplies `main`; a plain build makes a binary that does nothing.
//
// The targets reach internal functions (`PlainText`, `Settings`, the renderers' escapers)
// through `@testable import`, which only a module built for testing allows: every debug
// build is, and `make fuzz` passes `-enable-testing -DFUZZING` to its release build. A
// plain release build (`make build`, the benchmarks) compiles nothing here.
#if DEBUG || FUZZING
#if canImport(Glibc)
import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.selected.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

/// Picks the target before the first input, so that a wrong name stops the run at once.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>?,
                           _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    _ = FuzzTarget.selected
    return 0
}

extension FuzzTarget {
    /// The target named by $BULLETIN_FUZZ_TARGET; the process exits 2 when it names none.
    static let selected: FuzzTarget = {
        let name = getenv("BULLETIN_FUZZ_TARGET").map { String(cString: $0) } ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: " ")
            let message = "BulletinFuzz: set BULLETIN_FUZZ_TARGET to one of: \(names)\n"
            _ = message.withCString { write(2, $0, strlen($0)) }
            exit(2)
        }
        target.prepare()
        return target
    }()
}

/// Stops the run as a crash (libFuzzer keeps the input) when an invariant fails.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
             file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError("invariant: \(message())", file: file, line: line) }
}
#endif
