/// What makes a regular expression unfit as an alias, found before it is ever run: one
/// that matches the empty string (it would tag every bulletin), or one whose nested
/// repetition (`(a+)+`, `(\w*)*`) or repeated alternatives (`(a|ab)+`) can backtrack for a
/// time exponential in the text. A static check: the matcher runs Swift `Regex`, which has
/// no time limit of its own.
public enum RegexAliasCheck {
    /// The longest pattern accepted, in characters.
    public static let maxLength = 500

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
