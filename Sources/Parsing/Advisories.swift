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
/// One scan over the bytes; an id must stand as a word (no letter or digit around it).
enum Advisories {
    static func find(in texts: String?...) -> [String] {
        var found: [String] = []
        for text in texts.compactMap({ $0 }) {
            var text = text
            text.withUTF8 { scan($0, into: &found) }
        }
        return found
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, into found: inout [String]) {
        var index = 0
        let end = bytes.count
        while index < end {
            let byte = bytes[index] | 0x20
            // Only C, G, U, D, A, R can start an id, and only at the start of a word.
            // Only CV, GH, US, DS, DL, AL, AW, GC, RH can start an id, and only at the start of a word.
            let second = index + 1 < end ? bytes[index + 1] | 0x20 : 0
            let possible: Bool
            switch byte {
            case 0x63: possible = second == 0x76  // cv
            case 0x67: possible = second == 0x68 || second == 0x63  // gh, gc
            case 0x75: possible = second == 0x73  // us
            case 0x64: possible = second == 0x73 || second == 0x6C  // ds, dl
            case 0x61: possible = second == 0x6C || second == 0x77  // al, aw
            case 0x72: possible = second == 0x68  // rh
            default: possible = false
            }
            guard possible, index == 0 || !isWordByte(bytes[index - 1]) else {
                // Not an id here: skip the rest of the word (an id only starts a word).
                if isWordByte(bytes[index]) {
                    index += 1
                    while index < end && isWordByte(bytes[index]) { index += 1 }
                } else {
                    index += 1
                }
                continue
            }
            if let (id, next) = match(bytes, at: index) {
                if !found.contains(id) { found.append(id) }
                index = next
            } else {
                index += 1
            }
        }
    }

    /// Each kind of id: its prefix, and what must follow it (returned with its separator).
    private static let kinds: [(prefix: String, rest: @Sendable (inout Cursor) -> String?)] = [
        ("CVE-", { c in c.digits(4, 4).flatMap { y in c.dash().flatMap { c.digits(4, 7).map { "\(y)-\($0)" } } } }),
        ("GHSA-", { c in ghsaBody(&c) }),
        ("USN-", { c in c.digits(3, 5).flatMap { n in c.dash().flatMap { c.digits(1, 2).map { "\(n)-\($0)" } } } }),
        ("DSA", { c in debian(&c) }),
        ("DLA", { c in debian(&c) }),
        ("RHSA-", { c in c.digits(4, 4).flatMap { y in c.literal(":") ? c.digits(4, 5).map { "\(y):\($0)" } : nil } }),
        ("ALAS", { c in amazonLinux(&c) }),
        ("AWS-", { c in vendorBulletin(&c) }),
        ("GCP-", { c in vendorBulletin(&c) }),
    ]

    private static func match(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (String, Int)? {
        for kind in kinds {
            var cursor = Cursor(bytes: bytes, index: start)
            guard cursor.literal(kind.prefix), let rest = kind.rest(&cursor), cursor.atWordEnd else { continue }
            return (kind.prefix + rest, cursor.index)
        }
        return nil
    }

    /// `xxxx-xxxx-xxxx` in GitHub's alphabet, lower-cased.
    private static func ghsaBody(_ cursor: inout Cursor) -> String? {
        var groups: [String] = []
        for group in 0..<3 {
            if group > 0 { guard cursor.dash() != nil else { return nil } }
            var text = ""
            for _ in 0..<4 {
                guard let byte = cursor.peek, "23456789cfghjmpqrvwx".utf8.contains(byte | 0x20) else { return nil }
                text.append(Character(Unicode.Scalar(byte | 0x20)))
                cursor.index += 1
            }
            groups.append(text)
        }
        return groups.joined(separator: "-")
    }

    /// `-5678-1` or `-5678` after DSA/DLA; also ` 5678-1` (as Debian's mail subjects write it).
    private static func debian(_ cursor: inout Cursor) -> String? {
        let spaced = cursor.dash() == nil
        guard !spaced || cursor.literal(" "), let number = cursor.digits(3, 5) else { return nil }
        var suffix = cursor
        if suffix.dash() != nil, let revision = suffix.digits(1, 2) {
            cursor = suffix
            return "-\(number)-\(revision)"
        }
        return spaced ? nil : "-" + number
    }

    /// After `ALAS`: an optional product (`2`, `2023`, `2KERNEL-5.10`, `2ECS` …), then `-YYYY-NNN`.
    private static func amazonLinux(_ cursor: inout Cursor) -> String? {
        var product = ""
        while product.count < 32, let byte = cursor.peek {
            // The year and number start at the first "-YYYY-" that ends the product.
            var probe = cursor
            if probe.dash() != nil, probe.digits(4, 4) != nil, probe.dash() != nil, probe.digits(3, 5) != nil { break }
            guard isWordByte(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") else { return nil }
            product.append(Character(Unicode.Scalar(isLetterByte(byte) ? byte & ~0x20 : byte)))
            cursor.index += 1
        }
        guard cursor.dash() != nil, let year = cursor.digits(4, 4), cursor.dash() != nil,
              let number = cursor.digits(3, 5) else { return nil }
        return "\(product)-\(year)-\(number)"  // "ALAS" + "2023" + "-2024-123"
    }

    /// `YYYY-NNN` after a cloud vendor's prefix.
    private static func vendorBulletin(_ cursor: inout Cursor) -> String? {
        guard let year = cursor.digits(4, 4), cursor.dash() != nil, let number = cursor.digits(3, 3) else { return nil }
        return "\(year)-\(number)"
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
        mutating func literal(_ text: String) -> Bool {
            var probe = index
            for unit in text.utf8 {
                guard probe < bytes.count else { return false }
                let byte = bytes[probe]
                guard byte == unit || (unit >= 0x41 && unit <= 0x5A && byte == unit | 0x20) else { return false }
                probe += 1
            }
            index = probe
            return true
        }

        /// A hyphen.
        mutating func dash() -> Void? { literal("-") ? () : nil }

        /// `min` to `max` digits, no more.
        mutating func digits(_ min: Int, _ max: Int) -> String? {
            var probe = index
            while probe < bytes.count, probe - index < max + 1, bytes[probe] >= 0x30 && bytes[probe] <= 0x39 { probe += 1 }
            let count = probe - index
            guard count >= min, count <= max else { return nil }
            defer { index = probe }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<probe]), as: UTF8.self)
        }
    }
}
