import Foundation
import Matching
import Parsing
import TestSupport
import Testing

/// Severity on the real captured feeds of the shared corpus (skipped when it is not there:
/// see `.corpus`).
@Suite(.corpus) struct SeverityCorpusTests {
    /// The byte reader agrees with the regular expressions it replaced on every entry of
    /// the real corpus (`SeverityTests` does so on written and random texts).
    @Test
    func theByteReaderAgreesWithTheRegexesOnTheCorpus() throws {
        var entries = 0
        for file in try TestPaths.corpusFiles() where file.hasSuffix(".xml") {
            let bytes = [UInt8](try Data(contentsOf: TestPaths.corpusFile(file)))
            guard let feed = try? FeedParser().parse(bytes, url: file) else { continue }
            for entry in feed.entries {
                entries += 1
                let read = SeverityReader.read(title: entry.title, summary: entry.summary, categories: entry.categories)
                let reference = SeverityRegexReference.read(title: entry.title, summary: entry.summary,
                                                           categories: entry.categories)
                #expect(read.severity == reference.severity && read.cvss == reference.cvss, "\(file): \(entry.id)")
            }
        }
        #expect(entries > 1000)
    }
}
