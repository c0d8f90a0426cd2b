internal import CCurl

/// `curl_global_init`, run once, before the first handle is made (a lazy global is
/// initialised exactly once, thread-safely).
let curlGlobalInit: Void = {
    let code = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    precondition(code == CURLE_OK, "curl_global_init failed: \(String(cString: curl_easy_strerror(code)))")
}()

/// The libcurl version and its features, e.g. "libcurl/7.88.1 OpenSSL/3.0.19 zlib/1.2.13 brotli/1.0.9".
public var curlVersion: String {
    String(cString: curl_version())
}
