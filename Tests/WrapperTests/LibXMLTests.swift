import Foundation
import LibXML
import TestSupport
import Testing

@Suite struct LibXMLTests {
    private func elements(_ xml: String) throws -> [String] {
        let reader = try XMLReader(bytes: Array(xml.utf8), document: "test.xml")
        var names: [String] = []
        while reader.read() {
            if reader.kind == .element { names.append(reader.localName) }
        }
        return names
    }

    @Test func theReaderWalksElementsWithNamespacesAndAttributes() throws {
        let xml = #"<feed xmlns="http://www.w3.org/2005/Atom"><link href="/a" rel="alternate"/><title>T</title></feed>"#
        let reader = try XMLReader(bytes: Array(xml.utf8), document: "https://example.com/feed")
        var seen: [String] = []
        while reader.read() {
            guard reader.kind == .element else { continue }
            seen.append("\(reader.depth):\(reader.localName)")
            #expect(reader.namespaceURI == "http://www.w3.org/2005/Atom")
            if reader.localName == "link" {
                #expect(reader.attribute("href") == "/a")
                #expect(reader.isEmptyElement)
            }
            if reader.localName == "title" { #expect(reader.readString() == "T") }
        }
        #expect(seen == ["0:feed", "1:link", "1:title"])
        #expect(reader.errors.isEmpty)
    }

    @Test func brokenXMLIsRecoveredAndItsErrorsCollected() throws {
        let xml = "<rss><channel><item><title>AT&T fixes</title></item><item><title>second</title></item></channel></rss>"
        let reader = try XMLReader(bytes: Array(xml.utf8), document: "broken.xml")
        var titles: [String] = []
        while reader.read() {
            if reader.kind == .element, reader.localName == "title" { titles.append(reader.readString() ?? "") }
        }
        #expect(titles.contains("second"))
        let error = try #require(reader.errors.first)
        #expect(error.document == "broken.xml")
        #expect(error.line == 1)
        #expect(error.description.hasPrefix("broken.xml:1:"))
    }

    /// Runs in a process of its own (an exit test): redirecting standard error there cannot
    /// swallow what the tests running beside it print, nor catch their libxml2 calls.
    @Test func libxmlNeverWritesToStandardError() async {
        await #expect(processExitsWith: .success) {
            let capture = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(getpid()).txt").path
            _ = FileManager.default.createFile(atPath: capture, contents: nil)
            defer { try? FileManager.default.removeItem(atPath: capture) }
            let saved = dup(STDERR_FILENO)
            let file = open(capture, O_WRONLY)
            dup2(file, STDERR_FILENO)
            let hostile = [
                "<rss><channel><title>unclosed & broken <b>",
                "<?xml version=\"1.0\" encoding=\"no-such-encoding\"?><rss/>",
                "<!DOCTYPE r [<!ENTITY e SYSTEM \"http://127.0.0.1:1/x\">]><r>&e;</r>",
                "\u{0}\u{1}garbage",
            ].map { Array($0.utf8) } + [
                // Bytes its declared encoding cannot decode: libxml2 2.9 says "xmlParseChunk:
                // encoder error" through its generic error function (found by make fuzz, opml).
                Array("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><opml><body>".utf8) + [0x81, 0x20]
                    + Array("</body></opml>".utf8),
            ]
            for document in hostile {
                guard let reader = try? XMLReader(bytes: document, document: "hostile.xml") else { exit(2) }
                while reader.read() {}
                _ = document.withUnsafeBufferPointer { HTMLDocument(utf8: $0).plainText }
            }
            fsync(STDERR_FILENO)
            dup2(saved, STDERR_FILENO)
            close(file)
            let written = (try? String(contentsOfFile: capture, encoding: .utf8)) ?? "(unreadable)"
            if !written.isEmpty {
                FileHandle.standardError.write(Data("libxml2 wrote to standard error: \(written)\n".utf8))
                exit(1)
            }
        }
    }

    @Test func externalEntitiesAreNotExpanded() throws {
        let xml = #"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]><r>X&x;Y</r>"#
        let reader = try XMLReader(bytes: Array(xml.utf8), document: "xxe.xml")
        var text: String?
        while reader.read() {
            if reader.kind == .element, reader.localName == "r" { text = reader.readString() }
        }
        #expect(text == "XY")
    }

    @Test func anEntityExpansionBombStopsQuickly() throws {
        var doctype = "<!DOCTYPE lolz [<!ENTITY lol0 \"lol\">"
        for level in 1...10 {
            doctype += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
        }
        let xml = doctype + "]><lolz>&lol10;</lolz>"
        let start = Date()
        let reader = try XMLReader(bytes: Array(xml.utf8), document: "bomb.xml")
        var longest = 0
        while reader.read() { longest = max(longest, reader.readString()?.utf8.count ?? 0) }
        #expect(longest < 1_000_000)
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func anEmptyDocumentHasNoElements() throws {
        #expect(try elements("") == [])
        #expect(try elements("   \n") == [])
    }

    @Test(arguments: [
        ("<p>Hello <b>world</b></p><script>alert(1)</script>", "Hello world"),
        ("caf&eacute; &amp; cr&egrave;me", "café & crème"),
        ("<p>one</p><p>two</p>line<br>break", "one two line break"),
        ("<style>p{}</style>  spaced\n\n  out  ", "spaced out"),
        ("<div><p>unclosed <i>markup", "unclosed markup"),
    ])
    func htmlBecomesPlainText(html: String, text: String) {
        #expect(HTMLDocument(html: html).plainText == text)
    }
}
