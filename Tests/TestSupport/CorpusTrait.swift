import Testing

extension Trait where Self == ConditionTrait {
    /// For the suites that read the real captured feeds (their names end in `CorpusTests`):
    /// they run when the corpus is there and are skipped when it is not. `make test` then
    /// skips them all with one line (see the Makefile); every behaviour they check is also
    /// checked on our own fixtures under `Tests/Fixtures`.
    public static var corpus: Self {
        .enabled(if: TestPaths.corpusAvailable, "feed corpus not found at \(TestPaths.corpus.path); set BULLETIN_CORPUS")
    }
}
