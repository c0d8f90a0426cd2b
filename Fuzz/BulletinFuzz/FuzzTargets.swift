#if DEBUG || FUZZING
@testable import BulletinKit
@testable import Digest
import FoundationEssentials
@testable import Matching
import Models
@testable import Parsing
import Storage
import TOML

/// What `make fuzz` fuzzes: each case reads untrusted bytes the way Bulletin does, and
/// checks what must hold of the result (a failed check stops the run as a crash).
enum FuzzTarget: String, CaseIterable {
    /// A fetched feed document, through the parser the fetcher uses (`FeedParser`).
    case feed
    /// HTML of a title or summary: the one-pass scan must read it as libxml2's HTML parser
    /// does wherever it does not hand it over (`PlainText`).
    case feedHTML = "feed-html"
    /// `bulletin.toml` and `inventory.toml`: the TOML parser, then the settings and inventory.
    case toml
    /// A `bulletin search` query, read and run on a small in-memory store.
    case search
    /// A feed catalog (`OPMLReader`).
    case opml
    /// `bulletin inventory import` of a CycloneDX SBOM.
    case cyclonedx
    /// `bulletin inventory import` of a Komiser CSV export (`CSVReader`, then the columns).
    case csv
    /// Feed text made safe for the digest (`DisplayText`), then escaped for each format.
    case sanitizer

    func prepare() {
        if self == .search { _ = SearchTarget.store }
    }

    func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .feed: FeedTarget.run(bytes)
        case .feedHTML: FeedHTMLTarget.run(bytes)
        case .toml: TOMLTarget.run(bytes)
        case .search: SearchTarget.run(bytes)
        case .opml: OPMLTarget.run(bytes)
        case .cyclonedx: InventoryTarget.cycloneDX(bytes)
        case .csv: InventoryTarget.komiser(bytes)
        case .sanitizer: SanitizerTarget.run(bytes)
        }
    }
}

enum FeedTarget {
    /// The HTTP charset, picked by the input's length: most fetches have none, or a right one.
    static let charsets: [String?] = [nil, nil, "utf-8", nil, "iso-8859-1", "windows-1251", "utf-16", "x-unknown"]

    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        var single = FeedParser()
        single.threadedFromBytes = .max
        let charset = charsets[bytes.count % charsets.count]
        let url = "https://fuzz.example/feed.xml"
        let feed = try? single.parse(bytes, url: url, encoding: charset)
        // One input in eight is also read with the entries finished on a second thread (as a
        // document of 1 MB or more is): the result must be the same.
        guard bytes.count % 8 == 1 else { return }
        var threaded = FeedParser()
        threaded.threadedFromBytes = 0
        let other = try? threaded.parse(bytes, url: url, encoding: charset)
        require(feed == other, "one thread and two read the document differently")
    }
}

enum FeedHTMLTarget {
    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        // A field as the XML reader hands it over: UTF-8, without the characters XML 1.0
        // cannot hold (`DocumentRepair` takes them out of a document).
        let scalars = String(decoding: bytes, as: UTF8.self).unicodeScalars.filter { scalar in
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: true
            case 0..<0x20, 0xFFFE, 0xFFFF: false
            default: true
            }
        }
        let html = Array(String(String.UnicodeScalarView(scalars)).utf8)
        if let fast = PlainText.viaScan(html) {
            let slow = PlainText.viaLibXML(html)
            require(fast == slow, "the scan reads \(fast.debugDescription), libxml2 \(slow.debugDescription)")
        }
        _ = PlainText.from(String(decoding: html, as: UTF8.self))
    }
}

