internal import CCurl

/// A `curl_slist` (request headers, mail recipients). Owns the list and frees it in
/// `deinit`; it must outlive every transfer it is set on, so `CurlEasy` keeps it.
final class CurlStringList {
    private(set) var handle: UnsafeMutablePointer<curl_slist>?

    init(_ strings: [String]) {
        for string in strings {
            // curl_slist_append copies the string.
            guard let appended = curl_slist_append(handle, string) else { continue }
            handle = appended
        }
    }

    deinit {
        curl_slist_free_all(handle)
    }
}

@available(*, unavailable)
extension CurlStringList: Sendable {}
