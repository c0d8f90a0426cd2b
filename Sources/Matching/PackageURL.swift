/// Package URLs (`pkg:type/namespace/name@version?qualifiers#subpath`, the purl
/// specification), as an inventory or an SBOM names a service's package, reduced to the
/// package's identity an advisory names: `pkg:npm/%40angular/core@17` → `@angular/core`,
/// `pkg:maven/org.apache.logging.log4j/log4j-core` → `org.apache.logging.log4j:log4j-core`,
/// `pkg:golang/github.com/containerd/containerd` → `github.com/containerd/containerd`.
public enum PackageURL {
    /// The package a purl names, in lower case, or nil when `purl` is not one.
    public static func identity(_ purl: String) -> String? {
        guard purl.lowercased().hasPrefix("pkg:") else { return nil }
        var rest = Substring(purl.dropFirst(4))
        while rest.first == "/" { rest = rest.dropFirst() }
        // Qualifiers, subpath and version are not the package's identity.
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<cut] }
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let type = rest[..<slash].lowercased()
        var path = rest[rest.index(after: slash)...]
        if let at = path.lastIndex(of: "@"), at != path.startIndex { path = path[..<at] }
        let segments = path.split(separator: "/").map { decoded($0) }
        guard let name = segments.last, !name.isEmpty, !type.isEmpty else { return nil }
        let namespace = segments.dropLast().joined(separator: "/")
        let identity: String
        switch type {
        case "maven": identity = namespace.isEmpty ? name : namespace + ":" + name
        default: identity = namespace.isEmpty ? name : namespace + "/" + name
        }
        return identity.lowercased()
    }

    /// Whether the package an advisory declares (`github.com/containerd/containerd/v2`) is
    /// the one `identity` names: the same, or a major version's path of it.
    static func names(_ identity: String, package: String) -> Bool {
        let package = package.lowercased()
        guard package.hasPrefix(identity) else { return false }
        let rest = package.dropFirst(identity.count)
        return rest.isEmpty || (rest.hasPrefix("/v") && rest.dropFirst(2).allSatisfy(\.isNumber))
    }

    /// A purl segment with its percent-encoding undone (`%40angular` → `@angular`).
    private static func decoded(_ segment: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(segment.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