enum TOMLTarget {
    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        let table: TOMLTable
        do {
            table = try TOMLParser.parse(text, file: "fuzz.toml")
        } catch {
            check(error)
            return
        }
        // The same document as either configuration file (files named in it are not looked up).
        let decoder = TOMLDecoder()
        do { _ = try decoder.decode(Settings.self, from: table, file: "bulletin.toml") } catch { check(error) }
        do {
            let inventory = try decoder.decode(Inventory.self, from: table, file: "inventory.toml")
            if !inventory.services.isEmpty {
                let matcher = Matcher(services: inventory.services)
                let entry = FeedEntry(id: "1", title: "Security update for nginx, OpenSSL and the Linux kernel",
                                      summary: "CVE-2024-3094 in xz; upgrade postgres 16 and node.js")
                _ = matcher.tags(for: StoredEntry(rowID: 1, feedTitle: "Fuzz", category: .security, entry: entry))
            }
        } catch { check(error) }
    }

    /// Every error is a `TOMLError` at a real position, with a message safe to print.
    private static func check(_ error: any Error) {
        guard let error = error as? TOMLError else { return require(false, "not a TOMLError: \(error)") }
        require(error.line >= 1 && error.column >= 1, "position \(error.line):\(error.column)")
        require(!error.message.unicodeScalars.contains { $0.value < 0x20 || DisplayText.isInvisible($0) },
                "control characters in \(error.message.debugDescription)")
    }
}

enum SearchTarget {
    /// A store in memory holding a few entries, so that the words and filters match something.
    nonisolated(unsafe) static let store: Store = {
        do {
            let store = try Store(path: ":memory:")
            let entries = [
                FeedEntry(id: "1", title: "USN-6718-1: curl vulnerabilities", link: "https://ubuntu.com/security/notices/USN-6718-1",
                          published: Date(timeIntervalSince1970: 1_711_000_000),
                          summary: "Several security issues were fixed in curl and nghttp2.", advisories: ["USN-6718-1", "CVE-2024-2398"]),
                FeedEntry(id: "2", title: "OpenSSL 3.2.1 released", link: "https://www.openssl.org/news/3.2.1",
                          published: Date(timeIntervalSince1970: 1_706_000_000), summary: "Security fixes for CVE-2024-0727."),
                FeedEntry(id: "3", title: "xz backdoor: CVE-2024-3094", summary: "Malicious code in xz-utils 5.6.0 and 5.6.1",
                          advisories: ["CVE-2024-3094"]),
            ]
            let source = FeedSource(title: "Fuzz feed", url: "https://fuzz.example/feed.xml", category: .security)
            let document = RawDocument(url: source.url, fetchedAt: Date(timeIntervalSince1970: 1_712_000_000), status: 200,
                                       headers: [], body: [])
            _ = try store.recordFetches([DocumentFetch(feed: FetchedFeed(source: source, entries: entries, status: 200),
                                                   document: document.compressed(), checksum: "fuzz")],
                                    at: Date(timeIntervalSince1970: 1_712_000_000))
            return store
        } catch {
            fatalError("the in-memory store: \(error)")
        }
    }()

    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        let query: SearchQuery
        do {
            query = try SearchQuery(parsing: String(decoding: bytes, as: UTF8.self))
        } catch {
            return  // a SearchQueryError by its type
        }
        _ = query.matchExpression
        // Whatever reads into a query runs, or is refused with a SearchQueryError (a prefix
        // that stands for too much, a time limit): never an SQLite or FTS5 error.
        do {
            _ = try store.search(query, limit: 5, now: Date(timeIntervalSince1970: 1_712_000_000))
        } catch is SearchQueryError {
        } catch {
            require(false, "the query \(query.matchExpression.debugDescription) failed in SQLite: \(error)")
        }
    }
}

enum OPMLTarget {
    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let feeds = try? OPMLReader().read(Array(bytes), file: "fuzz.opml") else { return }
        for feed in feeds {
            require(!feed.url.isEmpty && !feed.title.isEmpty, "a feed without a URL or title: \(feed)")
        }
    }
}

enum InventoryTarget {
    /// What `InventoryImport.read` does with JSON, called directly so that no input is read
    /// as another format.
    static func cycloneDX(_ bytes: UnsafeBufferPointer<UInt8>) {
        check(try? CycloneDXImport.read(Array(bytes), file: "fuzz.json"))
    }

