// Deterministic, realistic bulletins for the store benchmark.
//
// Real bulletin text has a large vocabulary in which a few words are common and most are
// rare: in the shared corpus's security feeds, "openssl" is in under 1% of the entries,
// "denial of service" in about 12%, "SQL injection" and "prototype" under 1%. So packages,
// flaw classes, AWS services and the words that describe a flaw are drawn with Zipf-like
// weights from long lists (thousands of package names, most of them made up from syllables),
// and the summary sentences vary. Same seed, same entries.
import FoundationEssentials
import Models

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

/// Values drawn with weight 1 / (rank + offset): a few common, a long tail of rare ones.
struct Zipf<Value: Sendable>: Sendable {
    let values: [Value]
    private let cumulative: [Double]

    init(_ values: [Value], offset: Double = 10) {
        self.values = values
        var total = 0.0
        cumulative = values.indices.map { rank in
            total += 1 / (Double(rank + 1) + offset)
            return total
        }
    }

    func pick(_ random: inout Random) -> Value {
        let target = Double(random.next() >> 11) / Double(1 << 53) * cumulative[cumulative.count - 1]
        var (low, high) = (0, cumulative.count - 1)
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return values[low]
    }
}

/// Made-up words from syllables ("tormex", "libvandro"): the long tail of names and terms.
func madeUpWords(_ count: Int, prefixes: [String], seed: UInt64) -> [String] {
    let syllables = ["ba", "cor", "dex", "fi", "gal", "hen", "jo", "kri", "lum", "mex", "nor", "pa", "qui", "ros",
                     "sil", "tor", "ur", "van", "wel", "xen", "yo", "zar", "dro", "pli", "stu", "gra", "mo", "ne"]
    var random = Random(state: seed)
    var seen = Set<String>()
    var words: [String] = []
    while words.count < count {
        let word = random.pick(prefixes) + (0..<(2 + random.below(2))).map { _ in random.pick(syllables) }.joined()
        if seen.insert(word).inserted { words.append(word) }
    }
    return words
}

/// Packages, most common first (the head from real advisory counts, the tail made up).
let packages = Zipf(["linux", "chromium", "firefox", "thunderbird", "php", "python3", "openjdk", "imagemagick",
                     "tensorflow", "kernel", "qemu", "openssl", "wordpress", "mysql", "ruby", "tcpdump", "curl",
                     "nodejs", "postgresql", "xen", "glibc", "webkit2gtk", "samba", "golang", "apache2", "vim",
                     "binutils", "ghostscript", "jenkins", "bind9", "gitlab", "tomcat", "openssh", "nginx", "git",
                     "sudo", "systemd", "redis", "libxml2", "django", "spring", "log4j", "rails", "lodash", "exim4",
                     "postfix", "dovecot", "sqlite3", "xz-utils", "zstd", "docker", "containerd", "runc", "kubernetes",
                     "rust", "emacs", "express", "webpack", "react", "angular", "vue"]
                    + madeUpWords(3000, prefixes: ["", "", "lib", "python-", "node-", "golang-", "ruby-"], seed: 7))
/// Flaw classes, most common first.
let flaws = Zipf(["denial of service", "cross-site scripting", "information disclosure", "out-of-bounds read",
                  "remote code execution", "privilege escalation", "authentication bypass", "buffer overflow",
                  "use-after-free", "path traversal", "memory corruption", "integer overflow", "race condition",
                  "open redirect", "server-side request forgery", "cross-site request forgery",
                  "improper certificate validation", "NULL pointer dereference", "infinite loop",
                  "command injection", "SQL injection", "prototype pollution", "XML external entity injection", "type confusion",
                  "double free", "regular expression denial of service", "HTTP request smuggling",
                  "deserialization of untrusted data", "timing side channel", "uncontrolled recursion"], offset: 2)
/// Where in a package a flaw is: made-up function and component names.
let components = Zipf(madeUpWords(20_000, prefixes: ["", "", "parse_", "read_", "handle_", "x"], seed: 11))
let inputs = ["crafted files", "malformed packets", "specially crafted requests", "long header values",
              "certain archives", "untrusted templates", "nested structures", "invalid certificates", "crafted URLs",
              "certain Unicode strings", "large images", "malicious fonts", "compressed streams", "DNS responses"]
let actors = ["A remote attacker could", "A local attacker could", "An attacker could possibly", "Attackers may",
              "An authenticated user could", "A malicious website could"]
