/// Whether a package an advisory declares is a service: compared with the service's
/// phrases (normalized, see ``NormalizedText``), by the rules of where the package comes from.
///
/// - A language ecosystem's package is the service only when it is the service's own
///   package: `express`, `requests`, `django`; a Maven artifact of the project
///   (`log4j-core`, `spring-web`, `tomcat-embed-core`); a Go module's repository
///   (`github.com/containerd/containerd/v2`, `k8s.io/kubernetes`). A library *for* a
///   runtime (`@sentry/node`, `github.com/siyuan-note/siyuan/kernel`) is not the runtime;
///   a scoped npm package is its scope's project (`@angular/compiler` is Angular).
///   The platforms' own packages are known: `golang.org/x/…` and `stdlib` are Go,
///   `actions/…` are GitHub Actions.
/// - A distribution's package is the service when its name starts with the service's words,
///   after a trailing version (`python3`, `openssl11`) and an ecosystem prefix
///   (`python-requests` is requests, not Python) are set aside: `java-1.8.0-openjdk` is Java,
///   `qemu-kvm` is QEMU, `kernel` is the Linux kernel; `linux-firmware` is not.
enum PackageName {
    /// The words of `package` that stand for what it is, as normalized text.
    static func keys(of package: String, naming: DeclaredSubject.Naming) -> [Key] {
        switch naming {
        case .ecosystem: ecosystemKeys(package.lowercased())
        case .distribution: [.startsWith(distributionWords(package))]
        }
    }

    /// One way a package may name a phrase.
    enum Key: Hashable, Sendable {
        /// The phrase is exactly these words.
        case exactly(String)
        /// The phrase is these words, or the words start with the phrase (Maven artifacts).
        case exactlyOrPrefix(String)
        /// The words start with the phrase's words.
        case startsWith([String])

        func names(_ phrase: String) -> Bool {
            switch self {
            case .exactly(let words): words == phrase
            case .exactlyOrPrefix(let words): words == phrase || words.hasPrefix(phrase + " ")
            case .startsWith(let words):
                !phrase.isEmpty && words.starts(with: phrase.split(separator: " ").map(String.init))
            }
        }
    }

    private static func ecosystemKeys(_ package: String) -> [Key] {
        if package.hasPrefix("golang.org/x/") || package == "stdlib" || package == "toolchain" {
            return [.exactly("go"), .exactly("golang")]
        }
        if package.hasPrefix("actions/") { return [.exactly("github actions")] }
        if package.hasPrefix("@") {  // a scoped npm package is its scope's (@angular/core), never a runtime's (@sentry/node)
            return [.exactly(NormalizedText.key(package.dropFirst().prefix { $0 != "/" }))]
        }
        if let colon = package.lastIndex(of: ":") {  // Maven: group:artifact
            return [.exactlyOrPrefix(NormalizedText.key(package[package.index(after: colon)...]))]
        }
        let segments = package.split(separator: "/")
        if segments.count >= 2, segments[0].contains(".") {  // a Go module: host/owner/repo/…
            let repo = segments.count >= 3 && !segments[0].hasSuffix(".io") ? segments[2] : segments[1]
            return [.exactly(NormalizedText.key(repo.split(separator: ".").first ?? repo))]
        }
        // npm, PyPI, RubyGems, crates, NuGet, Hex, Pub: the name; Composer's vendor/package: the package.
        return [.exactly(NormalizedText.key(segments.last ?? Substring(package)))]
    }

    /// Prefixes of distribution packages that hold a library of a language ecosystem.
    private static let ecosystemPrefixes: Set<String> = [
        "node", "nodejs", "python", "pypy", "golang", "ruby", "rubygem", "php", "perl", "lua", "rust",
        "ocaml", "erlang", "elixir", "libghc", "ghc", "haskell", "r",
    ]

    private static func distributionWords(_ package: String) -> [String] {
        var words = NormalizedText.key(package).split(separator: " ").map { word -> String in
            // python3 → python, openssl11 → openssl (a word that starts with a letter)
            guard word.first?.isLetter == true else { return String(word) }
            return String(word.reversed().drop(while: \.isNumber).reversed())
        }
        if words.count > 1, ecosystemPrefixes.contains(words[0]), words[1].first?.isNumber == false {
            words.removeFirst()
        }
        return words
    }
}
