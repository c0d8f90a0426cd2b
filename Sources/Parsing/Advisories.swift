/// Advisory ids named in a bulletin's text, in their canonical spelling, first seen first,
/// without repeats:
///
/// | id | form |
/// |---|---|
/// | CVE | `CVE-2024-12345` |
/// | GitHub | `GHSA-xxxx-xxxx-xxxx` (lower-case body) |
/// | Ubuntu | `USN-6543-1` |
/// | Debian | `DSA-5678-1`, `DLA-3456-1` (also written `DSA 5678-1`) |
/// | Amazon Linux | `ALAS-2024-1234`, `ALAS2-…`, `ALAS2023-…`, `ALAS2KERNEL-5.10-2024-045` |
/// | Red Hat | `RHSA-2024:1234` |
/// | cloud vendors' bulletins | `AWS-2024-002`, `GCP-2024-001` |
///
/// Every id has a hyphen right after its first word (or, in `DSA 5678-1`, after its
/// second), and hyphens are rare in prose: the scan jumps from hyphen to hyphen and tries
/// the word before it. An id must stand as a word (no letter or digit around it).
enum Advisories {
    static func find(in texts: String?...) -> [String] {
        var found: [String] = []
        for case var text? in texts {
            text.withUTF8 { scan($0, into: &found) }
        }
        return found
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, into found: inout [String]) {
        var read = 0  // the text before it is done with
        while let hyphen = bytes.firstIndex(of: UInt8(ascii: "-"), from: read) {
            // The id starts at the word before the hyphen, or at the word before that in "DSA 5678-1".
            let word = wordStart(bytes, before: hyphen)
            var matched = word >= read ? match(bytes, at: word) : nil
            if matched == nil && word > 0 && bytes[word - 1] == UInt8(ascii: " ") {
                let wordBefore = wordStart(bytes, before: word - 1)
                if wordBefore >= read { matched = match(bytes, at: wordBefore) }
            }
            if let (id, end) = matched {
                if found.isEmpty { found.reserveCapacity(4) }  // not grown one id at a time
                if !found.contains(id) { found.append(id) }
                read = end
            } else {
                read = hyphen + 1
            }
        }
    }

    /// The start of the word that ends at `end` (`end` itself when no word ends there).
    private static func wordStart(_ bytes: UnsafeBufferPointer<UInt8>, before end: Int) -> Int {
        var start = end
        while start > 0 && isWordByte(bytes[start - 1]) { start -= 1 }
        return start
    }

    /// A kind of id: its prefix, and a reader of what must follow it.
    private struct Kind: Sendable {
        let prefix: StaticString
        /// True when the letters after the prefix are written in lower case (GitHub's), else upper.
        var lowercaseBody = false
        let rest: @Sendable (inout Cursor) -> Bool
    }

    private static let kinds: [Kind] = [
        Kind(prefix: "CVE-") { c in c.digits(4, 4) && c.dash() && c.digits(4, 7) },
        Kind(prefix: "GHSA-", lowercaseBody: true) { c in ghsaBody(&c) },
        Kind(prefix: "USN-") { c in c.digits(3, 5) && c.dash() && c.digits(1, 2) },
        Kind(prefix: "DSA") { c in debian(&c) },
        Kind(prefix: "DLA") { c in debian(&c) },
        Kind(prefix: "RHSA-") { c in c.digits(4, 4) && c.literal(":") && c.digits(4, 5) },
        Kind(prefix: "ALAS") { c in amazonLinux(&c) },
        Kind(prefix: "AWS-") { c in vendorBulletin(&c) },
        Kind(prefix: "GCP-") { c in vendorBulletin(&c) },
    ]

