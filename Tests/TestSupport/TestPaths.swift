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

    /// Whether the corpus is there: a clone of the project alone has no `../shared`, and
    /// the tests that read real captured feeds (`CorpusTests`) are then skipped.
    public static var corpusAvailable: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: corpus.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The `bulletin` executable built beside the test bundle.
    public static var bulletinExecutable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bulletin")
    }

    /// The Python that runs the test servers: `$BULLETIN_TEST_PYTHON`, else Debian's
    /// `/usr/bin/python3`, which has aiosmtpd from the `python3-aiosmtpd` package (a
    /// `python3` earlier on the `PATH`, pyenv's say, does not), else `python3`.
    public static var python: String {
        if let python = ProcessInfo.processInfo.environment["BULLETIN_TEST_PYTHON"], !python.isEmpty { return python }
        return FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
    }

    /// A golden file (expected output), under `Tests/Golden`.
    public static func golden(_ name: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Golden").appendingPathComponent(name)
    }

    /// Every file of the corpus, sorted by name.
    public static func corpusFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
    }

    /// Our own feed documents (`Tests/Fixtures/feeds`), each small and named for its case,
    /// as paths relative to `Tests/Fixtures`, sorted.
    public static var fixtureFeeds: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixture("feeds").path)) ?? []
        return names.sorted().map { "feeds/" + $0 }
    }

    /// A fixture of ours, under `Tests/Fixtures`.
    public static func fixture(_ name: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name)
    }
}
