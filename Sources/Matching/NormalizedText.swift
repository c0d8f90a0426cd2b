/// Text reduced for matching: Unicode lower case, diacritics removed, every run of
/// characters that are not letters or digits turned into one space (none at either end).
/// Each byte remembers where in the original UTF-8 text it came from, so a hit can be
/// shown in the words the bulletin used.
///
/// `NGINX's` → `nginx s`, `nginx/1.25` → `nginx 1 25`, `Café` → `cafe`.
public struct NormalizedText: Sendable, Hashable {
    /// The normalized UTF-8 bytes: letters and digits, single spaces between words.
    public private(set) var bytes: [UInt8] = []
    /// For each byte of `bytes`, the UTF-8 offset in the original text of the character it came from.
    public private(set) var origins: [Int32] = []
    /// The original text's UTF-8 length.
    public private(set) var originalLength = 0

    /// The normalized text of `text` as a string: how phrases, packages and names are
    /// compared (`NGINX Plus` → `nginx plus`).
    public static func key(_ text: some StringProtocol) -> String {
        String(decoding: NormalizedText(String(text)).bytes, as: UTF8.self)
    }

    public init(_ text: String) {
        var text = text
        originalLength = text.utf8.count
        (bytes, origins) = text.withUTF8 { utf8 in
            Self.ascii.withUnsafeBufferPointer { ascii in Self.normalize(utf8, ascii: ascii) }
        }
    }

    /// The loop of `init`, over raw buffers: the output never needs more room than the input
    /// left to read, except where a folded letter is longer than its UTF-8 (then it grows).
    private static func normalize(_ utf8: UnsafeBufferPointer<UInt8>,
                                  ascii: UnsafeBufferPointer<UInt8>) -> ([UInt8], [Int32]) {
        var capacity = utf8.count + 16
        var out = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        var from = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        defer {
            out.deallocate()
            from.deallocate()
        }
        var count = 0
        var pendingSpace = false
        var index = 0
        while index < utf8.count {
            let lead = utf8[index]
            if lead < 0x80 {
                let folded = ascii[Int(lead)]
                if folded == 0 {
                    pendingSpace = true
                } else {
                    if pendingSpace && count > 0 {
                        out[count] = 0x20
                        from[count] = Int32(truncatingIfNeeded: index)
                        count += 1
                    }
                    pendingSpace = false
                    out[count] = folded
                    from[count] = Int32(truncatingIfNeeded: index)
                    count += 1
                }
                index += 1
                continue
            }
            let (scalar, width) = decode(utf8, at: index)
            switch fold(scalar) {
            case .drop:
                break
            case .separator:
                pendingSpace = true
            case .letters(let folded):
                let needed = count + folded.utf8.count + 1 + (utf8.count - index - width) + 16
                if needed > capacity {
                    capacity = max(needed, capacity * 2)
                    let (biggerOut, biggerFrom) = (UnsafeMutablePointer<UInt8>.allocate(capacity: capacity),
                                                   UnsafeMutablePointer<Int32>.allocate(capacity: capacity))
                    biggerOut.update(from: out, count: count)
                    biggerFrom.update(from: from, count: count)
                    out.deallocate()
                    from.deallocate()
                    (out, from) = (biggerOut, biggerFrom)
                }
                if pendingSpace && count > 0 {
                    out[count] = 0x20
                    from[count] = Int32(truncatingIfNeeded: index)
                    count += 1
                }
                pendingSpace = false
                for byte in folded.utf8 {
                    out[count] = byte
                    from[count] = Int32(truncatingIfNeeded: index)
                    count += 1
                }
            }
            index += width
        }
        return (Array(UnsafeBufferPointer(start: out, count: count)), Array(UnsafeBufferPointer(start: from, count: count)))
    }

    /// The original UTF-8 range of the normalized bytes `range` (a hit), given the original text.
    public func originalRange(of range: Range<Int>, in original: String) -> Range<Int> {
        guard !range.isEmpty, range.upperBound <= origins.count else { return 0..<0 }
        let start = Int(origins[range.lowerBound])
        let lastStart = Int(origins[range.upperBound - 1])
        // The last character's whole width, and any combining marks that follow it.
        var original = original
        return original.withUTF8 { utf8 in
            var end = lastStart
            if end < utf8.count { end += Self.width(of: utf8[end]) }
            while end < utf8.count {
                let (scalar, width) = Self.decode(utf8, at: end)
                guard case .drop = Self.fold(scalar) else { break }
                end += width
            }
            return start..<min(end, utf8.count)
        }
    }

    // MARK: Folding

    enum Folded {
        /// A combining mark: removed, the letter it sits on stays one word.
        case drop
        /// Punctuation, symbols and spaces: a word boundary.
        case separator
        case letters(String)
    }

    /// ASCII letters and digits lower-cased; 0 for everything else (a boundary).
    private static let ascii: [UInt8] = (0..<128).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt8(byte) + 32
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte)
        default: 0
        }
    }

    static func fold(_ scalar: Unicode.Scalar) -> Folded {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark:
            return .drop
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            var result = ""
            for lower in properties.lowercaseMapping.unicodeScalars {
                if let base = DiacriticFolding.table[lower.value] {
                    result += base
                } else if !lower.properties.generalCategory.isMark {
                    result.unicodeScalars.append(lower)
                }
            }
            return result.isEmpty ? .drop : .letters(result)
        default:
            return .separator
        }
    }

    private static func width(of lead: UInt8) -> Int {
        switch lead {
        case ..<0x80: 1
        case 0xF0...: 4
        case 0xE0...: 3
        default: 2
        }
    }

    /// The scalar at `index` of well-formed UTF-8 (a Swift string's), and its width.
    private static func decode<C: RandomAccessCollection<UInt8>>(_ utf8: C, at index: Int) -> (Unicode.Scalar, Int)
        where C.Index == Int {
        let lead = utf8[index]
        let width = min(width(of: lead), utf8.count - index)
        var value = UInt32(lead) & (width == 1 ? 0x7F : width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
        for offset in 1..<max(width, 1) {
            value = value << 6 | UInt32(utf8[index + offset] & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", max(width, 1))
    }
}

private extension Unicode.GeneralCategory {
    var isMark: Bool {
        self == .nonspacingMark || self == .spacingMark || self == .enclosingMark
    }
}
