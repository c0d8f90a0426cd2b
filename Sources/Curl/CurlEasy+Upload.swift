internal import CCurl

/// The bytes an upload (an SMTP message) sends, read by libcurl in order.
final class CurlUploadSource {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Copies the next bytes into `buffer`; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0, let destination = buffer.baseAddress else { return 0 }
        bytes.withUnsafeBytes { source in
            destination.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}

@available(*, unavailable)
extension CurlUploadSource: Sendable {}

/// What SMTP and HTTP POST need beyond a download: an upload body, the envelope, TLS and
/// credentials. Every option is checked and names its call in the error.
extension CurlEasy {
    /// Makes this transfer an SMTP submission of `message` (the whole RFC 5322 text, CRLF
    /// line endings) from `sender` to every address of `recipients`. libcurl sends
    /// `MAIL FROM`, one `RCPT TO` each (failing the whole transfer when one is refused),
    /// then `DATA`, escaping lines that start with a dot.
    /// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_MAIL_FROM.html,
    ///   https://curl.se/libcurl/c/CURLOPT_MAIL_RCPT.html, https://curl.se/libcurl/c/CURLOPT_READFUNCTION.html
    public func prepareMail(from sender: String, to recipients: [String], message: [UInt8]) throws(CurlError) {
        try set(CURLOPT_MAIL_FROM, "<\(sender)>")
        let list = CurlStringList(recipients.map { "<\($0)>" })
        stringLists.append(list)
        try check(ccurl_easy_setopt_slist(handle, CURLOPT_MAIL_RCPT, list.handle), "curl_easy_setopt(MAIL_RCPT)")
        uploadSource = CurlUploadSource(message)
        try set(CURLOPT_UPLOAD, 1)
        try check(ccurl_easy_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.count)),
                  "curl_easy_setopt(INFILESIZE_LARGE)")
        try set(CURLOPT_READDATA, pointer: Unmanaged.passUnretained(self).toOpaque())
        // Captures nothing; `self` travels as unretained userdata and outlives the transfer.
        try check(ccurl_easy_setopt_callback(handle, CURLOPT_READFUNCTION) { buffer, size, count, context in
            let easy = Unmanaged<CurlEasy>.fromOpaque(context!).takeUnretainedValue()
            return easy.uploadSource?.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count)) ?? 0
        }, "curl_easy_setopt(READFUNCTION)")
    }

    /// Makes this transfer an HTTP POST of `body`, which libcurl copies.
    /// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_COPYPOSTFIELDS.html
    public func preparePost(body: [UInt8]) throws(CurlError) {
        try set(CURLOPT_POST, 1)
        try check(ccurl_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)),
                  "curl_easy_setopt(POSTFIELDSIZE_LARGE)")
        var bytes = body.isEmpty ? [0] : body
        let code = bytes.withUnsafeMutableBytes { ccurl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
        try check(code, "curl_easy_setopt(COPYPOSTFIELDS)")
    }

    /// Requires TLS on the connection (STARTTLS on `smtp://`; `smtps://` is TLS from the
    /// start): the transfer fails rather than go on in plain text. `false` sends in plain
    /// text, for a relay on the loopback interface only.
    /// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_USE_SSL.html
    public func requireTLS(_ required: Bool) throws(CurlError) {
        try set(CURLOPT_USE_SSL, Int(required ? CURLUSESSL_ALL.rawValue : CURLUSESSL_NONE.rawValue))
    }

    /// The user name and password to log in with (SMTP AUTH, HTTP basic auth).
    /// libcurl copies both; they never appear in errors.
    /// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_USERNAME.html
    public func setCredentials(username: String, password: String) throws(CurlError) {
        try set(CURLOPT_USERNAME, username)
        try set(CURLOPT_PASSWORD, password)
    }

    /// Trusts the certificate authorities in `file` (PEM) instead of the system's.
    /// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_CAINFO.html
    public func trustCertificates(inFile file: String) throws(CurlError) {
        try set(CURLOPT_CAINFO, file)
    }
}
