internal import CCurl

/// One libcurl transfer: owns its `CURL` easy handle (freed in `deinit`), the request's
/// options, and the response it collects (status, headers, body).
///
/// Not `Sendable`: a transfer is configured, run and read on one thread. Run it alone with
/// `perform()` or many at once with `CurlMulti`.
public final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    /// The URL the transfer was created for.
    public let url: String
    /// The body received so far: decoded when libcurl decodes it (`acceptAllEncodings`), as it
    /// travelled otherwise (`acceptEncodings(_:decoding:)`).
    public private(set) var body: [UInt8] = []
    /// Header lines of the last response (after redirects), without the status line.
    public private(set) var headers: [(name: String, value: String)] = []
    /// The limit on the body as the caller sees it (decompressed); a larger body stops
    /// the transfer with a `CurlError` (code 23). It also bounds decompression bombs.
    public var maxBodyBytes: Int = .max
    /// The limit on the body as it travels (before decompression); see `limitDownload(to:)`.
    public private(set) var maxDownloadBytes: Int = .max
    /// Which limit stopped the transfer, if one did.
    public private(set) var exceededLimit: CurlSizeLimit?
    /// True when the transfer was stopped by `maxBodyBytes` or `maxDownloadBytes`.
    public var bodyLimitExceeded: Bool { exceededLimit != nil }
    /// Every response of the transfer in order, redirects included (1xx left out).
    public private(set) var responses: [CurlResponse] = []

    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    var stringLists: [CurlStringList] = []
    /// The body an upload (SMTP) reads from, kept alive while the handle may use it.
    var uploadSource: CurlUploadSource?

    /// A transfer of `url`, with signals off (needed with threads) and the callbacks set.
    /// - SeeAlso: https://curl.se/libcurl/c/curl_easy_init.html
    public init(url: String) throws(CurlError) {
        _ = curlGlobalInit
        guard let handle = curl_easy_init() else {
            errorBuffer.deallocate()
            throw CurlError(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init returned NULL",
                            call: "curl_easy_init", url: url)
        }
        self.handle = handle
        self.url = url
        errorBuffer.initialize(to: 0)
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        try set(CURLOPT_URL, url)
        try set(CURLOPT_NOSIGNAL, 1)
        let context = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_PRIVATE, pointer: context)
        try set(CURLOPT_WRITEDATA, pointer: context)
        try set(CURLOPT_HEADERDATA, pointer: context)
        // The callbacks capture nothing; `self` travels as unretained userdata. Invariant:
        // this object outlives the transfer, since the caller (or CurlMulti) holds it.
        try check(ccurl_easy_setopt_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let easy = Unmanaged<CurlEasy>.fromOpaque(context!).takeUnretainedValue()
            return easy.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
        }, "curl_easy_setopt(WRITEFUNCTION)")
        try check(ccurl_easy_setopt_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let easy = Unmanaged<CurlEasy>.fromOpaque(context!).takeUnretainedValue()
            easy.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }, "curl_easy_setopt(HEADERFUNCTION)")
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    // MARK: Request options

    /// Allowed protocols, for the URL and for every redirect, e.g. `["http", "https"]`.
    /// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_PROTOCOLS_STR.html
    public func allowProtocols(_ protocols: [String]) throws(CurlError) {
        let list = protocols.joined(separator: ",")
        try set(CURLOPT_PROTOCOLS_STR, list)
        try set(CURLOPT_REDIR_PROTOCOLS_STR, list)
    }

    /// Follow up to `maximum` redirects (0 turns following off).
    /// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_FOLLOWLOCATION.html
    public func followRedirects(maximum: Int) throws(CurlError) {
        try set(CURLOPT_FOLLOWLOCATION, maximum > 0 ? 1 : 0)
        try set(CURLOPT_MAXREDIRS, maximum)
    }

    /// Connect and whole-transfer time limits, in seconds.
    /// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_TIMEOUT_MS.html
    public func setTimeouts(connect: Double, total: Double) throws(CurlError) {
        try set(CURLOPT_CONNECTTIMEOUT_MS, Int(connect * 1000))
        try set(CURLOPT_TIMEOUT_MS, Int(total * 1000))
    }

    /// The `User-Agent` header.
    public func setUserAgent(_ agent: String) throws(CurlError) {
        try set(CURLOPT_USERAGENT, agent)
    }

    /// Advertise every encoding this libcurl decodes (gzip, deflate, br, zstd) and decode
    /// the body transparently.
    /// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_ACCEPT_ENCODING.html
    public func acceptAllEncodings() throws(CurlError) {
        try set(CURLOPT_ACCEPT_ENCODING, "")
    }

    /// Advertise `encodings` (`Accept-Encoding`, e.g. "gzip"), and have libcurl decode the
    /// body or leave it as it travelled (`decoding`), for a caller that decodes it itself
    /// (`Content-Encoding` says how) and wants it as it came too.
    /// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_HTTP_CONTENT_DECODING.html
    public func acceptEncodings(_ encodings: String, decoding: Bool) throws(CurlError) {
        try set(CURLOPT_ACCEPT_ENCODING, encodings)
        try set(CURLOPT_HTTP_CONTENT_DECODING, decoding ? 1 : 0)
    }

    /// Verify the server's certificate and that it names the host (libcurl's default,
    /// set explicitly so no later change turns it off by accident).
    /// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_SSL_VERIFYPEER.html
    public func verifyTLS() throws(CurlError) {
        try set(CURLOPT_SSL_VERIFYPEER, 1)
        try set(CURLOPT_SSL_VERIFYHOST, 2)
    }

    /// Stops the transfer when more than `bytes` arrive on the wire: at once when the
    /// `Content-Length` says so (code 63), else in the write callback (code 23), since
    /// libcurl 7.88 does not enforce the limit for chunked or compressed bodies itself.
    /// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_MAXFILESIZE_LARGE.html
    public func limitDownload(to bytes: Int) throws(CurlError) {
        maxDownloadBytes = bytes
        try check(ccurl_easy_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(bytes)),
                  "curl_easy_setopt(MAXFILESIZE_LARGE)")
    }

    /// Extra request header lines, `"Name: value"`.
    /// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_HTTPHEADER.html
    public func setRequestHeaders(_ lines: [String]) throws(CurlError) {
        let list = CurlStringList(lines)
        stringLists.append(list)
        try check(ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list.handle),
                  "curl_easy_setopt(HTTPHEADER)")
    }

    // MARK: Running

    /// Runs the transfer to its end on this thread.
    /// - Throws: `CurlError` naming the URL when libcurl fails (not for HTTP error statuses).
    /// - SeeAlso: https://curl.se/libcurl/c/curl_easy_perform.html
    public func perform() throws(CurlError) {
        prepareForTransfer()
        try check(curl_easy_perform(handle), "curl_easy_perform")
    }

    /// Clears what an earlier run collected.
    func prepareForTransfer() {
        body.removeAll(keepingCapacity: true)
        headers.removeAll()
        responses.removeAll()
        exceededLimit = nil
        uploadSource?.offset = 0
        errorBuffer[0] = 0
    }

    // MARK: Response

    /// The HTTP status of the last response (0 when none arrived).
    /// - SeeAlso: https://curl.se/libcurl/c/CURLINFO_RESPONSE_CODE.html
    public var responseCode: Int {
        var code = 0
        _ = ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// The URL of the last request, after redirects.
    public var effectiveURL: String {
        var pointer: UnsafePointer<CChar>?
        guard ccurl_easy_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &pointer) == CURLE_OK,
              let pointer else { return url }
        return String(cString: pointer)
    }

    /// Bytes received on the wire (before decompression).
    public var downloadedBytes: Int {
        var size: curl_off_t = 0
        _ = ccurl_easy_getinfo_off(handle, CURLINFO_SIZE_DOWNLOAD_T, &size)
        return Int(size)
    }

    /// Bytes of response headers received, over every response of the transfer.
    /// - SeeAlso: https://curl.se/libcurl/c/CURLINFO_HEADER_SIZE.html
    public var headerBytes: Int {
        var size = 0
        _ = ccurl_easy_getinfo_long(handle, CURLINFO_HEADER_SIZE, &size)
        return size
    }

    /// The value of the last response's header `name` (case-insensitive), if any.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.last { $0.name.lowercased() == lowered }?.value
    }

    // MARK: Callbacks and checks

    private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        // Returning less than given makes libcurl stop with CURLE_WRITE_ERROR.
        guard body.count + bytes.count <= maxBodyBytes else {
            exceededLimit = .body
            return 0
        }
        guard maxDownloadBytes == .max || downloadedBytes <= maxDownloadBytes else {
            exceededLimit = .download
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    private func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers.removeAll()  // a new response (after a redirect or a 100 Continue)
            let fields = line.split(separator: " ", maxSplits: 2)
            if fields.count >= 2, let status = Int(fields[1]), status >= 200 {
                // While its headers arrive, the effective URL is the URL this response answers.
                responses.append(CurlResponse(status: status, url: effectiveURL))
            }
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon])
        // The value as sent, less the whitespace around it (validators go back byte for byte).
        let value = String(line[line.index(after: colon)...].drop(while: \.isWhitespace)
            .reversed().drop(while: \.isWhitespace).reversed())
        headers.append((name, value))
    }

    func error(_ code: CURLcode, _ call: String) -> CurlError {
        let detail = String(cString: errorBuffer)
        switch exceededLimit {
        case .body:
            return CurlError(code: Int(code.rawValue), message: "body larger than \(maxBodyBytes) bytes",
                             call: call, url: url)
        case .download:
            return CurlError(code: Int(code.rawValue), message: "download larger than \(maxDownloadBytes) bytes",
                             call: call, url: url)
        case nil where code == CURLE_FILESIZE_EXCEEDED:
            return CurlError(code: Int(code.rawValue),
                             message: "download larger than \(maxDownloadBytes) bytes (Content-Length)",
                             call: call, url: url)
        case nil:
            break
        }
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        return CurlError(code: Int(code.rawValue), message: message, call: call, url: url)
    }

    func check(_ code: CURLcode, _ call: @autoclosure () -> String) throws(CurlError) {
        guard code == CURLE_OK else { throw error(code, call()) }
    }

    func set(_ option: CURLoption, _ value: Int) throws(CurlError) {
        try check(ccurl_easy_setopt_long(handle, option, value), "curl_easy_setopt(\(option.rawValue))")
    }

    func set(_ option: CURLoption, _ value: String) throws(CurlError) {
        try check(ccurl_easy_setopt_string(handle, option, value), "curl_easy_setopt(\(option.rawValue))")
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer) throws(CurlError) {
        try check(ccurl_easy_setopt_pointer(handle, option, pointer), "curl_easy_setopt(\(option.rawValue))")
    }
}

@available(*, unavailable)
extension CurlEasy: Sendable {}

/// One response of a transfer: its status and the URL it answered.
public struct CurlResponse: Sendable, Hashable {
    public let status: Int
    public let url: String
}

/// The size limits a transfer enforces.
public enum CurlSizeLimit: Sendable, Hashable {
    /// `maxBodyBytes`: the body after decompression.
    case body
    /// `maxDownloadBytes`: the body on the wire.
    case download
}