    /// The id that starts at `start`, in its canonical spelling, and the index after it.
    private static func match(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (String, Int)? {
        // Every prefix starts with one of these letters: most words are turned away at once.
        switch bytes[start] & ~0x20 {
        case UInt8(ascii: "A"), UInt8(ascii: "C"), UInt8(ascii: "D"), UInt8(ascii: "G"), UInt8(ascii: "R"),
             UInt8(ascii: "U"): break
        default: return nil
        }
        for kind in kinds {
            var cursor = Cursor(bytes: bytes, index: start)
            guard cursor.literal(kind.prefix), kind.rest(&cursor), cursor.atWordEnd else { continue }
            // As written, but for the case of letters and the space of "DSA 5678-1".
            let id = String(unsafeUninitializedCapacity: cursor.index - start) { id in
                for offset in 0..<id.count {
                    let byte = bytes[start + offset]
                    if !isLetterByte(byte) {
                        id[offset] = byte == UInt8(ascii: " ") ? UInt8(ascii: "-") : byte
                    } else {
                        id[offset] = kind.lowercaseBody && offset >= kind.prefix.utf8CodeUnitCount ? byte | 0x20 : byte & ~0x20
                    }
                }
                return id.count
            }
            return (id, cursor.index)
        }
        return nil
    }

    /// `xxxx-xxxx-xxxx` in GitHub's alphabet.
    private static func ghsaBody(_ cursor: inout Cursor) -> Bool {
        for group in 0..<3 {
            if group > 0 { guard cursor.dash() else { return false } }
            for _ in 0..<4 {
                guard let byte = cursor.peek, "23456789cfghjmpqrvwx".utf8.contains(byte | 0x20) else { return false }
                cursor.index += 1
            }
        }
        return true
    }

    /// `-5678-1` or `-5678` after DSA/DLA; also ` 5678-1` (as Debian's mail subjects write it).
    private static func debian(_ cursor: inout Cursor) -> Bool {
        let spaced = !cursor.dash()
        guard !spaced || cursor.literal(" "), cursor.digits(3, 5) else { return false }
        var revision = cursor
        if revision.dash() && revision.digits(1, 2) {
            cursor = revision
            return true
        }
        return !spaced
    }

    /// After `ALAS`: an optional product (`2`, `2023`, `2KERNEL-5.10`, `2ECS` …), then `-YYYY-NNN`.
    private static func amazonLinux(_ cursor: inout Cursor) -> Bool {
        let productStart = cursor.index
        while cursor.index - productStart < 32, let byte = cursor.peek {
            // The year and number start at the first "-YYYY-" that ends the product.
            var probe = cursor
            if probe.dash() && probe.digits(4, 4) && probe.dash() && probe.digits(3, 5) { break }
            guard isWordByte(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") else { return false }
            cursor.index += 1
        }
        return cursor.dash() && cursor.digits(4, 4) && cursor.dash() && cursor.digits(3, 5)
    }

    /// `YYYY-NNN` after a cloud vendor's prefix.
    private static func vendorBulletin(_ cursor: inout Cursor) -> Bool {
        cursor.digits(4, 4) && cursor.dash() && cursor.digits(3, 3)
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        isLetterByte(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "_")
    }

    private static func isLetterByte(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index: Int

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        /// True at the end of a word: no letter or digit follows.
        var atWordEnd: Bool { peek.map { !Advisories.isWordByte($0) } ?? true }

        /// Consumes `text` (ASCII, matched without regard to case) when it comes next.
        mutating func literal(_ text: StaticString) -> Bool {
            let units = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
            guard index + units.count <= bytes.count else { return false }
            for (offset, unit) in units.enumerated() {
                let byte = bytes[index + offset]
                guard byte == unit || (unit >= 0x41 && unit <= 0x5A && byte == unit | 0x20) else { return false }
            }
            index += units.count
            return true
        }

        /// Consumes a hyphen.
        mutating func dash() -> Bool { literal("-") }

        /// Consumes `min` to `max` digits, no more.
        mutating func digits(_ min: Int, _ max: Int) -> Bool {
            var probe = index
            while probe < bytes.count, probe - index < max + 1, bytes[probe] >= 0x30 && bytes[probe] <= 0x39 { probe += 1 }
            let count = probe - index
            guard count >= min, count <= max else { return false }
            index = probe
            return true
        }
    }
}
