import Fetching
import Foundation
import Models
import TestSupport
import Testing

/// The fetcher against a real HTTP server on 127.0.0.1: every way a feed server can
/// answer, misbehave or attack.
@Suite struct FeedFetcherTests {
    let directory: TemporaryDirectory
    let feedFile: String
    let feedBytes: [UInt8]

    init() throws {
        directory = try TemporaryDirectory()
        feedFile = TestPaths.fixture("feeds/rss2-critical-release-cdata-html.rss").path
        feedBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: feedFile)))
    }

    private func fetch(_ server: FeedServer, _ path: String, etag: String? = nil, lastModified: String? = nil,
                       options: FetchOptions = FetchOptions()) throws -> FetchResult {
        let request = FetchRequest(source: FeedSource(title: path, url: server.url(path), category: .security),
                                   etag: etag, lastModified: lastModified)
        var results: [FetchResult] = []
        try FeedFetcher(options: options).fetch([request]) { results.append($0) }
        try #require(results.count == 1)
        return results[0]
    }

    private func document(_ result: FetchResult) throws -> FetchedDocument {
        guard case .fetched(let document) = result.outcome else {
            throw UnexpectedOutcome(outcome: result.outcome)
        }
        return document
    }

    private func error(_ result: FetchResult) throws -> FetchError {
        guard case .failed(let error) = result.outcome else {
            throw UnexpectedOutcome(outcome: result.outcome)
        }
        return error
    }

    @Test func aConditionalRequestSendsTheValidatorsBackAndGets304() throws {
        let server = try FeedServer(routes: ["/feed": feedFile])
        let first = try document(try fetch(server, "/feed"))
        #expect(first.body == feedBytes)
        let etag = try #require(first.etag)
        let second = try fetch(server, "/feed", etag: etag, lastModified: first.lastModified)
        guard case .notModified = second.outcome else { Issue.record("expected 304, got \(second.outcome)"); return }
        let requests = try server.requests()
        #expect(requests.count == 2)
        #expect(requests[1].headers["if-none-match"] == etag)
        #expect(requests[1].headers["if-modified-since"] == first.lastModified)
        #expect(requests[0].headers["if-none-match"] == nil)
    }

    @Test func aWeakETagOfAGzippedFeedIsKeptAndSentBackByteForByte() throws {
        let server = try FeedServer(routes: ["/gz": "gzip:" + feedFile])
        let first = try fetch(server, "/gz")
        let document = try document(first)
        #expect(document.body == feedBytes)  // decoded transparently
        #expect(document.etag?.hasPrefix("W/\"") == true)
        #expect(first.bytes < feedBytes.count)  // it travelled compressed
        let second = try fetch(server, "/gz", etag: document.etag)
        guard case .notModified = second.outcome else { Issue.record("expected 304, got \(second.outcome)"); return }
        let sent = try server.requests()
        #expect(sent[1].headers["if-none-match"] == document.etag)
        // gzip alone is asked for: the fetcher decodes it, and keeps the body as it came.
        #expect(sent[0].headers["accept-encoding"] == "gzip")
        let gzip = try #require(document.gzipBody)
        #expect(gzip.count < feedBytes.count && gzip.prefix(2) == [0x1F, 0x8B])
        #expect(sent[0].headers["user-agent"]?.hasPrefix("Bulletin") == true)
    }

    @Test func aPlainBodyHasNoGzipForm() throws {
        let server = try FeedServer(routes: ["/feed": feedFile])
        #expect(try document(try fetch(server, "/feed")).gzipBody == nil)
    }

    /// A body whose encoding cannot be read, or that is not the one it claims, fails the
    /// feed with the reason; a gzip body larger decoded than allowed fails like any other.
    @Test(arguments: [("coded:br:", "content encoding 'br' not supported (only gzip was asked for)"),
                      ("coded:gzip:", "content encoding gzip: not gzip data (no 1f 8b signature)"),
                      ("coded:identity:", nil)] as [(String, String?)])
    func aBodyInAnEncodingNotAskedForFails(route: String, reason: String?) throws {
        let server = try FeedServer(routes: ["/coded": route + feedFile])
        let result = try fetch(server, "/coded")
        if let reason {
            #expect(try error(result).reason == reason)
        } else {
            #expect(try document(result).body == feedBytes)
        }
    }

    @Test func permanentRedirectsMoveTheFeedAndATemporaryOneEndsTheMove() throws {
        let server = try FeedServer(routes: [
            "/301": "redirect:301:/308", "/308": "redirect:308:/feed", "/feed": feedFile,
            "/302": "redirect:302:/feed", "/301-302": "redirect:301:/302",
        ])
        let permanent = try fetch(server, "/301")
        #expect(try document(permanent).body == feedBytes)
        #expect(permanent.movedTo == server.url("/feed"))
        #expect(try fetch(server, "/302").movedTo == nil)
        #expect(try fetch(server, "/301-302").movedTo == server.url("/302"))
    }

    @Test func aPermanentRedirectToAFailureMovesNothing() throws {
        let server = try FeedServer(routes: ["/301": "redirect:301:/missing"])
        let result = try fetch(server, "/301")
        #expect(try error(result).status == 404)
        #expect(result.movedTo == nil)
    }

    @Test(arguments: [
        (["/a": "redirect:302:/b", "/b": "redirect:302:/a"], "/a", "Maximum (5) redirects followed"),
        (["/a": "redirect:301:/a"], "/a", "Maximum (5) redirects followed"),
        (["/file": "redirect:302:file:///etc/passwd"], "/file", "Protocol \"file\" not supported"),
        (["/gopher": "redirect:301:gopher://127.0.0.1/"], "/gopher", "Protocol \"gopher\" not supported"),
    ] as [([String: String], String, String)])
    func redirectLoopsAndNonWebTargetsFail(routes: [String: String], path: String, reason: String) throws {
        let server = try FeedServer(routes: routes)
        let result = try fetch(server, path)
        let failure = try error(result)
        #expect(failure.reason.contains(reason), "\(failure.reason)")
        #expect(failure.url == server.url(path))
        #expect(result.movedTo == nil)
    }

    @Test(arguments: [(404, false), (410, true), (500, false)] as [(Int, Bool)])
    func anErrorStatusIsAFailureNamingTheURLAndStatus(status: Int, gone: Bool) throws {
        let server = try FeedServer(routes: ["/x": "status:\(status)"])
        let failure = try error(try fetch(server, "/x"))
        #expect(failure.description == "fetch: \(server.url("/x")): HTTP \(status)")
        #expect(failure.status == status)
        #expect(failure.isGone == gone)
        #expect(failure.retryAfter == nil)
    }

    @Test func retryAfterIsReadAsSecondsOrAsADateOn429And503() throws {
        let inTwoHours = Date().addingTimeInterval(7200)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let server = try FeedServer(routes: [
            "/429": "retry:429:120", "/503": "retry:503:" + formatter.string(from: inTwoHours),
            "/500": "retry:500:120", "/junk": "retry:429:soon",
        ])
        #expect(try error(try fetch(server, "/429")).retryAfter == 120)
        let date = try #require(try error(try fetch(server, "/503")).retryAfter)
        #expect(abs(date - 7200) < 5)
        #expect(try error(try fetch(server, "/500")).retryAfter == nil)  // only 429 and 503 ask to wait
        #expect(try error(try fetch(server, "/junk")).retryAfter == nil)
    }

    @Test func aTruncatedBodyIsAFailure() throws {
        let server = try FeedServer(routes: ["/t": "truncated:" + feedFile])
        #expect(try error(try fetch(server, "/t")).reason.contains("transfer closed"))
    }

    @Test(arguments: [("sized:200000", "download larger than 100000 bytes (Content-Length)"),
                      ("chunked:200000", "download larger than 100000 bytes"),
                      ("bomb:50000000", "body larger than 1000000 bytes")] as [(String, String)])
    func anOversizedBodyStopsTheTransfer(route: String, reason: String) throws {
        let server = try FeedServer(routes: ["/big": route])
        var options = FetchOptions()
        options.maxDownloadBytes = 100_000
        options.maxBodyBytes = 1_000_000
        let result = try fetch(server, "/big", options: options)
        #expect(try error(result).reason == reason)
        #expect(result.bytes < 1_000_000)
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        let server = try FeedServer(routes: ["/hang": "hang", "/feed": feedFile])
        var options = FetchOptions()
        options.timeout = 1
        let requests = ["/hang", "/feed"].map {
            FetchRequest(source: FeedSource(title: $0, url: server.url($0), category: .security))
        }
        var results: [String: FetchOutcome] = [:]
        let started = Date()
        try FeedFetcher(options: options).fetch(requests) { results[$0.request.url] = $0.outcome }
        #expect(Date().timeIntervalSince(started) < 10)
        guard case .failed(let error) = results[server.url("/hang")] else { Issue.record("no timeout"); return }
        #expect(error.reason.contains("timed out"), "\(error.reason)")
        guard case .fetched = results[server.url("/feed")] else { Issue.record("the other feed suffered"); return }
    }

    @Test func feedsAreFetchedAtOnceWithinThePerHostLimit() throws {
        let paths = (1...8).map { "/f\($0)" }
        let server = try FeedServer(routes: Dictionary(uniqueKeysWithValues: paths.map { ($0, feedFile) }), latency: 300)
        var options = FetchOptions()
        options.perHost = 3
        let requests = paths.map { FetchRequest(source: FeedSource(title: $0, url: server.url($0), category: .security)) }
        var fetched = 0
        try FeedFetcher(options: options).fetch(requests) { if case .fetched = $0.outcome { fetched += 1 } }
        #expect(fetched == 8)
        // How many requests the server was handling at the busiest moment.
        let log = try server.requests()
        let busiest = log.map { request in log.filter { $0.start <= request.start && request.start < $0.end }.count }.max()
        #expect(busiest == 3)
    }
}

