import LibXML

/// Feed text as a person reads it: HTML decoded and stripped, whitespace collapsed.
///
/// Text without markup is only collapsed. Markup goes to libxml2's HTML parser, except
/// the plain kind most feeds carry (tags, attributes, character and the common named
/// references), which a single scan reduces to the same text without building a tree;
/// anything else (comments, `script`, unknown references, stray `<`) goes to libxml2.
/// `PlainTextTests` checks on the whole corpus that both give the same text.
enum PlainText {
    /// Plain text of `raw`, or nil when nothing readable is left.
    static func from(_ raw: String?) -> String? {
        guard let raw else { return nil }
        var scratch: [UInt8] = []
        return fromHTML(Array(raw.utf8), scratch: &scratch)
    }

    /// Plain text of the HTML source `html` (UTF-8), or nil when nothing readable is left.
    /// `scratch` is working space, lent so that a caller converting many fields reuses it.
    static func fromHTML(_ html: [UInt8], scratch output: inout [UInt8]) -> String? {
        html.withUnsafeBufferPointer { fromHTML($0, scratch: &output) }
    }

    /// The same, of HTML source where it lies.
    static func fromHTML(_ input: UnsafeBufferPointer<UInt8>, scratch output: inout [UInt8]) -> String? {
        output.removeAll(keepingCapacity: true)
        output.reserveCapacity(input.count)
        if !scan(input, into: &output) {
            output.removeAll(keepingCapacity: true)
            collapse(HTMLDocument(utf8: input).text, into: &output)
        }
        let mayBeDoubleEncoded = output.withUnsafeBufferPointer {
            $0.firstIndex(of: 0xC3, from: 0) != nil || $0.firstIndex(of: 0xC2, from: 0) != nil
        }
        if mayBeDoubleEncoded { repairDoubleEncoding(&output) }
        return output.isEmpty ? nil : String(decoding: output, as: UTF8.self)
    }

    /// Mends text whose UTF-8 was once read as ISO-8859-1 or windows-1252 and encoded again
    /// ("cafÃ©" for "café", "â€™" for "’"): a run of such characters whose bytes form one
    /// well-formed UTF-8 sequence for a Latin-1 letter or a punctuation mark is that character.
    static func repairDoubleEncoding(_ text: inout [UInt8]) {
        var output: [UInt8]?  // made at the first repair: most text has none
        text.withUnsafeBufferPointer { input in
            var copied = 0
            var index = 0
            // Every such run starts with Ã (C3 83), Â (C3 82) or â (C3 A2): the leads of the
            // bytes it stands for (see `doubleEncoded`).
            while let found = input.firstIndex(of: 0xC3, from: index) {
                guard let (bytes, next) = doubleEncoded(input, at: found) else {
                    index = found + 1
                    continue
                }
                if output == nil { output = [] }
                output!.append(contentsOf: UnsafeBufferPointer(rebasing: input[copied..<found]))
                output!.append(contentsOf: bytes)
                (copied, index) = (next, next)
            }
            output?.append(contentsOf: UnsafeBufferPointer(rebasing: input[copied...]))
        }
        if let output { text = output }
    }

    /// The byte a character stood for when its text was misread as windows-1252 (or
    /// ISO-8859-1), and the index after the character; nil for any other character.
    private static func misreadByte(_ input: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt8, Int)? {
        guard index + 1 < input.count else { return nil }
        let lead = input[index], second = input[index + 1]
        if lead == 0xC2 && second >= 0x80 && second <= 0xBF { return (second, index + 2) }
        if lead == 0xC3 && second >= 0x80 && second <= 0xBF { return (second + 0x40, index + 2) }
        guard index + 2 < input.count, lead >= 0xC5 && lead <= 0xE2 else { return nil }
        let length = lead >= 0xE0 ? 3 : 2
        guard index + length <= input.count else { return nil }
        let scalar = String(decoding: UnsafeBufferPointer(rebasing: input[index..<index + length]), as: UTF8.self)
            .unicodeScalars.first!
        for byte: UInt8 in 0x80...0x9F where DocumentRepair.windows1252(byte) == scalar { return (byte, index + length) }
        return nil
    }

