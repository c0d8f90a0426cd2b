internal import CCurl

/// `curl_global_init`, run once, before the first handle is made (a lazy global is
/// initialised exactly once, thread-safely).
let curlGlobalInit: Void = {
    let code = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    precondition(code == CURLE_OK, "curl_global_init failed: \(String(cString: curl_easy_strerror(code)))")
}()

