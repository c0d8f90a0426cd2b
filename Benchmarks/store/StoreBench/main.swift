// The store benchmark's Swift half (driven by Benchmarks/store/bench.py):
//   StoreBench generate DB [ENTRIES]   fill a fresh DB with deterministic, realistic entries
//   StoreBench query DB QUERY…         time each query in process (the query alone)
//   StoreBench plan DB QUERY…          print how SQLite runs each query (EXPLAIN QUERY PLAN)
// Prints one JSON object per line.
import FoundationEssentials
import Models
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// A deterministic generator (SplitMix64): the same entries on every run.
struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
}

let packages = ["openssl", "nginx", "apache2", "curl", "glibc", "linux", "kernel", "python3", "nodejs", "postgresql",
                "mysql", "redis", "xz-utils", "zstd", "libxml2", "sqlite3", "bind9", "openssh", "sudo", "systemd",
                "firefox", "thunderbird", "chromium", "php8.2", "ruby", "golang", "rust", "docker", "containerd", "runc",
                "kubernetes", "git", "vim", "emacs", "samba", "exim4", "postfix", "dovecot", "tomcat", "jenkins",
                "log4j", "spring", "django", "rails", "express", "lodash", "webpack", "react", "angular", "vue"]
let classes = ["denial of service", "remote code execution", "privilege escalation", "information disclosure",
               "buffer overflow", "use-after-free", "cross-site scripting", "SQL injection", "path traversal",
               "server-side request forgery", "integer overflow", "out-of-bounds read", "prototype pollution",
               "authentication bypass", "memory corruption", "race condition", "XML external entity injection"]
let verbs = ["A remote attacker could", "A local user could", "An attacker could possibly", "Attackers may"]
let outcomes = ["cause a denial of service", "execute arbitrary code", "obtain sensitive information",
                "escalate privileges", "bypass security restrictions", "corrupt memory"]
let services = ["Amazon EC2", "AWS Lambda", "Amazon S3", "Amazon RDS", "Amazon EKS", "AWS IAM", "Amazon CloudFront",
                "Amazon DynamoDB", "AWS Glue", "Amazon SageMaker", "Amazon Aurora", "AWS Fargate"]
let regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "eu-central-1", "us-west-2", "sa-east-1"]
let feedKinds = ["Ubuntu security notices", "Debian security advisories", "Amazon Linux ALAS", "GitHub advisories",
                 "Red Hat errata", "SUSE updates", "Fedora updates", "What's New with AWS", "AWS Security Bulletins",
                 "Vendor blog"]

func cve(_ random: inout Random) -> String {
    let year = 2015 + random.below(11)
    return "CVE-\(year)-\(1000 + random.below(30_000))"
}

func entry(_ random: inout Random, feed: Int, index: Int, kind: String) -> FeedEntry {
    let package = random.pick(packages)
    let flaw = random.pick(classes)
    var advisories = (0..<(1 + random.below(3))).map { _ in cve(&random) }
    let number = feed * 1000 + index
    let title: String
    switch kind {
    case "Ubuntu security notices":
        title = "USN-\(number)-1: \(package) vulnerabilities"
        advisories.insert("USN-\(number)-1", at: 0)
    case "Debian security advisories":
        title = "[SECURITY] [DSA \(number)-1] \(package) security update"
        advisories.insert("DSA-\(number)-1", at: 0)
    case "Amazon Linux ALAS":
        title = "ALAS-\(2015 + random.below(11))-\(number) (\(random.pick(["low", "medium", "important", "critical"]))): \(package)"
    case "What's New with AWS":
        title = "\(random.pick(services)) now supports \(random.pick(["IPv6", "Graviton4", "private endpoints", "encryption by default", "cross-account access"])) in \(random.pick(regions))"
        advisories = []
    default:
        title = "[\(package)] \(package.capitalized) vulnerable to \(flaw)"
    }
    var summary = "Several security issues were fixed in \(package). It was discovered that \(package) "
        + "incorrectly handled certain inputs, which led to \(flaw). \(random.pick(verbs)) "
        + "use this issue to \(random.pick(outcomes)). "
    for id in advisories where id.hasPrefix("CVE") { summary += "(\(id)) " }
    summary += "Update \(package) to version \(1 + random.below(9)).\(random.below(30)).\(random.below(20)) or later."
    let published = Date(timeIntervalSince1970: 1_420_070_400 + Double(random.below(11 * 365 * 86_400)))
    return FeedEntry(id: "urn:bench:\(feed):\(index)", title: title, link: "https://example.com/\(feed)/\(index)",
                     published: published, summary: summary, advisories: advisories)
}

/// CPU seconds (user + system) this process has used so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: StoreBench generate DB [ENTRIES] | StoreBench query|plan DB QUERY…")
    exit(2)
}
let path = arguments[2]
let clock = ContinuousClock()

if arguments[1] == "generate" {
    let total = arguments.count > 3 ? Int(arguments[3]) ?? 1_000_000 : 1_000_000
    let perFeed = 1000
    let store = try Store(path: path)
    var random = Random(state: 42)
    var tags: [EntryTag] = []
    // Only the store's work is timed, not the generation of the entries.
    var storing = Duration.zero
    var cpu = 0.0
    for feed in 0..<(total / perFeed) {
        let kind = feedKinds[feed % feedKinds.count]
        let source = FeedSource(title: "\(kind) \(feed)", url: "https://feeds.example.com/\(feed).xml",
                                category: kind.hasPrefix("What's New") ? .announcements : .security)
        let entries = (0..<perFeed).map { entry(&random, feed: feed, index: $0, kind: kind) }
        let (started, cpuStarted) = (clock.now, cpuSeconds())
        let new = try store.storeFetch(of: source, entries: entries, status: 200, etag: nil, lastModified: nil)
        storing += clock.now - started
        cpu += cpuSeconds() - cpuStarted
        // About 3% of the entries concern a service of the inventory.
        for stored in new where random.below(33) == 0 {
            let name = packages.first { stored.entry.title?.contains($0) == true } ?? "openssl"
            tags.append(EntryTag(entryRowID: stored.rowID, service: name, alias: name, field: "title"))
        }
    }
    let started = clock.now
    try store.addTags(tags)
    storing += clock.now - started
    let seconds = milliseconds(storing) / 1000
    let size = try store.fileSize()
    print("{\"entries\": \(total), \"seconds\": \(seconds), \"rate\": \(Int(Double(total) / seconds)), "
        + "\"cpu_seconds\": \(cpu), \"cpu_rate\": \(Int(Double(total) / cpu)), "
        + "\"bytes\": \(size), \"tags\": \(tags.count)}")
} else if arguments[1] == "plan" {
    let store = try Store(path: path)
    for text in arguments.dropFirst(3) {
        print(text)
        for line in try store.searchPlan(try SearchQuery(parsing: text)) { print("  " + line) }
    }
} else if arguments[1] == "query" {
    let store = try Store(path: path)
    for text in arguments.dropFirst(3) {
        let query = try SearchQuery(parsing: text)
        var times: [Double] = []
        var count = 0
        for _ in 0..<5 {
            let started = clock.now
            count = try store.search(query, limit: 20).count
            times.append(milliseconds(clock.now - started))
        }
        times.sort()
        print("{\"median_ms\": \(times[2]), \"results\": \(count)}")
    }
}