    private static func doubleEncoded(_ input: UnsafeBufferPointer<UInt8>, at index: Int) -> ([UInt8], Int)? {
        // Only the leads of Latin-1 letters (Â, Ã) and of punctuation (â: ’ “ ” … –): text in
        // other scripts misread this way is left alone rather than guessed at. As characters,
        // those leads are C3 82, C3 83 and C3 A2 (`misreadByte` gives no other a lead).
        guard index + 1 < input.count, input[index] == 0xC3,
              input[index + 1] == 0x82 || input[index + 1] == 0x83 || input[index + 1] == 0xA2,
              let (lead, afterLead) = misreadByte(input, at: index), lead == 0xC2 || lead == 0xC3 || lead == 0xE2
        else { return nil }
        let length = DocumentEncoding.sequenceLength(lead)
        var bytes = [lead]
        var cursor = afterLead
        while bytes.count < length {
            guard let (byte, next) = misreadByte(input, at: cursor), byte >= 0x80 && byte <= 0xBF else { return nil }
            bytes.append(byte)
            cursor = next
        }
        let valid = bytes.withUnsafeBufferPointer { DocumentEncoding.invalidUTF8Length($0, at: 0) == nil }
        return valid ? (bytes, cursor) : nil
    }

    /// Plain text of `text`, which holds no markup, or nil when it is all whitespace.
    static func collapsingWhitespace(_ text: String) -> String {
        var output: [UInt8] = []
        collapse(Array(text.utf8), into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// What libxml2's HTML parser makes of `html`, collapsed (for tests of `scan`).
    static func viaLibXML(_ html: [UInt8]) -> String {
        var output: [UInt8] = []
        html.withUnsafeBufferPointer { collapse(HTMLDocument(utf8: $0).text, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// The fast path alone: the text, or nil where libxml2 is needed (for tests).
    static func viaScan(_ html: [UInt8]) -> String? {
        var output: [UInt8] = []
        let done = html.withUnsafeBufferPointer { scan($0, into: &output) }
        return done ? String(decoding: output, as: UTF8.self) : nil
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C
    }

    /// Appends `bytes` with runs of whitespace (no-break space included) made one space,
    /// none at either end.
    static func collapse(_ bytes: [UInt8], into output: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { collapse($0, into: &output) }
    }

    /// `bytes` with their whitespace collapsed (entities are already decoded), or nil when
    /// nothing is left; `scratch` is working space, as for `fromHTML`.
    static func collapsed(_ bytes: UnsafeBufferPointer<UInt8>, scratch output: inout [UInt8]) -> String? {
        output.removeAll(keepingCapacity: true)
        collapse(bytes, into: &output)
        return output.isEmpty ? nil : String(decoding: output, as: UTF8.self)
    }

    static func collapse(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        if !hasSpaceOrControl(bytes) {
            output.append(contentsOf: bytes)  // a link, an id, a date: nothing to collapse
            return
        }
        var pendingSpace = false
        var afterC2 = false
        for byte in bytes {
            if afterC2 {
                afterC2 = false
                if byte == 0xA0 {
                    pendingSpace = !output.isEmpty
                    continue
                }
                if pendingSpace { output.append(0x20) }
                pendingSpace = false
                if byte >= 0x80 && byte <= 0x9F {  // a C1 control: windows-1252 misread
                    output.append(contentsOf: UTF8.encode(DocumentRepair.windows1252(byte))!)
                    continue
                }
                output.append(0xC2)
            }
            if isSpace(byte) || byte == 0 {
                pendingSpace = !output.isEmpty
            } else if byte == 0xC2 {
                afterC2 = true
            } else {
                if pendingSpace { output.append(0x20) }
                pendingSpace = false
                output.append(byte)
            }
        }
        if afterC2 {
            if pendingSpace { output.append(0x20) }
            output.append(0xC2)
        }
    }

    /// True when `bytes` holds whitespace, a control character or 0xC2 (which starts a
    /// no-break space and the C1 controls): the bytes `collapse` changes.
    private static func hasSpaceOrControl(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index + 8 <= bytes.count {
            let word = ByteWord.load(bytes, at: index)
            if ByteWord.controlBytes(word) | ByteWord.bytes(word, equalTo: 0x20) | ByteWord.bytes(word, equalTo: 0xC2) != 0 {
                return true
            }
            index += 8
        }
        return bytes[index...].contains { $0 <= 0x20 || $0 == 0xC2 }
    }

    /// What a tag does to the text around it; a tag not listed separates words.
    private enum TagRole {
        /// It sits inside a line of text (`b`, `a`, `span` …).
        case inline
        /// Its text is code, between backticks (`code`, `kbd`, `samp`, `tt`; `pre` also
        /// separates words).
        case inlineCode
        case blockCode
        /// A reader does not see its text, or libxml2 moves it about: left to libxml2.
        case libxmlOnly
        /// It has no end tag and no content (`br`, `img` …): it separates words.
        case empty
    }

    /// Tag roles by `tagKey` of the name.
    private static let tagRoles: TagTable = {
        var roles = TagTable()
        for name in HTMLDocument.inlineElements { roles.insert(tagKey(name.utf8)!, .inline) }
        for name in HTMLDocument.codeElements {
            roles.insert(tagKey(name.utf8)!, HTMLDocument.inlineElements.contains(name) ? .inlineCode : .blockCode)
        }
        for name in ["script", "style", "head", "noscript", "template", "title", "html", "body", "meta", "link",
                     "base", "frameset", "frame", "iframe", "textarea", "xmp", "noembed", "noframes", "select",
                     "option"] {  // and "plaintext", whose name is too long for a key
            roles.insert(tagKey(name.utf8)!, .libxmlOnly)
        }
        // libxml2's empty elements (2.9's HTML 4 table), but for those left to it above.
        for name in ["area", "basefont", "br", "col", "hr", "img", "input", "isindex", "param"] {
            roles.insert(tagKey(name.utf8)!, .empty)
        }
        // Which open elements a start tag closes, as a mask of the closed ones' bits.
        let closed = Array(Set(startCloses.values.joined())).sorted()
        for (name, closes) in startCloses {
            roles.setCloses(tagKey(name.utf8)!, closes.reduce(0) { $0 | 1 << UInt64(closed.firstIndex(of: $1)!) })
        }
        for (bit, name) in closed.enumerated() { roles.setBit(tagKey(name.utf8)!, 1 << UInt64(bit)) }
        return roles
    }()

    /// The start tags that close the element open before them, by libxml2's rules (its
    /// `htmlStartClose`, 2.9), for the elements the scan reads that separate words (`pre`
    /// too; libxml2 also closes inline elements and those left to it). A start tag that
    /// closes the innermost element the scan opened is left to libxml2: the end tag of the
    /// closed one would then close nothing (`<p>a<div>b</div>c</p>d` reads "a b cd").
    private static let startCloses: [String: [String]] = {
        let headings = ["h1", "h2", "h3", "h4", "h5", "h6"]
        return [
            "form": ["form", "p", "dl", "ul", "ol", "menu", "dir", "address", "pre", "listing"] + headings,
            "li": ["p", "dl", "address", "pre", "listing", "li"] + headings,
            "hr": ["p"], "h1": ["p"], "h2": ["p"], "h3": ["p"], "h4": ["p"], "h5": ["p"], "h6": ["p"], "dir": ["p"],
            "address": ["p", "ul"], "pre": ["p", "ul"], "listing": ["p"],
            "dl": ["p", "dt", "menu", "dir", "address", "pre", "listing"],
            "dt": ["p", "menu", "dir", "address", "pre", "listing", "dd"],
            "dd": ["p", "menu", "dir", "address", "pre", "listing", "dt"],
            "ul": ["p", "ol", "menu", "dir", "address", "pre", "listing"],
            "ol": ["p", "ul"], "menu": ["p", "ul"], "p": ["p"] + headings, "div": ["p"], "center": ["p"],
            "caption": ["p"], "colgroup": ["caption", "colgroup", "col", "p"], "col": ["caption", "col", "p"],
            "table": ["p", "pre", "listing"] + headings, "th": ["th", "td", "p"], "td": ["th", "td", "p"],
            "tr": ["th", "td", "tr", "caption", "col", "colgroup", "p"], "thead": ["caption", "col", "colgroup"],
            "tfoot": ["th", "td", "tr", "caption", "col", "colgroup", "thead", "tbody", "p"],
            "tbody": ["th", "td", "tr", "caption", "col", "colgroup", "thead", "tfoot", "tbody", "p"],
            "fieldset": ["legend", "p", "pre", "listing"] + headings,
        ]
    }()

    /// A small open-addressing table of tags by key (role, and libxml2's closing rules):
    /// a lookup is a multiplication and a probe or two, where a `Dictionary` would hash the
    /// key with SipHash at every tag.
    private struct TagTable {
        struct Tag {
            var role: TagRole?
            /// The `bit`s of the elements this start tag closes.
            var closes: UInt64 = 0
            /// This element's bit, when a start tag may close it.
            var bit: UInt64 = 0
        }

        private var keys = [UInt64](repeating: 0, count: 128)
        private var tags = [Tag](repeating: Tag(), count: 128)

        private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 57) }

        private mutating func update(_ key: UInt64, _ change: (inout Tag) -> Void) {
            var index = slot(key)
            while keys[index] != 0 && keys[index] != key { index = (index + 1) & 127 }
            keys[index] = key
            change(&tags[index])
        }

        mutating func insert(_ key: UInt64, _ role: TagRole) { update(key) { $0.role = role } }
        mutating func setCloses(_ key: UInt64, _ closes: UInt64) { update(key) { $0.closes = closes } }
        mutating func setBit(_ key: UInt64, _ bit: UInt64) { update(key) { $0.bit = bit } }

        subscript(key: UInt64) -> Tag {
            var index = slot(key)
            while keys[index] != 0 {
                if keys[index] == key { return tags[index] }
                index = (index + 1) & 127
            }
            return Tag()
        }
    }

    /// A tag name's bytes, lower-cased, packed in one integer (one hash to look it up, and
    /// no array); nil for a name of more than 8 bytes (`blockquote`: left to libxml2).
    private static func tagKey(_ name: some Collection<UInt8>) -> UInt64? {
        guard name.count <= 8 else { return nil }
        return name.reduce(0) { $0 << 8 | UInt64(isLetter($1) ? $1 | 0x20 : $1) }
    }

    /// What a byte is to a run of text.
    private enum RunByte: UInt8 {
        case other = 0
        case end = 1
        case space = 2
    }

    /// `RunByte` of every byte value, so that a run is scanned with one test per byte.
    private static let runBytes: [RunByte] = (0...255).map { byte in
        switch UInt8(byte) {
        case 0x20: .space
        case 0x00..<0x20, UInt8(ascii: "<"), UInt8(ascii: "&"), 0xC2: .end
        default: .other
        }
    }

    /// One pass over `input` that appends its text to `output` (collapsed), or returns
    /// false as soon as it meets anything it does not read exactly as libxml2 would.
    private static func scan(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        var index = 0
        let end = input.count
        var pendingSpace = false
        var codeDepth = 0
        // The elements opened and not yet closed that separate words or hold code, innermost
        // last (by `tagKey`).
        var openElements: [UInt64] = []
        // The inline elements opened and not yet closed, each with the count of `openElements`
        // when it was: an inline end tag closes what was opened inside it (see `.inline`).
        var openInline: [(key: UInt64, depth: Int)] = []
        @inline(__always) func closeInnermost() {
            openElements.removeLast()
            // Inline elements opened inside it are closed with it: no text of their own.
            while let last = openInline.last, last.depth > openElements.count { openInline.removeLast() }
        }
        let runBytes = Self.runBytes  // read once: a static is checked for its initialization at each use
        let tagRoles = Self.tagRoles
        @inline(__always) func emit(_ byte: UInt8) {
            if pendingSpace && !output.isEmpty { output.append(0x20) }
            pendingSpace = false
            output.append(byte)
        }
        while index < end {
            let byte = input[index]
            if (byte == UInt8(ascii: "&") || (byte == UInt8(ascii: "<") && !output.isEmpty))
                && (index + 1 == end || isText(input[index + 1])) {
                // A `&` or `<` that starts no markup ("Q & A", "a <= b") is text, as in libxml2
                // (which drops a `<` before any text).
                emit(byte)
                index += 1
            } else if byte == UInt8(ascii: "<") {
                // A start or end tag: its name decides whether it separates words.
                var cursor = index + 1
                let isEndTag = cursor < end && input[cursor] == UInt8(ascii: "/")
                if isEndTag { cursor += 1 }
                guard cursor < end, isLetter(input[cursor]) else { return false }
                let nameStart = cursor
                while cursor < end, isNameByte(input[cursor]) { cursor += 1 }
                // A prefixed name (`<o:p>`, `<x:pre>`) is left to libxml2, which reads some by
                // the name after the colon.
                guard !input[nameStart..<cursor].contains(UInt8(ascii: ":")) else { return false }
                guard let key = tagKey(UnsafeBufferPointer(rebasing: input[nameStart..<cursor])) else { return false }
                let tag = tagRoles[key]
                let role = tag.role
                guard role != .libxmlOnly else { return false }
                // A start tag that closes the innermost element opened (see `startCloses`).
                if !isEndTag, let innermost = openElements.last, tag.closes & tagRoles[innermost].bit != 0 { return false }
                // Attributes, to the closing '>', quotes respected.
                let attributesStart = cursor
                while cursor < end {
                    let c = input[cursor]
                    if c == UInt8(ascii: ">") { break }
                    if c == UInt8(ascii: "<") { return false }
                    if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                        // An end tag has no values: libxml2 ends it at the first `>` (`</c o=">">`
                        // leaves the text `">`).
                        guard !isEndTag, opensValue(input, quoteAt: cursor, attributesFrom: attributesStart) else { return false }
                        cursor += 1
                        while cursor < end, input[cursor] != c { cursor += 1 }
                        guard cursor < end else { return false }
                    }
                    cursor += 1
                }
                guard cursor < end else { return false }
                switch role {
                case .inline:
                    // An end tag closes its element and whatever was opened inside it and is
                    // still open, as libxml2 does; were one of those a separating element, its
                    // space would be missed (`<b><e>2</b>.` reads "2 ."): that is left to libxml2.
                    // An end tag of no open element is ignored, as libxml2 ignores it.
                    if isEndTag {
                        if let open = openInline.lastIndex(where: { $0.key == key }) {
                            guard openElements.count <= openInline[open].depth else { return false }
                            openInline.removeSubrange(open...)
                        }
                    } else if input[cursor - 1] != UInt8(ascii: "/") {
                        openInline.append((key, openElements.count))
                    }
                case .inlineCode, .blockCode:
                    // `<code/>`, and a `pre` inside code (which HTML's rules may close early),
                    // are left to libxml2; so is an end tag that closes no code element open
                    // (libxml2 ignores `</pre>` in `<code></pre>s`).
                    if input[cursor - 1] == UInt8(ascii: "/") { return false }
                    if isEndTag {
                        guard codeDepth > 0, openElements.last == key else { return false }
                        closeInnermost()
                        codeDepth -= 1
                        if codeDepth == 0 { emit(UInt8(ascii: "`")) }
                        if role == .blockCode { pendingSpace = true }
                    } else {
                        if role == .blockCode {
                            guard codeDepth == 0 else { return false }
                            pendingSpace = true
                        }
                        if codeDepth == 0 { emit(UInt8(ascii: "`")) }
                        codeDepth += 1
                        openElements.append(key)
                    }
                case .empty:
                    if codeDepth > 0 || isEndTag { return false }
                    pendingSpace = true
                default:
                    if codeDepth > 0 { return false }
                    // libxml2 ignores an end tag that closes no open element (`a</div>b` is "ab"):
                    // the scan reads only an end tag that closes the innermost element it opened,
                    // and leaves any other to libxml2. `<div/>` is complete as it is.
                    if isEndTag {
                        guard openElements.last == key else { return false }
                        closeInnermost()
                    } else if input[cursor - 1] != UInt8(ascii: "/") {
                        openElements.append(key)
                    }
                    pendingSpace = true
                }
                index = cursor + 1
            } else if byte == UInt8(ascii: "&") {
                guard let (scalar, next) = reference(input, at: index) else { return false }
                index = next
                if scalar == 0x20 || scalar == 0xA0 || (scalar < 0x20 && isSpace(UInt8(scalar))) {
                    pendingSpace = true
                } else if scalar < 0x80 {
                    emit(UInt8(scalar))
                } else {
                    for unit in UTF8.encode(Unicode.Scalar(scalar)!)! { emit(unit) }
                }
            } else if isSpace(byte) {
                pendingSpace = true
                index += 1
            } else if byte == 0xC2 && index + 1 < end && input[index + 1] == 0xA0 {
                pendingSpace = true
                index += 2
            } else if byte == 0xC2 && index + 1 < end && input[index + 1] >= 0x80 && input[index + 1] <= 0x9F {
                // A C1 control is a windows-1252 character misread as ISO-8859-1: "don\u{92}t" → "don’t".
                for unit in UTF8.encode(DocumentRepair.windows1252(input[index + 1]))! { emit(unit) }
                index += 2
            } else {
                // A run of ordinary text, single spaces between words included, copied whole:
                // it ends before a control character, markup, 0xC2 (no-break space, C1
                // controls) or a second space in a row, and leaves out a space at its end.
                var runEnd = endOfRun(input, from: index, runBytes: runBytes)
                if input[runEnd - 1] == 0x20 { runEnd -= 1 }
                if pendingSpace && !output.isEmpty { output.append(0x20) }
                pendingSpace = false
                output.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<runEnd]))
                index = runEnd
            }
        }
        if codeDepth > 0 { return false }  // code left open: libxml2 decides where it ends
        return true
    }

    /// True when the quote at `quote` opens an attribute's value as libxml2 reads one: after
    /// white space, a name that starts with a letter, `_`, `:` or `.`, and `=` (white space
    /// allowed around it). libxml2 skips any other quote in a tag as part of a bogus
    /// attribute, up to the next white space or `>` (`<o">">` leaves the text `">`), so the
    /// scan leaves such tags to it.
    private static func opensValue(_ input: UnsafeBufferPointer<UInt8>, quoteAt quote: Int,
                                   attributesFrom start: Int) -> Bool {
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var index = quote - 1
        while index >= start, isBlank(input[index]) { index -= 1 }
        guard index >= start, input[index] == UInt8(ascii: "=") else { return false }
        index -= 1
        while index >= start, isBlank(input[index]) { index -= 1 }
        let nameEnd = index + 1
        while index >= start, isNameByte(input[index]) { index -= 1 }
        let nameStart = index + 1
        guard nameStart < nameEnd, index >= start, isBlank(input[index]) else { return false }
        // After `=` and white space libxml2 reads the next word as an unquoted value, `=` and
        // quotes and all: in `<o e= e=">">` the quote opens nothing (the text `">` follows).
        while index >= start, isBlank(input[index]) { index -= 1 }
        guard index < start || input[index] != UInt8(ascii: "=") else { return false }
        let first = input[nameStart]
        return isLetter(first) || first == UInt8(ascii: "_") || first == UInt8(ascii: ":") || first == UInt8(ascii: ".")
    }

    /// The end of the run of ordinary text that starts at `start` (whose first byte is
    /// taken whatever it is): before the next control character, `<`, `&` or 0xC2, or the
    /// second of two spaces. Eight bytes at a time while a word surely holds none of them
    /// (the word tests may see a pair of spaces that is not there: then the bytes decide).
    private static func endOfRun(_ input: UnsafeBufferPointer<UInt8>, from start: Int, runBytes: [RunByte]) -> Int {
        var runEnd = start + 1
        var previousSpace = false
        while runEnd + 8 <= input.count {
            let word = ByteWord.load(input, at: runEnd)
            let ends = ByteWord.controlBytes(word) | ByteWord.bytes(word, equalTo: UInt8(ascii: "<"))
                | ByteWord.bytes(word, equalTo: UInt8(ascii: "&")) | ByteWord.bytes(word, equalTo: 0xC2)
            let spaces = ByteWord.bytes(word, equalTo: 0x20)
            let doubleSpace = spaces & (spaces >> 8 | (previousSpace ? 0x80 : 0))  // a pair, or byte 0 after a space
            if ends | doubleSpace != 0 { break }
            previousSpace = input[runEnd + 7] == 0x20
            runEnd += 8
        }
        var previous = previousSpace ? RunByte.space : .other
        runBytes.withUnsafeBufferPointer { runBytes in  // 256 entries: no bounds check needed
            while runEnd < input.count {
                let kind = runBytes[Int(input[runEnd])]
                if kind.rawValue & (RunByte.end.rawValue | previous.rawValue) != 0 { break }  // one test per byte
                previous = kind
                runEnd += 1
            }
        }
        return runEnd
    }

    /// The character a reference at `start` (`&…;`) stands for and the index after it, or
    /// nil when it is not one libxml2 surely reads the same way.
    private static func reference(_ input: UnsafeBufferPointer<UInt8>, at start: Int) -> (UInt32, Int)? {
        var cursor = start + 1
        let end = min(input.count, start + 12)
        if let (value, semicolon) = CharacterReference.numeric(input, at: start, limit: end) {
            // C1 values are left to libxml2 (it keeps them; `collapse` then reads them as windows-1252).
            guard CharacterReference.isXMLCharacter(value), !(0x80...0x9F).contains(value) else { return nil }
            return (value, semicolon + 1)
        }
        let nameStart = cursor
        while cursor < end, isLetter(input[cursor]) || isDigit(input[cursor]) { cursor += 1 }
        guard cursor > nameStart, cursor < end, input[cursor] == UInt8(ascii: ";") else { return nil }
        let name = UnsafeBufferPointer(rebasing: input[nameStart..<cursor])
        let value: UInt32?
        switch (name.count, name.first) {
        case (2, UInt8(ascii: "l")) where name[1] == UInt8(ascii: "t"): value = 0x3C
        case (2, UInt8(ascii: "g")) where name[1] == UInt8(ascii: "t"): value = 0x3E
        case (3, UInt8(ascii: "a")) where name[1] == UInt8(ascii: "m") && name[2] == UInt8(ascii: "p"): value = 0x26
        default: value = HTMLDocument.entity(named: name)
        }
        return value.map { ($0, cursor + 1) }
    }

    /// True for a byte after `<` or `&` that leaves them plain text: ASCII that can start no
    /// tag, comment, declaration or reference. (libxml2 reads other bytes with more rules.)
    private static func isText(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "/"), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "_"),
             UInt8(ascii: ":"): false
        default: byte < 0x80 && !isLetter(byte)
        }
    }

    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isNameByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":")
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
    }
}
