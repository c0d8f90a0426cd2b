/// What makes a regular expression unfit as an alias, found before it is ever run on a
/// bulletin: one that matches the empty string (it would tag every bulletin), one whose
/// nested repetition (`(a+)+`, `(\w*)*`) or repeated alternatives (`(a|ab)+`) can
/// backtrack for a time exponential in the text, and one that is slow on text made to be
/// slow (`[a-z]+(-[a-z]+)?x` on a long run of letters is quadratic). The matcher runs
/// Swift `Regex`, which has no time limit of its own, over at most `inputLimit` bytes of
/// each field, so an alias that passes has a bound on its time.
public enum RegexAliasCheck {
    /// The longest pattern accepted, in characters.
    public static let maxLength = 500
    /// The bytes of each field (normalized) a regular-expression alias is run over: a
    /// bulletin's title and the start of its summary. Swift's `Regex` takes ~100 ms for
    /// `[0-9]+x` over 1 KB of digits (quadratic backtracking), so the bound is kept short.
    public static let inputLimit = 512
    /// The longest a regular-expression alias may take on probe text up to `inputLimit` bytes.
    static let probeBudget = Duration.milliseconds(500)

    /// `pattern` as the matcher runs it over normalized (lower-case) text: a pattern with no
    /// capital letter needs no (slow) case-insensitive matching to find the same.
    public static func compiled(_ pattern: String) -> Regex<AnyRegexOutput>? {
        guard let regex = try? Regex(pattern) else { return nil }
        return pattern.contains(where: \.isUppercase) ? regex.ignoresCase() : regex
    }

    /// Why `pattern` is unfit as an alias, or nil.
    public static func problem(_ pattern: String) -> String? {
        if pattern.count > maxLength { return "a regular expression alias may be at most \(maxLength) characters" }
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(pattern)
        } catch {
            return "not a valid regular expression: \(error)"
        }
        if (try? regex.firstMatch(in: "")) != nil {
            return "the regular expression matches the empty string, so it would match every bulletin"
        }
        if hasNestedRepetition(pattern) {
            return "the regular expression repeats a group that itself repeats (as in '(a+)+'): "
                + "it can take exponential time on some text; repeat once, e.g. 'a+'"
        }
        if hasRepeatedAlternation(pattern) {
            return "the regular expression repeats a group of alternatives (as in '(a|ab)+'): "
                + "alternatives that overlap can take exponential time on some text; list each alias on its own"
        }
        if let compiled = compiled(pattern), let probe = slowProbe(compiled, pattern: pattern) {
            return "the regular expression takes over \(probeBudget) on \(probe.count) characters of "
                + "'\(probe.prefix(8))…' (backtracking): bound its repetitions, e.g. '[a-z]{1,30}' for '[a-z]+'"
        }
        return nil
    }

    /// Text on which `regex` takes longer than `probeBudget`, or nil: runs of each letter,
    /// digit and sign of the pattern, and of letters, digits, spaces and hyphens, from 16
    /// characters doubling to `inputLimit`. A probe stops at the first slow run, so a pattern
    /// that would take hours is refused in about a second; a run that is only a little slow
    /// is measured again before it counts (the machine may be busy).
    static func slowProbe(_ regex: Regex<AnyRegexOutput>, pattern: String) -> String? {
        var units = ["a", "1", " ", "-", "ab", "a "]
        for character in pattern.lowercased() where character.isLetter || character.isNumber || "-_./".contains(character) {
            if !units.contains(String(character)) { units.append(String(character)) }
        }
        func time(_ text: String) -> Duration {
            let start = ContinuousClock.now
            _ = text.matches(of: regex).count
            return ContinuousClock.now - start
        }
        for unit in units.prefix(16) {
            var length = 16
            while length <= inputLimit {
                let text = String(repeating: unit, count: max(1, length / unit.count))
                let taken = time(text)
                if taken > probeBudget, taken > probeBudget * 4 || time(text) > probeBudget { return text }
                length *= 2
            }
        }
        return nil
    }

    /// True when a group holding a `|` is repeated by `*`, `+` or `{n,}`/`{n,m}` (m > 1).
    static func hasRepeatedAlternation(_ pattern: String) -> Bool {
        repeatedGroup(pattern) { $0 == "|" }
    }

    /// True when a group holding a `*`, `+`, `?` or `{…}` is itself repeated by `*`, `+` or
    /// `{n,}`/`{n,m}` (m > 1). Escapes and character classes are skipped.
    static func hasNestedRepetition(_ pattern: String) -> Bool {
        repeatedGroup(pattern) { "*+?{".contains($0) }
    }

    /// True when a group holding a character for which `marks` holds (outside escapes and
    /// character classes, at any depth) is repeated by `*`, `+` or `{n,}`/`{n,m}` (m > 1).
    private static func repeatedGroup(_ pattern: String, marks: (Character) -> Bool) -> Bool {
        let characters = Array(pattern)
        var groups: [Bool] = [false]  // per open group: does it hold a marked character?
        var index = 0
        func repeatsAt(_ position: Int) -> Bool {
            guard position < characters.count else { return false }
            switch characters[position] {
            case "*", "+": return true
            case "{":
                guard let close = characters[position...].firstIndex(of: "}") else { return false }
                let inside = String(characters[(position + 1)..<close])
                let bounds = inside.split(separator: ",", omittingEmptySubsequences: false)
                if bounds.count == 2 { return bounds[1].isEmpty || (Int(bounds[1]) ?? 0) > 1 }
                return (Int(inside) ?? 0) > 1
            default: return false
            }
        }
        while index < characters.count {
            switch characters[index] {
            case "\\":
                index += 1  // the escaped character
            case "[":
                index += 1
                if index < characters.count, characters[index] == "^" { index += 1 }
                if index < characters.count, characters[index] == "]" { index += 1 }
                while index < characters.count, characters[index] != "]" {
                    if characters[index] == "\\" { index += 1 }
                    index += 1
                }
            case "(":
                groups.append(false)
            case ")":
                let holds = groups.count > 1 ? groups.removeLast() : false
                if holds && repeatsAt(index + 1) { return true }
                if holds { groups[groups.count - 1] = true }
            case let character where marks(character):
                groups[groups.count - 1] = true
            default:
                break
            }
            index += 1
        }
        return false
    }
}
