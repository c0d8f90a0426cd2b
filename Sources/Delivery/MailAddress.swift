/// An email address with an optional display name: `ops@example.com` or
/// `Bulletin <bulletin@example.com>`. Only plain ASCII addresses (no SMTPUTF8); the name
/// may be any text and is encoded (RFC 2047) when it is not ASCII.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    public var name: String?
    /// `local@domain`, as the SMTP envelope carries it.
    public var address: String

    /// Reads `addr@example.com` or `Display Name <addr@example.com>`; nil when it is not one.
    public init?(_ text: String) {
        let trimmed = text.trimmingSpaces
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            let inside = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var name = String(trimmed[..<open]).trimmingSpaces
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
            guard Self.isValid(inside), !name.unicodeScalars.contains(where: Self.isControl) else { return nil }
            self.name = name.isEmpty ? nil : name
            address = inside
        } else {
            guard Self.isValid(trimmed) else { return nil }
            address = trimmed
        }
    }

    public var description: String { name.map { "\($0) <\(address)>" } ?? address }

    /// The domain part: `example.com`.
    public var domain: Substring { address[address.index(after: address.lastIndex(of: "@")!)...] }

    /// The header form: the name encoded or quoted as needed, then `<address>`.
    var headerValue: String {
        guard let name else { return address }
        return "\(MIMEEncoding.phrase(name)) <\(address)>"
    }

    /// One `@`, a non-empty local part of printable ASCII without specials, a domain of
    /// letters, digits, dots and hyphens (or an `[address literal]`).
    static func isValid(_ address: String) -> Bool {
        guard address.utf8.count <= 254, let at = address.lastIndex(of: "@") else { return false }
        let local = address[..<at], domain = address[address.index(after: at)...]
        let specials = Set("()<>[]:;@\\,\"".unicodeScalars)
        guard !local.isEmpty, local.utf8.count <= 64,
              local.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 && !specials.contains($0) }),
              !domain.isEmpty, !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..") else { return false }
        if domain.hasPrefix("[") && domain.hasSuffix("]") {
            return domain.dropFirst().dropLast().unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit || $0 == "." || $0 == ":" }
        }
        return domain.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0)
            || ("0"..."9").contains($0) || $0 == "." || $0 == "-" }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 32 || scalar.value == 127 || (0x80..<0xA0).contains(scalar.value)
    }
}

extension String {
    /// Without spaces and tabs at either end.
    var trimmingSpaces: String {
        let scalars = unicodeScalars.drop { $0 == " " || $0 == "\t" }
        return String(String.UnicodeScalarView(scalars.reversed().drop { $0 == " " || $0 == "\t" }.reversed()))
    }
}
