import LibXML
import Testing

/// Every example of RFC 3986 §5.4, resolved by libxml2 through `URIReference` against the
/// RFC's base URI.
@Suite struct URIReferenceTests {
    static let base = "http://a/b/c/d;p?q"

    /// §5.4.1, normal examples.
    @Test(arguments: [
        ("g:h", "g:h"), ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"), ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"),
        ("#s", "http://a/b/c/d;p?q#s"), ("g#s", "http://a/b/c/g#s"), ("g?y#s", "http://a/b/c/g?y#s"),
        (";x", "http://a/b/c/;x"), ("g;x", "http://a/b/c/g;x"), ("g;x?y#s", "http://a/b/c/g;x?y#s"),
        ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"), ("./", "http://a/b/c/"), ("..", "http://a/b/"),
        ("../", "http://a/b/"), ("../g", "http://a/b/g"), ("../..", "http://a/"), ("../../", "http://a/"),
        ("../../g", "http://a/g"),
    ])
    func normalExamples(reference: String, resolved: String) {
        #expect(URIReference.resolve(reference, against: Self.base) == resolved)
    }

    /// §5.4.2, abnormal examples (the strict reading of "http:g").
    @Test(arguments: [
        ("../../../g", "http://a/g"), ("../../../../g", "http://a/g"), ("/./g", "http://a/g"), ("/../g", "http://a/g"),
        ("g.", "http://a/b/c/g."), (".g", "http://a/b/c/.g"), ("g..", "http://a/b/c/g.."), ("..g", "http://a/b/c/..g"),
        ("./../g", "http://a/b/g"), ("./g/.", "http://a/b/c/g/"), ("g/./h", "http://a/b/c/g/h"),
        ("g/../h", "http://a/b/c/h"), ("g;x=1/./y", "http://a/b/c/g;x=1/y"), ("g;x=1/../y", "http://a/b/c/y"),
        ("g?y/./x", "http://a/b/c/g?y/./x"), ("g?y/../x", "http://a/b/c/g?y/../x"), ("g#s/./x", "http://a/b/c/g#s/./x"),
        ("g#s/../x", "http://a/b/c/g#s/../x"), ("http:g", "http:g"),
    ])
    func abnormalExamples(reference: String, resolved: String) {
        #expect(URIReference.resolve(reference, against: Self.base) == resolved)
    }

    /// What feeds write and RFC 3986 does not allow: encoded as a browser would, then resolved.
    @Test(arguments: [
        ("item[0].link", "https://example.com/dir/item%5B0%5D.link"), ("a^b", "https://example.com/dir/a%5Eb"),
        ("/a b/ü?x=1#f g", "https://example.com/a%20b/%C3%BC?x=1#f%20g"), ("g%20h", "https://example.com/dir/g%20h"),
        ("../x{y}", "https://example.com/x%7By%7D"),
    ])
    func charactersAURIMayNotHoldArePercentEncoded(reference: String, resolved: String) {
        #expect(URIReference.resolve(reference, against: "https://example.com/dir/feed.xml") == resolved)
    }

    @Test func aBaseThatIsNotAbsoluteResolvesNothing() {
        #expect(URIReference.resolve("g", against: "b/c") == nil)
        #expect(URIReference.resolve("g", against: "") == nil)
        #expect(!URIReference.isAbsolute("/feed.xml"))
        #expect(URIReference.isAbsolute("https://example.com/feed.xml"))
    }
}
