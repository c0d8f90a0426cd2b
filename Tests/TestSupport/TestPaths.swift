import Foundation

/// Where the tests find the package, the built `bulletin`, and the shared feed corpus.
public enum TestPaths {
    /// The package's root directory.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The corpus of real captured feeds: `$BULLETIN_CORPUS`, else `../shared/corpus/feeds`
    /// beside the package. Read where it lies, never copied.
    public static var corpus: URL {
        if let path = ProcessInfo.processInfo.environment["BULLETIN_CORPUS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/feeds")
    }

    public static func corpusFile(_ name: String) -> URL { corpus.appendingPathComponent(name) }

    /// The `bulletin` executable built beside the test bundle.
    public static var bulletinExecutable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bulletin")
    }

    /// The Python that runs the test servers: `$BULLETIN_TEST_PYTHON`, else the venv that
    /// `make test-deps` makes under `.build/test-venv` (it has aiosmtpd), else `python3`.
    public static var python: String {
        if let python = ProcessInfo.processInfo.environment["BULLETIN_TEST_PYTHON"], !python.isEmpty { return python }
        let venv = packageRoot.appendingPathComponent(".build/test-venv/bin/python3").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
    }

    /// A golden file (expected output), under `Tests/Golden`.
    public static func golden(_ name: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Golden").appendingPathComponent(name)
    }

    /// A fixture of ours, under `Tests/Fixtures`.
    public static func fixture(_ name: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name)
    }
}