struct UnexpectedOutcome: Error {
    let outcome: FetchOutcome
}

@Suite struct FetchPolicyTests {
    @Test(arguments: [("120", 120), ("0", 0), (" 7 ", 7), ("Thu, 01 Jan 1970 00:00:00 GMT", 0),
                      ("Thu, 01 Jan 1970 01:00:00 GMT", 3600 - 1800)] as [(String, Double)])
    func retryAfterValues(value: String, seconds: Double) {
        #expect(RetryAfter.seconds(value, now: Date(timeIntervalSince1970: 1800)) == seconds)
    }

    @Test(arguments: ["", "soon", "-5", "1.5", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 32 Nov 1994 08:49:37 GMT",
                      "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", String(repeating: "9", count: 400)])
    func retryAfterNonsenseIsIgnoredOrBounded(value: String) {
        let seconds = RetryAfter.seconds(value, now: Date(timeIntervalSince1970: 0))
        #expect(seconds == nil || seconds! <= 1e9)
        if value.first?.isNumber != true { #expect(seconds == nil) }
    }

    @Test func backoffDoublesUpToTheCapAndJitterNeverPassesIt() {
        let policy = RetryPolicy()
        #expect(policy.delay(afterFailures: 1, jitter: 1) == 900)
        #expect(policy.delay(afterFailures: 2, jitter: 1) == 1800)
        #expect(policy.delay(afterFailures: 3, jitter: 0.75) == 2700)
        #expect(policy.delay(afterFailures: 10, jitter: 1) == 86_400)
        #expect(policy.delay(afterFailures: 1_000_000, jitter: 1) == 86_400)
        for failures in 1...30 {
            let delay = policy.delay(afterFailures: failures, jitter: RetryPolicy.randomJitter())
            #expect(delay > 0 && delay <= 86_400)
        }
    }

    @Test func retryAfterLengthensTheWaitButNeverPastTheCap() {
        let policy = RetryPolicy()
        #expect(policy.delay(afterFailures: 1, retryAfter: 7200, jitter: 1) == 7200)
        #expect(policy.delay(afterFailures: 1, retryAfter: 60, jitter: 1) == 900)
        #expect(policy.delay(afterFailures: 1, retryAfter: 1e9, jitter: 1) == 86_400)
    }

    @Test func aFeedIsFlaggedOnlyAfterEnoughFailuresInARow() {
        let policy = RetryPolicy()
        #expect(!policy.isFlagged(failures: 2))
        #expect(policy.isFlagged(failures: 3))
    }

    @Test(arguments: [("HTTP://Example.COM:80/Feed?a=1#top", "http://example.com/Feed?a=1"),
                      ("https://example.com:443", "https://example.com/"),
                      ("https://example.com:8443/x", "https://example.com:8443/x"),
                      ("  https://EXAMPLE.com/rss  ", "https://example.com/rss"),
                      ("https://user@Example.com/a#b", "https://user@example.com/a"),
                      ("https://[::1]:443/feed", "https://[::1]/feed"),
                      ("not a url", "not a url")] as [(String, String)])
    func feedURLsAreNormalizedForDuplicates(url: String, normalized: String) {
        #expect(FeedURL.normalized(url) == normalized)
    }

    @Test(arguments: [("https://example.com/feed", true), ("http://x", true), ("file:///etc/passwd", false),
                      ("ftp://example.com/feed", false), ("https://", false), ("http://:80/feed", false),
                      ("example.com/feed", false),
                      // libcurl reads an empty authority as browsers do: the host follows.
                      ("https:///example.com/feed", true)]
          as [(String, Bool)])
    func onlyWebURLsAreFetchable(url: String, web: Bool) {
        #expect(FeedURL.isWeb(url) == web)
    }

    @Test func theChecksumTellsDifferentBodiesApart() {
        #expect(BodyChecksum.of(Array("abc".utf8)) == BodyChecksum.of(Array("abc".utf8)))
        #expect(BodyChecksum.of(Array("abc".utf8)) != BodyChecksum.of(Array("abd".utf8)))
        #expect(BodyChecksum.of([]) != BodyChecksum.of([0]))
        let long = Array(repeating: UInt8(ascii: "x"), count: 1000)
        var changed = long
        changed[997] = UInt8(ascii: "y")  // in the tail after the last whole word
        #expect(BodyChecksum.of(long) != BodyChecksum.of(changed))
        changed = long
        changed[3] = UInt8(ascii: "y")
        #expect(BodyChecksum.of(long) != BodyChecksum.of(changed))
    }

    /// A checksum stored by an earlier version (FNV-1a, byte by byte) still names its body,
    /// so the first fetch after an upgrade still knows an unchanged document.
    @Test func aChecksumOfAnEarlierVersionStillMatches() {
        let body = Array("<rss>abc</rss>".utf8)
        let current = BodyChecksum.of(body)
        #expect(current.hasPrefix("w") && BodyChecksum.matches(current, body, current: current))
        #expect(BodyChecksum.matches("d3e9d0b9e5d0a3a7-e", body, current: current) == false)
        // 64-bit FNV-1a of the body, as bulletin stored it before, with the length in hex.
        #expect(BodyChecksum.matches("\(Self.fnv1a(body))-e", body, current: current))
        #expect(!BodyChecksum.matches("\(Self.fnv1a(body))-e", Array("<rss>abd</rss>".utf8), current: current))
        #expect(!BodyChecksum.matches(nil, body, current: current))
    }

    private static func fnv1a(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
