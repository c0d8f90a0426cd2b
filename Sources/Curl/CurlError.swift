/// A libcurl call that failed: the call, libcurl's code and message, and the URL.
public struct CurlError: Error, CustomStringConvertible, Sendable {
    /// The `CURLcode` (or `CURLMcode` for multi calls).
    public let code: Int
    /// libcurl's words: the error buffer's detail when it has one, else `curl_easy_strerror`.
    public let message: String
    /// The libcurl function that returned the code.
    public let call: String
    /// The URL of the transfer.
    public let url: String

    public init(code: Int, message: String, call: String, url: String) {
        self.code = code
        self.message = message
        self.call = call
        self.url = url
    }

    public var description: String {
        "\(url): \(message) (\(call): curl error \(code))"
    }

    /// The transfer was stopped because the body went over its size limit.
    public var isBodyTooLarge: Bool { code == 23 || code == 63 }
}
