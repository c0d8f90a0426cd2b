import FoundationEssentials
import Fetching
import Matching
import Models
import Parsing
import Storage

/// A fetch made ready to store by a worker: its body compared with the last one and
/// parsed. Needs no database, so workers make them on their own threads.
struct ExaminedFetch: Sendable {
    enum Outcome: Sendable {
        /// 304 Not Modified.
        case notModified
        /// A 200 whose body is the one stored before: its validators, to keep.
        case unchanged(status: Int, etag: String?, lastModified: String?)
        case parsed(DocumentFetch)
        /// Not fetched, or fetched and not parsed (then with the document, to keep).
        case failed(error: String, status: Int?, gone: Bool, retryAfter: Double?, document: RawDocument?)
    }

    var request: FetchRequest
    var outcome: Outcome
    /// See `FetchResult.movedTo`.
    var movedTo: String?
    /// Bytes received, as they travelled.
    var bytes: Int
    /// The bytes of its body held in the refresh's `FetchWindow` until it is stored.
    var heldBytes = 0
    /// Why a parsed feed may miss entries (`ParsedFeed.missingEntries`): stored, and
    /// reported as a warning.
    var warning: String?

    var source: FeedSource { request.source }
}

/// Tags and assessments of some stored entries, to save.
struct EntryTagging: Sendable {
    var tags: [EntryTag] = []
    var assessments: [Assessment] = []
}

/// The work of a refresh that needs no database, done on worker threads while the
/// network and the store are busy: parsing what was fetched, tagging what was stored.
struct RefreshWorker: Sendable {
    var parser = FeedParser()
    /// The checksum of each feed's last parsed body, by catalog URL.
    var checksums: [String: String]
    var matcher: Matcher
    var assessor: Assessor
    /// The time a document is fetched at.
    var clock: @Sendable () -> Date

    func examine(_ result: FetchResult) -> ExaminedFetch {
        var examined = ExaminedFetch(request: result.request, outcome: .notModified, movedTo: result.movedTo,
                                     bytes: result.bytes)
        switch result.outcome {
        case .notModified:
            break
        case .failed(let error):
            examined.outcome = .failed(error: error.description, status: error.status, gone: error.isGone,
                                       retryAfter: error.retryAfter, document: nil)
        case .fetched(let document):
            (examined.outcome, examined.warning) = examine(document, of: result.request.source)
        }
        return examined
    }

    private func examine(_ document: FetchedDocument, of source: FeedSource) -> (ExaminedFetch.Outcome, String?) {
        let checksum = BodyChecksum.of(document.body)
        if BodyChecksum.matches(checksums[source.url], document.body, current: checksum) {
            return (.unchanged(status: document.status, etag: document.etag, lastModified: document.lastModified), nil)
        }
        let raw = RawDocument(url: document.finalURL, fetchedAt: clock(), status: document.status,
                              headers: document.headers, body: document.body)
        do {
            let parsed = try parser.parse(document.body, url: document.finalURL, encoding: document.charset)
            let feed = FetchedFeed(source: source, entries: parsed.entries, status: document.status,
                                   etag: document.etag, lastModified: document.lastModified)
            // Compressed here, on the worker (unless it came gzip-encoded): the store's thread only writes it.
            return (.parsed(DocumentFetch(feed: feed, document: raw.compressed(reusing: document.gzipBody),
                                          checksum: checksum)),
                    parsed.missingEntries.map { "parse: \(document.finalURL): some entries may be missing: \($0)" })
        } catch {
            return (.failed(error: error.description, status: document.status, gone: false, retryAfter: nil,
                            document: raw), nil)
        }
    }

    /// Ties entries to the inventory's services and assesses their severity and known exploitation.
    func tag(_ entries: ArraySlice<StoredEntry>) -> EntryTagging {
        EntryTagging(tags: matcher.tags(for: entries), assessments: entries.map(assessor.assess))
    }
}
