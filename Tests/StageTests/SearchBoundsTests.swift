import Foundation
import Models
@testable import Storage
import TestSupport
import Testing

/// Search stays bounded: repeats of a word cost nothing, a query past the term bounds is
/// refused with the bound named, and hostile queries over a store give results or a
/// one-line refusal.
@Suite struct SearchBoundsTests {
    private func query(_ text: String) throws(SearchQueryError) -> SearchQuery { try SearchQuery(parsing: text) }

    @Test func aWordRepeatedThousandsOfTimesIsOneWord() throws {
        let parsed = try query(String(repeating: "a ", count: 5000))
        #expect(parsed.matchExpression == #""a""#)
        #expect(try query(String(repeating: "nginx OR openssl ", count: 3000)).matchExpression == #"("nginx" OR "openssl")"#)
        #expect(try query("openssl OR nginx nginx OR openssl -x -x").matchExpression == #"("openssl" OR "nginx") NOT ("x")"#)
    }

    @Test func repeatsAreDroppedButDifferentGroupsKept() throws {
        // `a OR c` is a group of its own beside `a`; the last `a` repeats the first.
        #expect(try query("a b a OR c a").matchExpression == #""a" AND "b" AND ("a" OR "c")"#)
    }

    @Test func moreDistinctWordsThanTheBoundAreRefused() throws {
        let words = (1...SearchQuery.maxTerms + 1).map { "w\($0)" }.joined(separator: " ")
        #expect(throws: SearchQueryError("too many words and phrases: 17 different ones, at most 16; search for the rarest few")) {
            try query(words)
        }
        let atTheBound = (1...SearchQuery.maxTerms).map { "w\($0)" }.joined(separator: " ")
        #expect(try query(atTheBound).required.count == SearchQuery.maxTerms)
    }

    @Test func aPhraseOfTooManyWordsIsRefused() throws {
        let phrase = "\"" + String(repeating: "a ", count: 5000) + "\""
        #expect(throws: SearchQueryError("too many words: 5000 in the words and phrases, at most 32")) { try query(phrase) }
    }

    @Test func tooManyFieldsOrValuesAreRefused() throws {
        let values = "service:" + (1...17).map { "s\($0)" }.joined(separator: ",")
        #expect(throws: SearchQueryError("'service:' lists 17 values, at most 16")) { try query(values) }
        let fields = String(repeating: "tagged:yes ", count: 17)
        #expect(throws: SearchQueryError("too many fields: 17, at most 16")) { try query(fields) }
        var options = try query("x")
        for index in 1...16 { try options.addFilter("feed", "f\(index)") }
        #expect(throws: SearchQueryError("too many fields: 17, at most 16")) { try options.addFilter("feed", "one more") }
    }

    static let hostile: [String] = [
        String(repeating: "a ", count: 5000), String(repeating: "a OR ", count: 5000) + "a",
        (1...5000).map { "w\($0)" }.joined(separator: " "), "\"" + String(repeating: "a ", count: 5000) + "\"",
        String(repeating: "-a ", count: 5000) + "b", String(repeating: "a* ", count: 5000),
        "service:" + String(repeating: "a,", count: 5000), String(repeating: "feed:a ", count: 5000),
        String(repeating: "cve:CVE-* ", count: 100), "-- DROP TABLE entry", "a*", "*",
    ]

    @Test(arguments: hostile)
    func aHostileQueryOverAStoreGivesResultsOrARefusal(text: String) throws {
        let directory = try TemporaryDirectory()
        let sample = try SampleBulletins(store: Store(path: directory.path("bulletin.sqlite3")))
        do {
            _ = try sample.store.search(query(text), limit: 20)
        } catch let error as SearchQueryError {
            #expect(!error.description.contains("\n"))
            #expect(error.description.count < 200)
        }
    }

    @Test func aPrefixStandingForTooManyBulletinsIsRefusedBeforeItRuns() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.path("prefix.sqlite3"))
        let entries = (0..<50).map { FeedEntry(id: "e\($0)", title: "security word\($0)") }
        try store.storeFetches([FetchedFeed(source: SampleBulletins.debian, entries: entries)])
        var bounds = Store.SearchBounds()
        bounds.prefixMatches = 10
        #expect(throws: SearchQueryError("'sec*' stands for 1 words in more than 10 bulletins: give more of the word")) {
            try store.search(SearchQuery(parsing: "sec*"), limit: 5, now: Date(), bounds: bounds)
        }
        #expect(throws: SearchQueryError("'wor*' stands for 50 words in more than 10 bulletins: give more of the word")) {
            try store.search(SearchQuery(parsing: "security -wor*"), limit: 5, now: Date(), bounds: bounds)
        }
        bounds.prefixWords = 5
        bounds.prefixMatches = 1000
        #expect(throws: SearchQueryError("'wor*' stands for more than 5 words in 6 bulletins: give more of the word")) {
            try store.search(SearchQuery(parsing: "wor*"), limit: 5, now: Date(), bounds: bounds)
        }
        // Within the bounds, the same search answers.
        #expect(try store.search(SearchQuery(parsing: "word1*"), limit: 20, now: Date(), bounds: Store.SearchBounds()).count == 11)
    }

    @Test func aSearchPastTheTimeLimitIsStoppedAndRefused() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.path("slow.sqlite3"))
        let entries = (0..<3000).map { FeedEntry(id: "e\($0)", title: "entry \($0)", published: Date(timeIntervalSince1970: Double($0))) }
        try store.storeFetches([FetchedFeed(source: SampleBulletins.debian, entries: entries)])
        var bounds = Store.SearchBounds()
        bounds.time = .zero
        #expect(throws: SearchQueryError("the search took more than 0.0 s and was stopped: "
            + "search for rarer words, fewer of them, or add fields (since:, feed:, service:)")) {
            try store.search(SearchQuery(parsing: "entry"), limit: 5, now: Date(), bounds: bounds)
        }
        // The same search without the bound answers, and the store is still usable.
        #expect(try store.search(SearchQuery(parsing: "entry"), limit: 5).count == 5)
    }
}
