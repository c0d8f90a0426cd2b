@testable import Matching
import Testing

/// Regular-expression aliases unfit to run, found before they are ever run: Swift's `Regex`
/// has no time limit, so those that can backtrack exponentially are refused.
@Suite struct RegexAliasCheckTests {
    @Test(arguments: ["nginx", "CVE-2024-\\d+", "(?i)open ?ssl", "(ab)+c", "a{2,3}b", "[a-z]+(-[a-z]+)?x",
                      "xz[- ]?utils", "CVE-\\d{4}-\\d+"])
    func sensibleRegularExpressionsAreAccepted(pattern: String) {
        #expect(RegexAliasCheck.problem(pattern) == nil)
    }

    @Test(arguments: ["(a+)+", "(a*)*b", "((ab)+)+", "(a|b+){2,}", "(\\d+)*$", "(x?)+"])
    func nestedRepetitionIsRefused(pattern: String) {
        #expect(RegexAliasCheck.hasNestedRepetition(pattern))
        #expect(RegexAliasCheck.problem(pattern) != nil)
    }

    @Test(arguments: ["(a|ab)+", "(foo|bar)*x", "((x|y)z)+", "(a|b){2,}"])
    func repeatedAlternativesAreRefused(pattern: String) {
        #expect(RegexAliasCheck.hasRepeatedAlternation(pattern))
        #expect(RegexAliasCheck.problem(pattern)?.hasPrefix("the regular expression repeats a group of alternatives") == true)
    }

    @Test(arguments: ["(a|b)", "(nginx|apache)x", "(a|b)?c", "[a|b]+", "a\\|b+", "(a\\|b)+"])
    func alternativesNotRepeatedAreAccepted(pattern: String) {
        #expect(!RegexAliasCheck.hasRepeatedAlternation(pattern))
    }

    /// Backtracking worse than quadratic that no static rule sees: a run of letters makes
    /// these cubic or worse. Each is refused after a few short probes. (Quadratic ones, as
    /// `[a-z]+(-[a-z]+)?x`, pass: over at most `inputLimit` bytes they stay well under it.)
    @Test(arguments: ["\\w*\\w*\\w*x", "[a-z]*[a-z]*[a-z]*[0-9]", "a*a*a*b"])
    func slowOnTextMadeToBeSlowIsRefused(pattern: String) {
        let started = ContinuousClock.now
        let problem = RegexAliasCheck.problem(pattern)
        #expect(problem?.hasPrefix("the regular expression takes over 0.5 seconds on ") == true, "\(problem ?? "accepted")")
        #expect(problem?.contains("bound its repetitions") == true)
        #expect(ContinuousClock.now - started < .seconds(10), "the probes stop at the first slow one")
    }
}
