import Foundation
import TestSupport
import Testing

/// The checks whose fixture versions live beside their stage's tests, run on the real
/// captured feeds of the shared corpus (skipped when it is not there: see `.corpus`).
@Suite(.corpus) struct ParsingCorpusTests {
    @Test func everyCorpusFeedComesOutTheSameOnTwoThreads() throws {
        let files = try TestPaths.corpusFiles()
        #expect(files.count > 100)
        for file in files {
            EntryPipelineTests.comesOutTheSameOnTwoThreads([UInt8](try Data(contentsOf: TestPaths.corpusFile(file))), name: file)
        }
    }

    @Test func theFastScanAgreesWithLibXMLOnTheWholeCorpus() throws {
        let files = try TestPaths.corpusFiles().filter { $0.hasSuffix(".xml") }.map { TestPaths.corpusFile($0) }
        #expect(try PlainTextTests.compareFastScanWithLibXML(files) > 500)
    }

    @Test func everyGitHubGoAdvisoryHasAtLeastTheSeverityItsCategoryStates() throws {
        try SeverityTests.everyAdvisoryHasAtLeastItsCategorysSeverity(TestPaths.corpusFile("ghsa-go-advisories.atom.xml"))
    }

    @Test func cisasRealCatalogDecodesEveryVulnerability() throws {
        try KEVCatalogTests.decodesEveryVulnerability(TestPaths.corpusFile("cisa-kev-catalog.json"))
    }

    @Test(arguments: 1...9)
    func aTruncatedRealFeedKeepsTheEntriesBeforeTheCut(tenths: Int) throws {
        try HostileFeedTests.truncatedKeepsTheEntriesBeforeTheCut(
            TestPaths.corpusFile("aws-alas-amazon-linux-ami-security-bulletins.rss.xml"), tenths: tenths)
    }
}
