import Curl
import Foundation
import TestSupport
import Testing

@Suite struct CurlTests {
    @Test func anUnsupportedSchemeIsAnErrorNamingTheURL() throws {
        let easy = try CurlEasy(url: "gopher://127.0.0.1/1")
        try easy.allowProtocols(["http", "https"])
        let error = #expect(throws: CurlError.self) { try easy.perform() }
        #expect(error?.code == 1)
        #expect(error?.url == "gopher://127.0.0.1/1")
        #expect(error?.description.hasPrefix("gopher://127.0.0.1/1: ") == true)
    }

    @Test func aRedirectToAFileURLIsRefused() throws {
        let server = try FeedServer(routes: ["/moved": "redirect:302:file:///etc/passwd"])
        let easy = try CurlEasy(url: server.url("/moved"))
        try easy.allowProtocols(["http", "https"])
        try easy.followRedirects(maximum: 5)
        let error = #expect(throws: CurlError.self) { try easy.perform() }
        #expect(error?.code == 1)
        #expect(easy.body.isEmpty)
    }

    @Test func aDocumentArrivesWithItsStatusAndHeaders() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("<rss version=\"2.0\"><channel/></rss>", to: "feed.xml")
        let server = try FeedServer(routes: ["/feed.xml": file])
        let easy = try CurlEasy(url: server.url("/feed.xml"))
        try easy.acceptAllEncodings()
        try easy.perform()
        #expect(easy.responseCode == 200)
        #expect(String(decoding: easy.body, as: UTF8.self) == "<rss version=\"2.0\"><channel/></rss>")
        #expect(easy.header("etag")?.hasPrefix("\"") == true)
        #expect(easy.header("Content-Type") == "application/rss+xml")
    }

    @Test func anHTTPErrorStatusIsAResponseNotACurlError() throws {
        let server = try FeedServer(routes: [:])
        let easy = try CurlEasy(url: server.url("/missing"))
        try easy.perform()
        #expect(easy.responseCode == 404)
    }

    @Test func aBodyOverTheLimitStopsTheTransfer() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(String(repeating: "<item/>", count: 20_000), to: "big.xml")
        let server = try FeedServer(routes: ["/big.xml": file])
        let easy = try CurlEasy(url: server.url("/big.xml"))
        easy.maxBodyBytes = 10_000
        let error = #expect(throws: CurlError.self) { try easy.perform() }
        #expect(error?.isBodyTooLarge == true)
        #expect(error?.message == "body larger than 10000 bytes")
        #expect(easy.bodyLimitExceeded)
        #expect(easy.body.count <= 10_000)
    }

    @Test func aRefusedConnectionIsAnErrorNamingTheURL() throws {
        let easy = try CurlEasy(url: "http://127.0.0.1:1/feed")
        try easy.setTimeouts(connect: 5, total: 10)
        let error = #expect(throws: CurlError.self) { try easy.perform() }
        #expect(error?.code == 7)
        #expect(error?.url == "http://127.0.0.1:1/feed")
    }

    @Test func theMultiHandleRunsEveryTransferAndReportsEachOnce() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("<feed/>", to: "a.xml")
        let server = try FeedServer(routes: ["/a": file, "/b": file, "/gone": "status:410"])
        let transfers = try ["/a", "/b", "/gone", "/a?again"].map { try CurlEasy(url: server.url($0)) }
            + [try CurlEasy(url: "http://127.0.0.1:1/refused")]
        let multi = try CurlMulti(maxConnections: 4, maxPerHost: 2)
        var finished: [String: Int] = [:]
        var failures: [String] = []
        try multi.perform(transfers) { easy, error in
            finished[easy.url] = easy.responseCode
            if let error { failures.append(error.url) }
        }
        #expect(finished.count == 5)
        #expect(finished[server.url("/a")] == 200)
        #expect(finished[server.url("/gone")] == 410)
        #expect(failures == ["http://127.0.0.1:1/refused"])
        #expect(transfers[1].body == Array("<feed/>".utf8))
    }

    /// A transfer that has ended is freed (handle and body) once its `finished` returns,
    /// not when the last one ends: a thousand feeds' bodies are never all held at once.
    @Test func aMultiLetsGoOfEachTransferAsItEnds() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("<feed/>", to: "a.xml")
        let server = try FeedServer(routes: ["/a": file, "/b": file])
        let transfers = [try CurlEasy(url: server.url("/a")), try CurlEasy(url: server.url("/b"))]
        weak let first = transfers[0]
        var firstFreedBeforeSecondEnded: Bool?
        try CurlMulti(maxConnections: 1, maxPerHost: 1).perform(consume transfers) { easy, _ in
            if easy.url == server.url("/b") { firstFreedBeforeSecondEnded = first == nil }
        }
        #expect(firstFreedBeforeSecondEnded == true)
    }

    /// Transfers made on demand are made only as they start: with one at a time, each is made
    /// after the one before ended; one that cannot be made is skipped and the rest go on.
    @Test func aMultiMakesEachTransferWhenItStarts() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("<feed/>", to: "a.xml")
        let server = try FeedServer(routes: ["/a": file, "/b": file, "/c": file])
        let paths = ["/a", "/b", "/skipped", "/c"]
        var events: [String] = []
        try CurlMulti(maxConnections: 1, maxPerHost: 1).perform(count: paths.count, url: { server.url(paths[$0]) },
                                                               start: { index in
            events.append("make " + paths[index])
            return paths[index] == "/skipped" ? nil : try? CurlEasy(url: server.url(paths[index]))
        }) { easy, error in
            events.append("end " + easy.url.dropFirst(server.url("").count) + (error == nil ? "" : " failed"))
        }
        #expect(events == ["make /a", "end /a", "make /b", "end /b", "make /skipped", "make /c", "end /c"])
    }
}
