// swift-tools-version:6.0
import PackageDescription

/// Bulletin: modules follow the path of the data (see README.md, "Design").
/// Only `Curl`, `LibXML`, `SQLite`, `Zlib` and `LibCrypto` import the C libraries.
let package = Package(
    name: "Bulletin",
    products: [
        .executable(name: "bulletin", targets: ["bulletin"]),
    ],
    targets: [
        // System C libraries: a module map and a shim header each.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CSQLite3", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // Safe Swift faces of the C libraries.
        .target(name: "Curl", dependencies: ["CCurl"]),
        .target(name: "LibXML", dependencies: ["CLibXML2"]),
        .target(name: "SQLite", dependencies: ["CSQLite3"]),
        .target(name: "Zlib", dependencies: ["CZlib"]),
        .target(name: "LibCrypto", dependencies: ["CCrypto"]),

        // Configuration format and the values that cross stage boundaries.
        .target(name: "TOML"),
        .target(name: "Models"),

        // Stages, in the order of the data.
        .target(name: "Parsing", dependencies: ["Models", "LibXML"]),
        .target(name: "Fetching", dependencies: ["Models", "Curl", "Zlib"]),
        .target(name: "Storage", dependencies: ["Models", "SQLite", "Zlib"]),
        .target(name: "Matching", dependencies: ["Models"]),
        .target(name: "Digest", dependencies: ["Models"]),
        .target(name: "Delivery", dependencies: ["Models", "Curl", "LibCrypto"]),

        // Settings, pipeline and commands; then the one-line executable.
        .target(name: "BulletinKit", dependencies: [
            "TOML", "Models", "Parsing", "Fetching", "Storage", "Matching", "Digest", "Delivery", "Curl",
        ]),
        .executableTarget(name: "bulletin", dependencies: ["BulletinKit"]),
        // `make bench-match`: the matcher over generated bulletins (driven by run.py).
        .executableTarget(name: "MatchBenchmark", dependencies: ["Matching", "Models"], path: "Benchmarks/match",
                          exclude: ["run.py"]),

        // Benchmarks (`make bench-…`): built with the package, run by their scripts.
        .executableTarget(name: "StoreBench", dependencies: ["Models", "Storage"], path: "Benchmarks/store/StoreBench"),

        // `make fuzz`: libFuzzer targets ($BULLETIN_FUZZ_TARGET picks one); only that build
        // links libFuzzer, a plain build makes a binary that does nothing.
        .executableTarget(name: "BulletinFuzz", dependencies: [
            "BulletinKit", "Parsing", "TOML", "Storage", "Matching", "Digest", "Models",
        ], path: "Fuzz/BulletinFuzz"),

        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "WrapperTests", dependencies: ["Curl", "LibXML", "SQLite", "Zlib", "LibCrypto", "TestSupport"]),
        .testTarget(name: "TOMLTests", dependencies: ["TOML"]),
        // `make toml-test`: the official toml-test suite, through this decoder (Tests/TOMLConformance/run.py).
        .executableTarget(name: "TOMLTestDecoder", dependencies: ["TOML"], path: "Tests/TOMLTestDecoder"),
        .testTarget(name: "StageTests", dependencies: [
            "Parsing", "Storage", "Matching", "Digest", "TestSupport",
        ]),
        .testTarget(name: "BulletinKitTests", dependencies: ["BulletinKit", "Digest", "TestSupport"]),
        .testTarget(name: "DeliveryTests", dependencies: ["Delivery", "Curl", "TestSupport"]),
        .testTarget(name: "FetchingTests", dependencies: ["Fetching", "Models", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
