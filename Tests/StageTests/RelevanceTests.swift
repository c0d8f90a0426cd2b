import Matching
import Models
import Testing

/// What a bulletin is about, case by case: bulletins shaped like real advisories, posts and
/// announcements, against a small inventory, and the tags expected as "service:strength"
/// (subject or mention). Written for these tests; no corpus text.
@Suite struct RelevanceTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let id: String
        var title: String? = nil
        var summary: String? = nil
        var link: String? = nil
        var advisories: [String] = []
        var category: FeedCategory = .security
        var feed = "Feed"
        let expected: [String]
        var testDescription: String { id }
    }

    static let inventory: [Service] = [
        Service(name: "nginx"), Service(name: "Linux kernel", aliases: ["kernel"]),
        Service(name: "Amazon Linux", aliases: ["AL2"]), Service(name: "Ubuntu"), Service(name: "Debian"),
        Service(name: "Kubernetes", aliases: ["k8s"]), Service(name: "Docker"), Service(name: "containerd"),
        Service(name: "Node.js", aliases: ["nodejs", "node"]), Service(name: "Python"), Service(name: "Go", aliases: ["golang"]),
        Service(name: "Java", aliases: ["OpenJDK"]), Service(name: "Log4j"), Service(name: "Jenkins"),
        Service(name: "curl", aliases: ["libcurl"]), Service(name: "Express"), Service(name: "requests"),
        Service(name: "OpenSSL"), Service(name: "QEMU"), Service(name: "AWS Lambda", aliases: ["Lambda"]),
        Service(name: "Amazon S3", aliases: ["S3"]), Service(name: "GitHub Actions"),
    ]

    static let cases: [Case] = [
        // Structured advisories: the declared package is the subject; the rest are mentions.
        Case(id: "GitHub advisory of a third-party Go module", title: "[github.com/example/gateway/v2] Gateway: kubernetes route injection",
             summary: "A crafted Ingress lets a Kubernetes user inject routes.", link: "https://github.com/advisories/GHSA-aaaa-bbbb-cccc",
             advisories: ["GHSA-aaaa-bbbb-cccc"], expected: ["Kubernetes:mention"]),
        Case(id: "GitHub advisory of an npm library is not Node.js", title: "[left-pad-ng] left-pad-ng allows prototype pollution",
             summary: "Affects Node.js applications that use left-pad-ng.", advisories: ["GHSA-1111-2222-3333"],
             expected: ["Node.js:mention"]),
        Case(id: "GitHub advisory of the express package", title: "[express] Express open redirect in res.location",
             advisories: ["GHSA-1111-2222-4444"], expected: ["Express:subject"]),
        Case(id: "GitHub advisory of a scoped npm package", title: "[@sentry/node] Sentry SDK leaks headers",
             advisories: ["GHSA-1111-2222-5555"], expected: []),
        Case(id: "a scoped npm package is its scope's project", title: "[@express/session] Session fixation",
             advisories: ["GHSA-1111-2222-5556"], expected: ["Express:subject"]),
        Case(id: "Maven artifact of Log4j", title: "[org.apache.logging.log4j:log4j-core] Log4j JNDI lookup",
             advisories: ["GHSA-1111-2222-6666"], expected: ["Log4j:subject"]),
        Case(id: "Go module of containerd", title: "[github.com/containerd/containerd/v2] containerd CRI leak",
             advisories: ["GHSA-1111-2222-7777"], expected: ["containerd:subject"]),
        Case(id: "golang.org/x is Go", title: "[golang.org/x/net] HTTP/2 rapid reset in x/net",
             advisories: ["GHSA-1111-2222-8888"], expected: ["Go:subject"]),
        Case(id: "a module's sub-package named like a service", title: "[github.com/example/notes/kernel] Notes kernel leaks the database",
             advisories: ["GHSA-1111-2222-9999"], expected: []),
        Case(id: "official GitHub action", title: "[actions/download-artifact] download-artifact path traversal",
             advisories: ["GHSA-1111-2222-aaaa"], expected: ["GitHub Actions:subject"]),
        Case(id: "third-party GitHub action", title: "[example/deploy-action] deploy-action command injection",
             summary: "A GitHub Actions workflow using it runs curl with the input.", advisories: ["GHSA-1111-2222-bbbb"],
             expected: ["GitHub Actions:mention", "curl:mention"]),
        // Distribution advisories: the id says the distribution, the title the package.
        Case(id: "ALAS of the kernel", title: "ALAS-2024-1234 (important): kernel", advisories: ["ALAS-2024-1234"],
             expected: ["Amazon Linux:subject", "Linux kernel:subject"]),
        Case(id: "ALAS of OpenJDK", title: "ALAS2-2024-2345 (critical): java-1.8.0-openjdk", advisories: ["ALAS2-2024-2345"],
             expected: ["Amazon Linux:subject", "Java:subject"]),
        Case(id: "ALAS of another package", title: "ALAS-2024-3456 (medium): linux-firmware",
             expected: ["Amazon Linux:subject"]),
        Case(id: "ALAS of a Python library", title: "ALAS-2024-4567 (low): python3-requests",
             expected: ["Amazon Linux:subject", "requests:subject"]),
        Case(id: "USN", title: "USN-7001-1: Linux kernel (AWS) vulnerabilities",
             summary: "Several security issues were fixed in the Linux kernel.", expected: ["Linux kernel:subject", "Ubuntu:subject"]),
        Case(id: "DSA", title: "DSA-5801-1 openssl - security update", expected: ["Debian:subject", "OpenSSL:subject"]),
        Case(id: "CVE title with its package", title: "CVE-2024-9999 (curl): cookie leak",
             summary: "Found by a nginx user.", expected: ["curl:subject", "nginx:mention"]),
        // Where a word is not a name.
        Case(id: "YAML example", title: "Ingress controller bypass",
             summary: "Deploy this: `name: nginx-deployment` and watch the logs.", expected: []),
        Case(id: "config key outside backticks", title: "Operator leaks tokens", summary: "metadata: name: nginx-proxy then apply.",
             expected: []),
        Case(id: "host name", title: "Mirror compromised", summary: "Images from docker.io were replaced.", expected: []),
        Case(id: "file name", title: "Path handling bug", summary: "The bug is in types.go and main.py of the tool.", expected: []),
        Case(id: "URL", title: "Plugin advisory", summary: "See https://nodejs.org/en/blog for details.", expected: []),
        Case(id: "import path", title: "Bad import", summary: "It imports github.com/torvalds/linux/kernel directly.", expected: []),
        Case(id: "e-mail address", title: "Report from a researcher", summary: "Write to security@kernel.org please.", expected: []),
        Case(id: "command line", title: "Proof of concept", summary: "Run curl -X POST against the endpoint.", expected: []),
        Case(id: "fenced code", title: "Container escape PoC", summary: "``` FROM docker.io/library/busybox RUN docker run ``` done",
             expected: []),
        // Ambiguous names need the context that makes them the software.
        Case(id: "go as a word", title: "Where do we go from here", category: .announcements, expected: []),
        Case(id: "Go with a version", title: "Go 1.22.1 security release fixes net/http", expected: ["Go:subject"]),
        Case(id: "Jenkins the person", title: "Malcolm Jenkins signs a new contract", category: .announcements, expected: []),
        Case(id: "Jenkins the server", title: "Jenkins plugin manager allows XSS", expected: ["Jenkins:subject"]),
        Case(id: "requests as a word", title: "DNS requests from internal networks leak", expected: []),
        Case(id: "Python requests", title: "Python requests leaks Proxy-Authorization header",
             expected: ["Python:subject", "requests:subject"]),
        Case(id: "node as a word", title: "Memory exhaustion of a cluster node", expected: []),
        Case(id: "Express.js", title: "Express.js 5.0 released", category: .announcements, expected: ["Express:subject"]),
        Case(id: "lambda as a word", title: "Lambda calculus for beginners", category: .announcements, expected: []),
        Case(id: "Lambda function", title: "New: Lambda functions get 10 GB of storage", category: .announcements,
             expected: ["AWS Lambda:subject"]),
        // Prose: a title names the topic when it is news; compounds name something else.
        Case(id: "announcement that is news", title: "QEMU version 9.0.0 released", category: .announcements,
             expected: ["QEMU:subject"]),
        Case(id: "announcement that is not news", title: "QEMU at the summer conference", category: .announcements,
             expected: ["QEMU:mention"]),
        Case(id: "compound word", title: "Java-Anwendungsserver erschienen", category: .announcements, expected: ["Java:mention"]),
        Case(id: "the new S3 feature", title: "The New Amazon S3 Requester Pays Model", category: .announcements,
             expected: ["Amazon S3:subject"]),
        Case(id: "summary-only mention in a blog post", title: "Build a dev workflow on a laptop",
             summary: "Write Python and Java, deploy with Docker to Kubernetes.", category: .announcements,
             expected: ["Docker:mention", "Java:mention", "Kubernetes:mention", "Python:mention"]),
        // Security prose without a name in the title: the summary's first sentence says it.
        Case(id: "summary names the subject first", title: "Authorization bypass regression",
             summary: "A vulnerability was found in certain versions of Docker Engine. Kubernetes users are not affected.",
             expected: ["Docker:subject", "Kubernetes:mention"]),
        Case(id: "title names another product", title: "Code injection in CRI-O",
             summary: "A flaw lets a pod set kernel parameters on a Kubernetes node.", expected: ["Kubernetes:mention"]),
        Case(id: "fixed release names the subject", title: "Image importer memory exhaustion",
             summary: "Importing a crafted image exhausts memory. This was fixed in containerd 1.6.18.",
             expected: ["containerd:subject"]),
        Case(id: "Patches section names the subject", title: "Build cache poisoning",
             summary: "The classic builder cache can be poisoned. ### Patches Patches are included in Docker releases: - v25.0.2",
             expected: ["Docker:subject"]),
        Case(id: "module path in the title", title: "Importer exhaustion in github.com/containerd/containerd",
             summary: "Importing a crafted image exhausts memory.", expected: ["containerd:subject"]),
        // The catalog can say what a feed is about.
        Case(id: "feed is about", title: "5.7-rc4: mainline", summary: "Version: 5.7-rc4 (mainline)", feed: "Kernel releases",
             expected: ["Linux kernel:subject"]),
        // A commit or a release (by its link) is about its repository.
        Case(id: "a commit of another project names services in passing", title: "Fix JavaScript linter path in GitHub Actions",
             link: "https://github.com/example/reader/commit/3f2a9c1", category: .announcements,
             expected: ["GitHub Actions:mention"]),
        Case(id: "a commit of the service's own repository", title: "lib: free the OpenSSL context on error",
             link: "https://github.com/curl/curl/commit/9b1e7d0", category: .announcements,
             expected: ["curl:subject", "OpenSSL:mention"]),
        Case(id: "a release of the service's repository, titled by its version", title: "v1.30.1",
             link: "https://github.com/kubernetes/kubernetes/releases/tag/v1.30.1", category: .announcements,
             expected: ["Kubernetes:subject"]),
        Case(id: "a release of another project keeps what its title names", title: "Docker Compose v2.24.0",
             link: "https://github.com/docker/compose/releases/tag/v2.24.0", category: .announcements,
             expected: ["Docker:subject"]),
        Case(id: "a GitLab commit, in a subgroup", title: "Build with Python 3.12",
             link: "https://gitlab.com/example/web/nginx/-/commit/77aa01", category: .announcements,
             expected: ["nginx:subject", "Python:mention"]),
        Case(id: "a commit link on another host is no repository", title: "Fix JavaScript linter path in GitHub Actions",
             link: "https://git.example.com/reader/commit/3f2a9c1", category: .announcements,
             expected: ["GitHub Actions:subject"]),
        Case(id: "a GitHub link that is no commit or release", title: "Fix JavaScript linter path in GitHub Actions",
             link: "https://github.com/example/commit", category: .announcements, expected: ["GitHub Actions:subject"]),
        // A release whose title names nothing is of the product its feed is named for.
        Case(id: "a bare release in a feed named for the product", title: "3.2.1 Release Candidate 2 Released",
             summary: "The second release candidate of the 3.2.1 line is ready; Python users should test it.",
             category: .announcements, feed: "Python Insider", expected: ["Python:subject"]),
        Case(id: "a bare release, said another way", title: "Version 4.1 is now available", category: .announcements,
             feed: "The QEMU blog", expected: ["QEMU:subject"]),
        Case(id: "a release that names its product is of that product", title: "Loki 2.9 released",
             category: .announcements, feed: "Python Insider", expected: []),
        Case(id: "a post that is no release is not of the feed's product", title: "2012 Language Summit Report",
             category: .announcements, feed: "Python Insider", expected: []),
        Case(id: "a release with no version is not enough", title: "Release candidate ready", category: .announcements,
             feed: "Python Insider", expected: []),
        Case(id: "a feed named for two products says nothing", title: "3.2.1 released", category: .announcements,
             feed: "Python and Jenkins news", expected: []),
        Case(id: "a feed named by a common word says nothing", title: "1.22 released", category: .announcements,
             feed: "Go to the blog", expected: []),
        Case(id: "a feed titled by its file name says nothing", title: "3.2.1 released", category: .announcements,
             feed: "python-insider.atom.xml", expected: []),
    ]

    @Test(arguments: cases)
    func tagsAndStrengths(_ testCase: Case) {
        let matcher = Matcher(services: Self.inventory, feedTopics: ["Kernel releases": ["Linux kernel"]])
        let entry = FeedEntry(id: testCase.id, title: testCase.title, link: testCase.link, summary: testCase.summary,
                              advisories: testCase.advisories)
        let stored = StoredEntry(rowID: 1, feedTitle: testCase.feed, category: testCase.category, entry: entry)
        let tags = matcher.tags(for: stored).map { "\($0.service):\($0.strength.rawValue)" }.sorted()
        #expect(tags == testCase.expected.sorted())
    }

    @Test func aServiceCanTurnOffItsBareName() {
        let services = [Service(name: "Spring", aliases: ["Spring Framework"], matchName: false)]
        let matcher = Matcher(services: services)
        func tags(_ title: String, advisories: [String] = []) -> [String] {
            let entry = FeedEntry(id: title, title: title, advisories: advisories)
            return matcher.tags(for: StoredEntry(rowID: 1, feedTitle: "F", category: .security, entry: entry))
                .map { "\($0.service):\($0.strength.rawValue)" }
        }
        #expect(tags("Spring cleaning: rotate your keys") == [])
        #expect(tags("Spring Framework 6.1.5 fixes a redirect") == ["Spring:subject"])
        #expect(tags("[org.example:spring] Spring allows traversal", advisories: ["GHSA-1234-5678-9abc"]) == ["Spring:subject"])
    }

    @Test func inventoryNamesThatAreWordsOrShortAreWarnedAbout() {
        let go = NameWarnings.warnings(for: Service(name: "Go", aliases: ["golang"]))
        #expect(go.count == 1)
        #expect(go.first?.contains("\"Go\" is also a common word or name") == true)
        #expect(go.first?.contains("match_name = false") == true)
        let short = NameWarnings.warnings(for: Service(name: "Elastic Kubernetes Service", aliases: ["EKS"]))
        #expect(short == ["Elastic Kubernetes Service: \"EKS\" has three letters or fewer and may name other things; "
            + "add an exclude for what it wrongly matches (bulletin explain shows it)"])
        #expect(NameWarnings.warnings(for: Service(name: "PostgreSQL", aliases: ["Postgres"])).isEmpty)
        #expect(NameWarnings.warnings(for: Service(name: "Go", aliases: ["golang"], matchName: false)).isEmpty)
    }

    @Test func aServicesPurlNamesItsPackageWhateverItsName() {
        let services = [Service(name: "Payments SDK", purls: ["pkg:npm/%40acme/payments@3.2.0"]),
                        Service(name: "Logging", purls: ["pkg:maven/org.apache.logging.log4j/log4j-core"]),
                        Service(name: "Runtime", purls: ["pkg:golang/github.com/containerd/containerd"])]
        let matcher = Matcher(services: services)
        func tags(_ title: String) -> [String] {
            let entry = FeedEntry(id: title, title: title, advisories: ["GHSA-2222-3333-4444"])
            return matcher.tags(for: StoredEntry(rowID: 1, feedTitle: "F", category: .security, entry: entry))
                .map { "\($0.service):\($0.strength.rawValue):\($0.rule)" }
        }
        #expect(tags("[@acme/payments] Payments leaks card numbers")
            == ["Payments SDK:subject:GitHub advisory package: @acme/payments (purl)"])
        #expect(tags("[org.apache.logging.log4j:log4j-core] JNDI lookup")
            == ["Logging:subject:GitHub advisory package: org.apache.logging.log4j:log4j-core (purl)"])
        #expect(tags("[github.com/containerd/containerd/v2] CRI leak")
            == ["Runtime:subject:GitHub advisory package: github.com/containerd/containerd/v2 (purl)"])
        #expect(tags("[@acme/payments-ui] UI bug") == [])
        #expect(PackageURL.identity("pkg:npm/%40acme/payments@3.2.0?arch=x#sub") == "@acme/payments")
        #expect(PackageURL.identity("not a purl") == nil)
        #expect(PackageURL.identity("pkg:npm") == nil)
    }

    /// `explain` says which repository a commit or a release is of, and why the rest are mentions.
    @Test func aCommitsRulesNameItsRepository() {
        let matcher = Matcher(services: Self.inventory)
        let entry = FeedEntry(id: "c", title: "lib: free the OpenSSL context on error",
                              link: "https://github.com/curl/curl/commit/9b1e7d0")
        let rules = matcher.tags(for: StoredEntry(rowID: 1, feedTitle: "F", category: .announcements, entry: entry))
            .map { "\($0.service):\($0.rule)" }.sorted()
        #expect(rules == ["OpenSSL:named in a commit of another project", "curl:GitHub commit of github.com/curl/curl"])
    }

    @Test func theRuleIsRecordedForExplainAndExport() throws {
        let matcher = Matcher(services: Self.inventory)
        let entry = FeedEntry(id: "a", title: "ALAS-2024-1234 (important): kernel", advisories: ["ALAS-2024-1234"])
        let tags = matcher.tags(for: StoredEntry(rowID: 7, feedTitle: "ALAS", category: .security, entry: entry))
        let rules = Dictionary(uniqueKeysWithValues: tags.map { ($0.service, $0.rule) })
        #expect(rules["Amazon Linux"] == "ALAS id: Amazon Linux")
        #expect(rules["Linux kernel"] == "ALAS package: kernel")
        let kernel = try #require(tags.first { $0.service == "Linux kernel" })
        #expect(kernel.field == "title" && kernel.position == 28 && kernel.length == 6)
    }

    @Test func explainSaysWhyAWordWasNotAName() throws {
        let matcher = Matcher(services: Self.inventory)
        let entry = FeedEntry(id: "a", title: "Bug in types.go", summary: "Where do we go now?")
        let verdicts = matcher.explain(StoredEntry(rowID: 1, feedTitle: "F", category: .security, entry: entry))
        let go = try #require(verdicts.first { $0.service == "Go" })
        guard case .notAName(let hit, let reason) = go.outcome else {
            Issue.record("expected not a name, got \(go.outcome)")
            return
        }
        #expect(reason == "inside a file name")
        #expect(hit.field == "title")
    }
}
