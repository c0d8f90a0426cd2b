internal import CCurl

/// Runs many `CurlEasy` transfers at once on one thread: owns a `CURLM` multi handle
/// (freed in `deinit`). Transfers beyond the limits wait in our own queue, not libcurl's,
/// so a transfer's timeouts start only when it does.
public final class CurlMulti {
    private let handle: UnsafeMutableRawPointer
    private let maxConnections: Int
    private let maxPerHost: Int

    /// A multi handle that runs at most `maxConnections` transfers in all and `maxPerHost`
    /// to one host (scheme, host and port of the first URL); further transfers wait their turn.
    /// - SeeAlso: https://curl.se/libcurl/c/CURLMOPT_MAX_TOTAL_CONNECTIONS.html
    public init(maxConnections: Int, maxPerHost: Int) throws(CurlError) {
        _ = curlGlobalInit
        guard let handle = curl_multi_init() else {
            throw CurlError(code: Int(CURLM_OUT_OF_MEMORY.rawValue), message: "curl_multi_init returned NULL",
                            call: "curl_multi_init", url: "")
        }
        self.handle = handle
        self.maxConnections = max(1, maxConnections)
        self.maxPerHost = max(1, maxPerHost)
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
    /// The transfers are this call's: one that has ended is let go once `finished` returns,
    /// so its handle and response are freed then (if the caller keeps no reference), not
    /// when the last transfer ends.
    /// Returns early, abandoning the transfers still running, once `stop` says so (it is
    /// asked after each wait for the network, so within about a second).
    /// - SeeAlso: https://curl.se/libcurl/c/curl_multi_perform.html
    public func perform(_ transfers: consuming [CurlEasy], until stop: () -> Bool = { false },
                        finished: (CurlEasy, CurlError?) -> Void) throws(CurlError) {
        var pending: [CurlEasy?] = consume transfers
        try perform(count: pending.count, url: { pending[$0]!.url }, start: { pending[$0].take() },
                    until: stop, finished: finished)
    }

    /// The same for `count` transfers made only when they start (`start(i)`, whose URL is
    /// `url(i)`), in order as far as the limits allow: a catalog's thousand feeds are not a
    /// thousand handles (each with its buffers) held from the first request to the last.
    /// `start` returns nil for a transfer it could not make, which is then skipped (the
    /// caller reports it).
    public func perform(count: Int, url: (Int) -> String, start: (Int) -> CurlEasy?, until stop: () -> Bool = { false },
                        finished: (CurlEasy, CurlError?) -> Void) throws(CurlError) {
        /// The transfers not started yet, the next last.
        var waiting = Array((0..<count).reversed())
        var active: [UnsafeMutableRawPointer: CurlEasy] = [:]
        var perHost: [String: Int] = [:]
        defer {
            for easy in active.values { curl_multi_remove_handle(handle, easy.handle) }
        }
        /// Starts waiting transfers, in order, as far as the limits allow.
        func admit() throws(CurlError) {
            guard active.count < maxConnections, !waiting.isEmpty else { return }
            var skipped: [Int] = []
            while active.count < maxConnections, let index = waiting.popLast() {
                let host = Self.hostKey(url(index))
                guard perHost[host, default: 0] < maxPerHost else {
                    skipped.append(index)
                    continue
                }
                guard let easy = start(index) else { continue }
                easy.prepareForTransfer()
                try check(curl_multi_add_handle(handle, easy.handle), "curl_multi_add_handle", url: easy.url)
                active[easy.handle] = easy
                perHost[host, default: 0] += 1
            }
            waiting.append(contentsOf: skipped.reversed())
        }
        try admit()
        var running: Int32 = 1
        while !active.isEmpty, !stop() {
            try check(curl_multi_perform(handle, &running), "curl_multi_perform")
            var queued: Int32 = 0
            var ended = false
            while let message = curl_multi_info_read(handle, &queued) {
                guard message.pointee.msg == CURLMSG_DONE,
                      let easy = active.removeValue(forKey: message.pointee.easy_handle) else { continue }
                curl_multi_remove_handle(handle, easy.handle)
                perHost[Self.hostKey(easy.url), default: 1] -= 1
                ended = true
                let code = message.pointee.data.result
                finished(easy, code == CURLE_OK ? nil : easy.error(code, "curl_multi_perform"))
            }
            if ended {
                try admit()
                continue  // start the new transfers at once
            }
            if running > 0 {
                try check(curl_multi_poll(handle, nil, 0, 1000, nil), "curl_multi_poll")
            }
        }
    }

    /// What the per-host limit counts by: scheme and authority of `url`, in lower case.
    static func hostKey(_ url: String) -> String {
        guard let scheme = url.firstRange(of: "://") else { return url.lowercased() }
        let rest = url[scheme.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        return url[..<end].lowercased()
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
