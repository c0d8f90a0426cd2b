@testable import Matching
import Testing

/// Regular-expression aliases unfit to run, found before they are ever run: Swift's `Regex`
/// has no time limit, so those that can backtrack exponentially are refused.
@Suite struct RegexAliasCheckTests {
    @Test(arguments: ["nginx", "CVE-2024-\\d+", "(?i)open ?ssl", "(ab)+c", "a{2,3}b", "[a-z]+(-[a-z]+)?x"])
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
}
