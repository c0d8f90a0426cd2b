internal import CCurl

/// Runs many `CurlEasy` transfers at once on one thread: owns a `CURLM` multi handle
/// (freed in `deinit`). libcurl queues transfers beyond the connection limits itself.
public final class CurlMulti {
    private let handle: UnsafeMutableRawPointer

    /// A multi handle that opens at most `maxConnections` connections in all and
    /// `maxPerHost` to one host; further transfers wait their turn.
    /// - SeeAlso: https://curl.se/libcurl/c/CURLMOPT_MAX_TOTAL_CONNECTIONS.html
    public init(maxConnections: Int, maxPerHost: Int) throws(CurlError) {
        _ = curlGlobalInit
        guard let handle = curl_multi_init() else {
            throw CurlError(code: Int(CURLM_OUT_OF_MEMORY.rawValue), message: "curl_multi_init returned NULL",
                            call: "curl_multi_init", url: "")
        }
        self.handle = handle
        try check(ccurl_multi_setopt_long(handle, CURLMOPT_MAX_TOTAL_CONNECTIONS, maxConnections),
                  "curl_multi_setopt(MAX_TOTAL_CONNECTIONS)")
        try check(ccurl_multi_setopt_long(handle, CURLMOPT_MAX_HOST_CONNECTIONS, maxPerHost),
                  "curl_multi_setopt(MAX_HOST_CONNECTIONS)")
    }

    deinit {
        curl_multi_cleanup(handle)
    }

    /// Runs every transfer to its end and calls `finished` once for each, as it ends, with
    /// nil or the libcurl error that stopped it (HTTP error statuses are not errors here).
    /// - SeeAlso: https://curl.se/libcurl/c/curl_multi_perform.html
    public func perform(_ transfers: [CurlEasy], finished: (CurlEasy, CurlError?) -> Void) throws(CurlError) {
        var active: [UnsafeMutableRawPointer: CurlEasy] = [:]
        defer {
            for easy in active.values { curl_multi_remove_handle(handle, easy.handle) }
        }
        for easy in transfers {
            easy.prepareForTransfer()
            try check(curl_multi_add_handle(handle, easy.handle), "curl_multi_add_handle", url: easy.url)
            active[easy.handle] = easy
        }
        var running: Int32 = 1
        while running > 0 {
            try check(curl_multi_perform(handle, &running), "curl_multi_perform")
            var queued: Int32 = 0
            while let message = curl_multi_info_read(handle, &queued) {
                guard message.pointee.msg == CURLMSG_DONE,
                      let easy = active.removeValue(forKey: message.pointee.easy_handle) else { continue }
                curl_multi_remove_handle(handle, easy.handle)
                let code = message.pointee.data.result
                finished(easy, code == CURLE_OK ? nil : easy.error(code, "curl_multi_perform"))
            }
            if running > 0 {
                try check(curl_multi_poll(handle, nil, 0, 1000, nil), "curl_multi_poll")
            }
        }
    }

    private func check(_ code: CURLMcode, _ call: String, url: String = "") throws(CurlError) {
        guard code == CURLM_OK else {
            throw CurlError(code: Int(code.rawValue), message: String(cString: curl_multi_strerror(code)),
                            call: call, url: url)
        }
    }
}

@available(*, unavailable)
extension CurlMulti: Sendable {}
