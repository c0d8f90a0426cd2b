import FoundationEssentials
import Models

/// What a structured advisory says it is about, read from its title: GitHub's
/// `[package] …`, Amazon Linux's `ALAS-…: package`, Ubuntu's `USN-…: Package vulnerabilities`,
/// Debian's `DSA-… package - security update`, Red Hat's `RHSA-…: Important: package security
/// update`, Gentoo's `GLSA …: Package: …`, SUSE's `Security update for package`, FreeBSD's
/// `FreeBSD-SA-…:NN.package`, and `CVE-… (package)`. For such an entry the named package
/// is the subject; any other service its text names is at most a mention.
///
/// A commit or a release on GitHub or GitLab (its link says which: `github.com/owner/repo/
/// commit/…`, `…/releases/tag/v1.2.3`) is about its repository in the same way: a release of
/// `kubernetes/kubernetes` is Kubernetes, and "Fix linter path in GitHub Actions" committed
/// to some other project is no news of GitHub Actions.
struct DeclaredSubject: Sendable, Hashable {
    /// How the package is named, which decides how it is compared with a service's phrases.
    enum Naming: Sendable, Hashable {
        /// A package of a language ecosystem (npm, PyPI, Maven, Go modules, …): the package
        /// itself, never the runtime it is written for.
        case ecosystem
        /// A distribution's source package (`java-1.8.0-openjdk`, `qemu-kvm`, `python3`).
        case distribution
    }

    /// The packages named, as the title writes them.
    var packages: [String]
    var naming: Naming
    /// Which kind of advisory said so, for `explain` ("GitHub advisory").
    var source: String
    /// What declares the subject: an advisory (of a package), or a repository's commit or release.
    enum Kind: Sendable, Hashable {
        case advisory, commit, release
    }
    var kind = Kind.advisory

    /// What `explain` says of the service `package` is: "GitHub advisory package: express",
    /// "GitHub release of github.com/kubernetes/kubernetes".
    func subjectRule(for package: String) -> String {
        kind == .advisory ? "\(source) package: \(package)" : "\(source) of \(package)"
    }

    /// What `explain` says of a service the entry names that is not its subject.
    var othersRule: String {
        switch kind {
        case .advisory: "named in an advisory of another package"
        case .commit: "named in a commit of another project"
        case .release: "named in a release of another project"
        }
    }

    /// The subject `entry` declares, if it is a structured advisory or a repository's commit or release.
    static func read(_ entry: FeedEntry) -> DeclaredSubject? {
        advisory(entry) ?? repository(entry)
    }

    /// The subject `entry`'s title declares, if it is a structured advisory's.
    private static func advisory(_ entry: FeedEntry) -> DeclaredSubject? {
        // Most titles start with none of the advisories' first letters: one byte tells.
        guard let title = entry.title, let first = title.utf8.first, Self.firstBytes.contains(first) else { return nil }
        let text = Substring(title)
        if let packages = github(text, entry) { return DeclaredSubject(packages: packages, naming: .ecosystem, source: "GitHub advisory") }
        for reader in readers {
            if let packages = reader.read(text), !packages.isEmpty {
                return DeclaredSubject(packages: packages, naming: .distribution, source: reader.source)
            }
        }
        return nil
    }

    /// How a structured advisory's title can start: `[`, `ALAS`, `USN`, `DSA`/`DLA`, `RHSA`,
    /// `GLSA`, `SUSE`/`openSUSE`, `FreeBSD`, `CVE`.
    private static let firstBytes = Set("[AUDRGSoFC".utf8)

    /// `[package] Title`, where the entry is a GitHub advisory (a GHSA id, or a link to one).
    private static func github(_ title: Substring, _ entry: FeedEntry) -> [String]? {
        guard title.hasPrefix("["), let close = title.firstIndex(of: "]") else { return nil }
        let isAdvisory = entry.advisories.contains { $0.hasPrefix("GHSA-") }
            || (entry.link ?? "").contains("/advisories/GHSA-")
        guard isAdvisory else { return nil }
        let package = title[title.index(after: title.startIndex)..<close].trimmingSpaces
        return package.isEmpty ? nil : [String(package)]
    }

    /// The repository whose commit or release `entry` is, by its link: `github.com/owner/repo`
    /// for `https://github.com/owner/repo/commit/…` or `…/releases/tag/…`, and GitLab's
    /// `https://gitlab.com/group/repo/-/commit/…` or `…/-/releases/…` (subgroups too).
    private static func repository(_ entry: FeedEntry) -> DeclaredSubject? {
        guard let link = entry.link, link.contains("/commit") || link.contains("/releases"),
              let url = URL(string: link), url.scheme == "https" || url.scheme == "http",
              let host = url.host?.lowercased(), host == "github.com" || host == "gitlab.com" else { return nil }
        let segments = url.path.split(separator: "/")
        // Where the repository's path ends: GitHub's is owner/repo; GitLab's ends before "-".
        let end = host == "github.com" ? 2 : segments.firstIndex(of: "-") ?? 0
        guard end >= 2, end + (host == "github.com" ? 0 : 1) < segments.count else { return nil }
        let marker = segments[host == "github.com" ? end : end + 1]
        guard marker == "commit" || marker == "releases" else { return nil }
        let kind = marker == "commit" ? Kind.commit : .release
        // The owner and the repository's name (a GitLab subgroup is set aside), as a Go
        // module path names them: `PackageName` reads the name.
        let path = "\(host)/\(segments[0])/\(segments[end - 1])"
        return DeclaredSubject(packages: [path], naming: .ecosystem,
                               source: (host == "github.com" ? "GitHub " : "GitLab ") + "\(kind)", kind: kind)
    }

