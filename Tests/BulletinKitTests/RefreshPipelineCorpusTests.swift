import Foundation
import TestSupport
import Testing

/// `RefreshPipelineTests`' parser check on the real captured feeds of the shared corpus
/// (skipped when it is not there: see `.corpus`).
@Suite(.corpus) struct RefreshPipelineCorpusTests {
    @Test func theParserGivesTheSameFeedsOnSeveralThreadsAtOnceAsOnOne() throws {
        let files = try TestPaths.corpusFiles().filter { !$0.hasSuffix(".json") }
        try RefreshPipelineTests.sameOnSeveralThreadsAsOnOne(
            files.map { [UInt8](try Data(contentsOf: TestPaths.corpusFile($0))) }, names: files)
    }
}
