import Foundation
import Models
@testable import Storage
import Testing

/// The search language, read without a database: every construct, and what hostile text
/// turns into (a query or a one-line error, never anything FTS5 would read as syntax).
@Suite struct SearchQueryTests {
    private func query(_ text: String) throws(SearchQueryError) -> SearchQuery { try SearchQuery(parsing: text) }

    @Test(arguments: [
        ("openssl", #""openssl""#),
        ("openssl nginx", #""openssl" AND "nginx""#),
        (#""denial of service""#, #""denial of service""#),
        ("nginx OR apache", #"("nginx" OR "apache")"#),
        ("a b OR c d", #""a" AND ("b" OR "c") AND "d""#),
        ("openssl -windows", #""openssl" NOT ("windows")"#),
        ("openssl NOT windows -\"mac os\"", #""openssl" NOT ("windows" OR "mac os")"#),
        ("a b -c", #"("a" AND "b") NOT ("c")"#),
        ("prototype*", #""prototype"*"#),
        // With hyphens, as an advisory id: also as the index holds an entry's ids.
        ("CVE-2024-3094", #"("CVE-2024-3094" OR {advisory_terms} : "CVE20243094")"#),
        ("cve-2024-1*", #"("cve-2024-1"* OR {advisory_terms} : "cve20241"*)"#),
        ("openssl AND nginx", #""openssl" AND "nginx""#),
        ("OR openssl OR", #""openssl""#),
        ("(nginx OR apache) tls", #"("(nginx" OR "apache)") AND "tls""#),
        (#"say "hi"#, #""say" AND "hi""#),
        (#"a"b"#, #""a" AND "b""#),
        ("http://example.com/x", #""http://example.com/x""#),
        ("-:-", nil),
        ("xz-utils", #"("xz-utils" OR {advisory_terms} : "xzutils")"#),
        ("café", #""café""#),
    ])
    func wordsBecomeQuotedFTS5Terms(text: String, expression: String?) throws {
        #expect(try query(text).matchExpression == expression)
    }

    @Test func onlyExcludedWordsHaveNoMatchExpressionButAnExclusion() throws {
        let parsed = try query("-windows -\"mac os\"")
        #expect(parsed.matchExpression == nil)
        #expect(parsed.exclusionExpression == #""windows" OR "mac os""#)
    }

    @Test func fieldsBecomeFilters() throws {
        let parsed = try query(#"service:nginx,OpenSSL feed:aws cve:cve-2024-* category:Security tagged:no "#
            + #"since:7d until:2024-01-31 -feed:ubuntu service:"Node.js" advisory:GHSA-x"#)
        let filters = parsed.filters.map(\.filter)
        #expect(filters == [
            .service(["nginx", "OpenSSL"]), .feed(["aws"]), .advisory(["CVE-2024-*"]), .category(.security),
            .tagged(false), .since(.age(seconds: 7 * 86_400)), .until(.day(startingAt: 1_706_659_200)),
            .feed(["ubuntu"]), .service(["Node.js"]), .advisory(["GHSA-X"]),
        ])
        #expect(parsed.filters.map(\.negated) == [false, false, false, false, false, false, false, true, false, false])
        #expect(parsed.required.isEmpty)
    }

    @Test func anUnknownFieldNameIsAPlainWord() throws {
        let parsed = try query("colour:red")
        #expect(parsed.filters.isEmpty)
        #expect(parsed.matchExpression == #""colour:red""#)
    }

    @Test(arguments: [
        ("since:banana", "search: 'since:banana': expected an age (12h, 7d, 2w, 1y) or a date (2024-01-01, 2024-01-01T12:00:00Z)"),
        ("until:2024-02-30", "search: 'until:2024-02-30': expected an age (12h, 7d, 2w, 1y) or a date (2024-01-01, 2024-01-01T12:00:00Z)"),
        ("since:7x", "search: 'since:7x': expected an age (12h, 7d, 2w, 1y) or a date (2024-01-01, 2024-01-01T12:00:00Z)"),
        ("tagged:maybe", "search: 'tagged:maybe': expected yes or no"),
        ("category:news", "search: 'category:news': expected one of security, announcements"),
        ("service:", "search: 'service:' needs a value"),
        ("feed:,,", "search: 'feed:' needs a value"),
        ("nginx OR service:nginx", "search: OR joins words and phrases, not 'service:'; give a field several values with commas (service:a,b)"),
    ])
    func aBadFieldIsAOneLineError(text: String, message: String) throws {
        let error = #expect(throws: SearchQueryError.self) { try query(text) }
        #expect(error?.description == message)
    }

    @Test func datesReadAsAgesDaysAndInstants() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let seconds: Int64 = 1_700_000_000
        #expect(DateBound("12h") == .age(seconds: 43_200))
        #expect(DateBound("12h")?.start(now: now) == seconds - 43_200)
        #expect(DateBound("2w")?.start(now: now) == seconds - 1_209_600)
        #expect(DateBound("1y")?.end(now: now) == seconds - 31_536_000 + 1)
        #expect(DateBound("2024-02-29")?.start(now: now) == 1_709_164_800)
        #expect(DateBound("2024-02-29")?.end(now: now) == 1_709_251_200)
        #expect(DateBound("1970-01-01")?.start(now: now) == 0)
        #expect(DateBound("2024-01-01T12:00:00Z")?.start(now: now) == 1_704_110_400)
        for bad in ["", "d", "-1d", "7", "7 d", "2023-02-29", "2024-13-01", "24-01-01", "2024-1-1", "99999999999d",
                    "２０２４-01-01", "7ｄ"] {
            #expect(DateBound(bad) == nil, "\(bad)")
        }
    }

    /// Text a user (or a script) might throw at the search box. Each reads into a query or
    /// a SearchQueryError; no term carries an unescaped quote into FTS5, nor any syntax but
    /// its own: a prefix's `*`, and the lookup of an advisory id (see AdvisoryTerms).
    static let hostile: [String] = [
        "\"", "\"\"", "\"\"\"", "'", "*", "**", "-", "--", "-*", "OR", "AND", "NOT", "OR OR OR", "NEAR(", "NEAR(a b, 2)",
        "a NEAR b", "(", ")", "((((", ")))", "(a OR b", "a) OR (b", "^", "^a", "a:b:c", ":", "title:openssl", "{a b}:c",
        "- -", "\"a\" \"", "CVE-2024-3094", "cve-2024-*", "CVE-2024-3094 OR CVE-2023-44487", "'; DROP TABLE entry; --",
        "\" OR 1=1 --", "1' OR '1'='1", "rowid:1", "entry_fts:x", "x\u{0}y", "\u{0}", "\u{1b}[31mred", "\t\n\r",
        "🔥 exploit 🔥", "مرحبا", "\u{202e}evil", String(repeating: "a", count: 100_000),
        String(repeating: "a OR ", count: 2_000) + "b", String(repeating: "(", count: 10_000), "%", "_", "\\",
        "feed:%", "feed:_", "cve:[a-z]*", "cve:?", "service:'", "service:\"", "since:", "until:-1d",
        // Found by `make fuzz` (search): a quote with a combining mark after it is one
        // Character, so the quote was not doubled and FTS5 read an unterminated string.
        "\"\u{0657}1", "a\"\u{301}b", "\u{0}\u{301}",
    ]

    @Test(arguments: hostile)
    func hostileTextReadsIntoAQueryOrAnError(text: String) throws {
        // Scalar by scalar, as FTS5 reads it: a quote with a combining mark is still a quote.
        let quotedString = try Regex(#""(?:[^"]|"")*""#).matchingSemantics(.unicodeScalar)
        do {
            let parsed = try query(text)
            for term in parsed.required.joined() + parsed.excluded {
                #expect(term.hasTokens)
                let syntax = term.fts5.replacing(quotedString, with: "")
                #expect(["", "*", "( OR {advisory_terms} : )", "(* OR {advisory_terms} : *)"].contains(syntax),
                        "\(term.fts5)")
            }
        } catch {
            #expect(!error.description.contains("\n"))
        }
    }
}