    private struct Reader: Sendable {
        let source: String
        let read: @Sendable (Substring) -> [String]?
    }

    private static let readers: [Reader] = [
        // ALAS-2018-1100 (medium): kernel — ALAS2-…, ALAS2023-…, ALAS2KERNEL-5.10-…
        Reader(source: "ALAS") { title in
            guard title.hasPrefix("ALAS"), let colon = title.firstRange(of: "): ") ?? title.firstRange(of: ": ") else { return nil }
            return list(title[colon.upperBound...])
        },
        // USN-6543-1: Linux kernel vulnerabilities / OpenSSL regression / … update
        Reader(source: "USN") { title in
            guard title.hasPrefix("USN-"), let colon = title.firstRange(of: ": ") else { return nil }
            let rest = title[colon.upperBound...]
            let end = ["vulnerabilities", "vulnerability", "regression", "regressions", "update", "updates"]
                .compactMap { rest.firstRange(of: " " + $0)?.lowerBound }.min() ?? rest.endIndex
            return list(rest[..<end])
        },
        // DSA-5678-1 openssl - security update; [DSA 5678-1] openssl security update; DLA too
        Reader(source: "Debian advisory") { title in
            var rest = title
            if rest.hasPrefix("[") { rest = rest.dropFirst() }
            guard rest.hasPrefix("DSA") || rest.hasPrefix("DLA") else { return nil }
            let words = rest.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count >= 2 else { return nil }
            // The id is one word (DSA-5678-1) or two (DSA 5678-1]); the package follows it.
            let index = words[0].contains("-") ? 1 : 2
            guard index < words.count else { return nil }
            let package = words[index].trimmingCharacters(in: "]:")
            return package.isEmpty ? nil : [String(package)]
        },
        // RHSA-2024:1234: Important: kernel security update (and "… security and bug fix update")
        Reader(source: "RHSA") { title in
            guard title.hasPrefix("RHSA-"), let security = title.firstRange(of: " security") else { return nil }
            let head = title[..<security.lowerBound]
            let start = head.ranges(of: ": ").last?.upperBound ?? head.startIndex
            return list(head[start...])
        },
        // GLSA 202401-01: OpenSSL: Multiple Vulnerabilities
        Reader(source: "GLSA") { title in
            guard title.hasPrefix("GLSA"), let first = title.firstRange(of: ": ") else { return nil }
            let rest = title[first.upperBound...]
            guard let second = rest.firstRange(of: ":") else { return nil }
            return list(rest[..<second.lowerBound])
        },
        // SUSE-SU-2024:0123-1: important: Security update for the Linux Kernel
        Reader(source: "SUSE advisory") { title in
            guard title.hasPrefix("SUSE-SU-") || title.hasPrefix("openSUSE-SU-"),
                  let update = title.firstRange(of: "update for ") ?? title.firstRange(of: "Update for ") else { return nil }
            var rest = title[update.upperBound...]
            if rest.hasPrefix("the ") { rest = rest.dropFirst(4) }
            return list(rest)
        },
        // FreeBSD-SA-24:01.bhyve
        Reader(source: "FreeBSD advisory") { title in
            guard title.hasPrefix("FreeBSD-SA-"), let dot = title.firstIndex(of: ".") else { return nil }
            let package = title[title.index(after: dot)...].prefix { !$0.isWhitespace }
            return package.isEmpty ? nil : [String(package)]
        },
        // CVE-2024-1234 (curl): …
        Reader(source: "CVE title") { title in
            guard title.hasPrefix("CVE-"), let open = title.firstIndex(of: "("),
                  let close = title[open...].firstIndex(of: ")"),
                  !title[..<open].trimmingSpaces.contains(" ") else { return nil }
            return list(title[title.index(after: open)..<close])
        },
    ]

    /// The packages of a comma-separated list (`openssl, openssl11`).
    private static func list(_ text: Substring) -> [String] {
        text.split(separator: ",").map { String($0.trimmingSpaces) }.filter { !$0.isEmpty }
    }
}

extension Substring {
    var trimmingSpaces: Substring { trimmingCharacters(in: " \t") }

    func trimmingCharacters(in characters: String) -> Substring {
        var result = self
        while let first = result.first, characters.contains(first) { result = result.dropFirst() }
        while let last = result.last, characters.contains(last) { result = result.dropLast() }
        return result
    }
}