    /// The same for a Komiser export.
    static func komiser(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        if let records = try? CSVReader.records(text, file: "fuzz.csv") {
            require(records.map(\.line) == records.map(\.line).sorted() && records.allSatisfy { $0.line >= 1 },
                    "records out of order: \(records.map(\.line))")
        }
        check(try? KomiserImport.read(text, file: "fuzz.csv"))
    }

    /// Merged services: each has a name, and no name (any case) comes twice.
    private static func check(_ services: [ImportedService]?) {
        var names = Set<String>()
        for service in services ?? [] {
            require(!service.name.isEmpty, "a service without a name")
            require(names.insert(service.name.lowercased()).inserted, "\(service.name) twice")
        }
    }
}

enum SanitizerTarget {
    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        // A short limit (from the first byte) exercises the cut; the title limit, a digest's own.
        let short = Int(bytes.first ?? 0) % 40 + 1
        for limit in [short, DisplayText.titleLimit] {
            let clean = DisplayText.clean(text, limit: limit)
            require(!clean.unicodeScalars.contains(where: DisplayText.isInvisible),
                    "an invisible character left in \(clean.debugDescription)")
            require(clean.count <= limit + 1, "\(clean.count) characters past a limit of \(limit)")
            let utf8 = Array(clean.utf8)
            require(utf8.first != 0x20 && utf8.last != 0x20 && !zip(utf8, utf8.dropFirst()).contains { $0 == 0x20 && $1 == 0x20 },
                    "whitespace not collapsed in \(clean.debugDescription)")
            checkEscaped(clean)
        }
        if let link = DisplayText.webLink(text) {
            let lowered = link.lowercased()
            require(lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), "not a web link: \(link.debugDescription)")
            require(!link.unicodeScalars.contains { DisplayText.isInvisible($0) || "\"'<>\\` ".unicodeScalars.contains($0) },
                    "a link that can break out of its markup: \(link.debugDescription)")
            let destination = MarkdownRenderer.destination(link)
            require(!destination.unicodeScalars.contains { "<> \\".unicodeScalars.contains($0) },
                    "a Markdown destination that ends early: \(destination.debugDescription)")
            checkEscaped(link)
        }
    }

    /// What `MarkdownRenderer.escape` puts a backslash before (all ASCII).
    private static let markdownSpecial = Array("\\`*_[]()<>!|~&#".utf8)
    private static let references = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&apos;"].map { Array($0.utf8) }

    /// Each format's escaping leaves no character that starts markup in it. Checked byte by
    /// byte: every character that matters is ASCII, and UTF-8 never puts an ASCII byte
    /// inside another character.
    private static func checkEscaped(_ text: String) {
        for (format, escaped, markup) in [("HTML", HTMLRenderer.escape(text), Array("<>\"'".utf8)),
                                          ("XML", AtomRenderer.escape(text), Array("<>\"'".utf8)),
                                          ("Slack", SlackRenderer.escape(text), Array("<>".utf8))] {
            let bytes = Array(escaped.utf8)
            for index in bytes.indices {
                let byte = bytes[index]
                require(!markup.contains(byte), "\(format) escaping left markup in \(escaped.debugDescription)")
                if byte == UInt8(ascii: "&") {
                    require(references.contains { bytes[index...].starts(with: $0) },
                            "\(format) escaping left a bare '&' in \(escaped.debugDescription)")
                }
            }
        }
        let markdown = Array(MarkdownRenderer.escape(text).utf8)
        var index = 0
        while index < markdown.count {
            if markdown[index] == UInt8(ascii: "\\") {
                index += 2  // the character it escapes
                continue
            }
            require(!markdownSpecial.contains(markdown[index]),
                    "Markdown escaping left \(UnicodeScalar(markdown[index])) bare in \(String(decoding: markdown, as: UTF8.self).debugDescription)")
            index += 1
        }
    }
}
#endif