/// What each flaw lets an attacker do (a few flaws share "denial of service" as an outcome).
func outcome(of flaw: String, _ random: inout Random) -> String {
    switch flaw {
    case "denial of service", "regular expression denial of service":
        return "cause a denial of service"
    case "infinite loop", "uncontrolled recursion", "NULL pointer dereference":
        return random.pick(["cause a crash", "exhaust memory", "cause a denial of service"])
    case "buffer overflow", "use-after-free", "out-of-bounds read", "memory corruption", "double free":
        return random.pick(["cause a crash", "execute arbitrary code", "obtain sensitive memory contents"])
    case "remote code execution", "command injection", "deserialization of untrusted data", "type confusion":
        return "execute arbitrary code"
    case "information disclosure", "timing side channel", "XML external entity injection", "path traversal":
        return "obtain sensitive information"
    case "privilege escalation", "race condition":
        return "gain elevated privileges"
    default:
        return random.pick(["bypass security restrictions", "take over user sessions", "modify data",
                            "inject content into pages"])
    }
}

let services = Zipf(["Amazon EC2", "Amazon S3", "AWS Lambda", "Amazon RDS", "Amazon SageMaker", "Amazon EKS",
                     "Amazon CloudWatch", "AWS Glue", "Amazon Aurora", "Amazon Connect", "AWS IAM", "Amazon Bedrock",
                     "Amazon DynamoDB", "Amazon CloudFront", "AWS Fargate", "Amazon ECS", "Amazon QuickSight",
                     "AWS Systems Manager", "Amazon Redshift", "AWS Backup", "Amazon OpenSearch Service",
                     "AWS Config", "Amazon MSK", "AWS Step Functions", "Amazon VPC", "AWS Organizations",
                     "Amazon Kinesis", "AWS CloudFormation", "Amazon ElastiCache", "AWS Security Hub",
                     "Amazon GuardDuty", "AWS Direct Connect", "Amazon Route 53", "Amazon Athena", "AWS Transfer Family"],
                    offset: 3)
let features = ["IPv6", "Graviton4 instances", "private endpoints", "encryption by default", "cross-account access",
                "resource tagging", "a new console experience", "higher quotas", "AWS PrivateLink", "FIPS endpoints",
                "cost allocation tags", "zero-ETL integrations", "larger instance sizes", "point-in-time recovery"]
let regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "eu-central-1", "us-west-2", "sa-east-1", "ap-south-1",
               "ca-central-1", "me-south-1", "af-south-1", "eu-north-1", "ap-northeast-3"]
let feedKinds = ["Ubuntu security notices", "Debian security advisories", "Amazon Linux ALAS", "GitHub advisories",
                 "Red Hat errata", "SUSE updates", "Fedora updates", "What's New with AWS", "AWS Security Bulletins",
                 "Vendor blog"]

func cve(_ random: inout Random) -> String {
    let year = 2015 + random.below(11)
    return "CVE-\(year)-\(1000 + random.below(30_000))"
}

func entry(_ random: inout Random, feed: Int, index: Int, kind: String) -> FeedEntry {
    let number = feed * 1000 + index
    let published = Date(timeIntervalSince1970: 1_420_070_400 + Double(random.below(11 * 365 * 86_400)))
    let link = "https://example.com/\(feed)/\(index)"
    if kind == "What's New with AWS" {
        let service = services.pick(&random), feature = random.pick(features), region = random.pick(regions)
        let title = "\(service) now supports \(feature) in \(region)"
        let summary = "\(service) now supports \(feature). With this launch, customers can use "
            + "\(components.pick(&random)) and \(components.pick(&random)) settings to \(random.pick(["simplify", "automate", "secure", "scale"])) "
            + "their workloads. This feature is available in \(region) and \(random.pick(regions)). "
            + "To learn more, see the \(service) documentation."
        return FeedEntry(id: "urn:bench:\(feed):\(index)", title: title, link: link, published: published,
                         summary: summary)
    }
    let package = packages.pick(&random)
    let flaw = flaws.pick(&random)
    var advisories = (0..<(1 + random.below(3))).map { _ in cve(&random) }
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
    default:
        title = "[\(package)] \(package.capitalized) vulnerable to \(flaw)"
    }
    let component = components.pick(&random)
    var summary = random.pick([
        "It was discovered that \(package) incorrectly handled \(random.pick(inputs)) in \(component), leading to \(flaw). ",
        "A \(flaw) issue was found in the \(component) code of \(package). ",
        "\(package.capitalized) before version \(1 + random.below(9)).\(random.below(30)) is affected by \(flaw) in \(component). ",
        "Several security issues were fixed in \(package), among them \(flaw) when processing \(random.pick(inputs)). ",
    ])
    summary += "\(random.pick(actors)) use this issue to \(outcome(of: flaw, &random)). "
    if random.below(3) == 0 {
        summary += "The flaw is in \(components.pick(&random)) and \(components.pick(&random)). "
    }
    for id in advisories where id.hasPrefix("CVE") { summary += "(\(id)) " }
    let version = "\(1 + random.below(9)).\(random.below(30)).\(random.below(20))"
    summary += random.pick(["Update \(package) to version \(version) or later.", "Fixed in \(version).",
                            "Upgrade to \(package) \(version).", "Patches are available."])
    return FeedEntry(id: "urn:bench:\(feed):\(index)", title: title, link: link, published: published,
                     summary: summary, advisories: advisories)
}
