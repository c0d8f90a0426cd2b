import Foundation
import Models
@testable import Storage

/// A small store of bulletins as three distributions and AWS report them: the xz backdoor
/// (CVE-2024-3094) in three feeds, OpenSSL and nginx advisories, an announcement.
struct SampleBulletins {
    static let aws = FeedSource(title: "AWS Security Bulletins", url: "https://aws.example/bulletins.rss", category: .security)
    static let ubuntu = FeedSource(title: "Ubuntu security notices", url: "https://ubuntu.example/usn.rss", category: .security)
    static let debian = FeedSource(title: "Debian DSA", url: "https://debian.example/dsa.rdf", category: .security)
    static let whatsNew = FeedSource(title: "What's New with AWS", url: "https://aws.example/new.rss", category: .announcements)

    static func day(_ text: String) -> Date {
        Date(timeIntervalSince1970: TimeInterval(DateBound(text)!.start(now: Date())))
    }

    static let entries: [(FeedSource, FeedEntry)] = [
        (aws, FeedEntry(id: "aws-2024-002", title: "Backdoor in XZ Utils liblzma (CVE-2024-3094)",
                        link: "https://aws.example/2024-002", published: day("2024-03-29"),
                        summary: "Malicious code was found in the upstream xz tarballs.", advisories: ["CVE-2024-3094"])),
        (ubuntu, FeedEntry(id: "USN-6719-1", title: "USN-6719-1: XZ Utils vulnerability",
                           link: "https://ubuntu.example/USN-6719-1", published: day("2024-03-30"),
                           summary: "It was discovered that XZ Utils contained a backdoor (CVE-2024-3094).",
                           advisories: ["USN-6719-1", "CVE-2024-3094"])),
        (debian, FeedEntry(id: "DSA-5649-1", title: "[DSA 5649-1] xz-utils security update",
                           link: "https://debian.example/DSA-5649-1", published: day("2024-03-29"),
                           summary: "Andres Freund discovered that the upstream xz source tarballs were compromised.",
                           advisories: ["DSA-5649-1", "CVE-2024-3094"])),
        (ubuntu, FeedEntry(id: "USN-6543-1", title: "USN-6543-1: OpenSSL vulnerabilities",
                           link: "https://ubuntu.example/USN-6543-1", published: day("2023-12-05"),
                           summary: "Several denial of service issues were fixed in OpenSSL.",
                           advisories: ["USN-6543-1", "CVE-2023-5678"])),
        (debian, FeedEntry(id: "DSA-5500-1", title: "[DSA 5500-1] nginx security update",
                           link: "https://debian.example/DSA-5500-1", published: day("2023-10-10"),
                           summary: "nginx could be made to cause a denial of service through HTTP/2 rapid reset.",
                           advisories: ["DSA-5500-1", "CVE-2023-44487"])),
        (whatsNew, FeedEntry(id: "ec2-graviton4", title: "Amazon EC2 now supports Graviton4",
                             link: "https://aws.example/new/graviton4", published: day("2024-07-09"),
                             summary: "Announcing general availability of R8g instances.")),
        (aws, FeedEntry(id: "aws-2022-001", title: "OpenSSL service denial on Windows hosts",
                        link: "https://aws.example/2022-001", published: day("2022-05-01"),
                        summary: "A crafted certificate makes OpenSSL on Windows stop.", advisories: ["CVE-2022-0778"])),
    ]

    let store: Store
    /// Row ids by entry id.
    let rowIDs: [String: Int64]

    /// Stores the entries, each feed in one fetch, and tags the OpenSSL and nginx ones.
    init(store: Store) throws {
        self.store = store
        var rowIDs: [String: Int64] = [:]
        for feed in [Self.aws, Self.ubuntu, Self.debian, Self.whatsNew] {
            let entries = Self.entries.filter { $0.0 == feed }.map(\.1)
            for stored in try store.storeFetch(of: feed, entries: entries, status: 200, etag: nil, lastModified: nil) {
                rowIDs[stored.entry.id] = stored.rowID
            }
        }
        self.rowIDs = rowIDs
        try store.addTags([
            EntryTag(entryRowID: rowIDs["USN-6543-1"]!, service: "openssl", alias: "OpenSSL", field: "title"),
            EntryTag(entryRowID: rowIDs["DSA-5500-1"]!, service: "nginx", alias: "nginx", field: "title"),
        ])
    }

    /// The entry ids `text` finds, in result order.
    func search(_ text: String, limit: Int = 20) throws -> [String] {
        try store.search(SearchQuery(parsing: text), limit: limit).map(\.entryID)
    }
}
