import FoundationEssentials
import Delivery
import Digest
import Fetching
import Matching
import Models
import Parsing
import Storage

/// Wires the stages together: fetch → parse → store → tag → digest → deliver.
/// Holds no logic of its own beyond the order of the stages and what they report.
struct Pipeline {
    let configuration: Configuration
    let console: Console
    var fetcher: FeedFetcher
    var parser = FeedParser()

    init(configuration: Configuration, console: Console) {
        self.configuration = configuration
        self.console = console
        fetcher = FeedFetcher(options: configuration.fetchOptions)
    }

    /// What one refresh did.
    struct RefreshReport {
        var changed = 0
        var unchanged = 0
        var failures: [(feed: FeedSource, reason: String)] = []
        var newEntries: [StoredEntry] = []
    }

    /// Opens the database, creating its directory when missing.
    func openStore() throws -> Store {
        let path = configuration.databasePath
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try FileManager.default.createDirectory(atPath: String(path[..<slash]), withIntermediateDirectories: true)
        }
        return try Store(path: path)
    }

    /// Fetches `feeds`, parses what changed and stores the entries. A feed that fails is
    /// reported and recorded; the others go on.
    func refresh(_ feeds: [FeedSource], into store: Store) throws -> RefreshReport {
        var report = RefreshReport()
        var storeError: (any Error)?
        let requests = try feeds.map { feed in
            let validators = try store.validators(for: feed.url)
            return FetchRequest(source: feed, etag: validators.etag, lastModified: validators.lastModified)
        }
        try fetcher.fetch(requests) { request, outcome in
            guard storeError == nil else { return }
            let feed = request.source
            do {
                switch outcome {
                case .notModified:
                    report.unchanged += 1
                    try store.storeNotModified(feed)
                    console.detail("\(feed.title): not modified")
                case .failed(let error):
                    report.failures.append((feed, error.description))
                    try store.storeFailure(of: feed, status: error.status, error: error.description)
                case .fetched(let document):
                    do {
                        let parsed = try parser.parse(document.body, url: document.finalURL, encoding: document.charset)
                        let new = try store.storeFetch(of: feed, entries: parsed.entries, status: document.status,
                                                       etag: document.etag, lastModified: document.lastModified)
                        report.changed += 1
                        report.newEntries += new
                        console.detail("\(feed.title): \(parsed.entries.count) entries, \(new.count) new")
                    } catch let error as ParseError {
                        report.failures.append((feed, error.description))
                        try store.storeFailure(of: feed, status: document.status, error: error.description)
                    }
                }
            } catch {
                storeError = error
            }
        }
        if let storeError { throw storeError }
        for failure in report.failures {
            console.warning("\(failure.reason) (feed '\(failure.feed.title)')")
        }
        return report
    }

    /// Tags entries against the inventory, assesses their severity and known exploitation,
    /// and stores both.
    func tag(_ entries: [StoredEntry], in store: Store) throws -> [EntryTag] {
        let tags = Matcher(services: configuration.services).tags(for: entries)
        let assessor = Assessor(knownExploited: try store.kevIDs())
        try store.saveTags(tags, assessments: entries.map(assessor.assess))
        return tags
    }

    /// Sends each channel the digest of what it has not had yet (see `DigestDelivery`).
    func deliver(from store: Store, _ request: DeliveryRequest = DeliveryRequest()) throws -> [DeliveryOutcome] {
        try DigestDelivery(configuration: configuration, console: console).deliver(from: store, request)
    }
}
