/// User and stored text as FTS5 reads it in a MATCH expression.
enum FTS5Text {
    /// True when the full-text index would find a token in `text`: a letter or a digit
    /// (FTS5's unicode61 tokenizer keeps the categories L*, N* and Co, and splits at
    /// everything else). A string without one matches nothing.
    static func hasTokens(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: isTokenScalar)
    }

    /// How many tokens the index would make of `text` (runs of token characters).
    static func tokenCount(_ text: String) -> Int {
        var count = 0
        var inToken = false
        for scalar in text.unicodeScalars {
            let token = isTokenScalar(scalar)
            if token && !inToken { count += 1 }
            inToken = token
        }
        return count
    }

    /// The last token the index would make of `text`, in lower case (the form the index
    /// holds, but for diacritics), or nil when it has none.
    static func lastToken(_ text: String) -> String? {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars.reversed() {
            if isTokenScalar(scalar) {
                scalars.append(scalar)
            } else if !scalars.isEmpty {
                break
            }
        }
        return scalars.isEmpty ? nil : String(String.UnicodeScalarView(scalars.reversed())).lowercased()
    }

    private static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .privateUse: true
        default: false
        }
    }

    /// `text` as an FTS5 string, which is always a phrase of its tokens and never syntax:
    /// quotes doubled, and NUL (which would end FTS5's reading of the expression) a space.
    /// Scalar by scalar: a quote followed by a combining mark is one `Character`, which
    /// replacing the character `"` would leave alone.
    static func quoted(_ text: String) -> String {
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted.append(contentsOf: ["\"", "\""])
            case "\u{0}": quoted.append(" ")
            default: quoted.append(scalar)
            }
        }
        quoted.append("\"")
        return String(quoted)
    }
}
