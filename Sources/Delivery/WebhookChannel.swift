import Curl
import LibCrypto
import FoundationEssentials
import Models
#if canImport(Glibc)
import Glibc
#endif

/// Where and how a webhook channel posts its digest.
public struct WebhookSettings: Sendable {
    /// `https://…` (`http://` only to the loopback interface), as the configuration gives
    /// it, or where to read it when it is kept out of the file (`url_env`, `url_file`).
    /// Treated as a secret either way: errors show only its scheme and host.
    public var url: WebhookURL
    /// The HMAC-SHA256 key the `X-Bulletin-Signature` header is made with, if any.
    public var secret: SecretSource?
    public var connectTimeout: Double = 10
    public var timeout: Double = 30
    /// Further attempts after a failure that may pass (no answer, 408, 429, 5xx).
    public var retries = 2
    /// Seconds before the first retry; doubled before each next one.
    public var retryDelay: Double = 1
    public var caFile: String?

    public init(url: String) {
        self.url = .literal(url)
    }

    public init(url: WebhookURL) {
        self.url = url
    }
}

/// Where a webhook's URL is: Slack's and Teams' URLs are credentials (whoever has one can
/// post), so they may live in the environment or a private file like a password.
public enum WebhookURL: Sendable, Hashable {
    case literal(String)
    case secret(SecretSource)

    /// The URL, or an error naming where it was looked for and what is wrong with it
    /// (never the URL itself).
    public func resolve(environment: [String: String], channel: String) throws(DeliveryError) -> String {
        switch self {
        case .literal(let url):
            return url
        case .secret(let source):
            let url = try source.resolve(environment: environment, channel: channel)
            if let problem = Self.problem(with: url) {
                throw DeliveryError(channel: channel, reason: "the webhook URL from \(source.name): \(problem)")
            }
            return url
        }
    }

    /// What is wrong with `url` as a webhook URL, or nil: it must be https://, or http://
    /// to the loopback interface (127.0.0.0/8, ::1, localhost), as libcurl reads it.
    public static func problem(with url: String) -> String? {
        guard let parsed = CurlURL(url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host?.lowercased(),
              !host.isEmpty else {
            return "is not a URL with a host"
        }
        let loopback = host == "localhost" || host == "[::1]" || host.hasPrefix("127.")
        guard scheme == "https" || (scheme == "http" && loopback) else {
            return "must be an https:// URL (http:// only to 127.0.0.1 or localhost)"
        }
        return nil
    }
}

/// Posts the digest (a JSON payload: Slack Block Kit, a Teams card or Bulletin's own
/// JSON) to a webhook. Accepted on any 2xx answer. Each request carries
/// `X-Bulletin-Delivery` (the same on retries, so a receiver can drop repeats) and, with a
/// secret, `X-Bulletin-Timestamp` and `X-Bulletin-Signature: sha256=<hex>`, the
/// HMAC-SHA256 of `<timestamp>.<body>`.
public struct WebhookChannel: Channel, Sendable {
    public let name: String
    public let settings: WebhookSettings
    private let environment: [String: String]
    private let clock: @Sendable () -> Date

    public init(name: String, settings: WebhookSettings,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                clock: @escaping @Sendable () -> Date = { WallClock.now() }) {
        self.name = name
        self.settings = settings
        self.environment = environment
        self.clock = clock
    }

    /// The request headers for `body`, signed when the channel has a secret.
    public func headers(for body: [UInt8], deliveryID: String) throws(DeliveryError) -> [String] {
        var headers = ["Content-Type: application/json; charset=utf-8", "X-Bulletin-Delivery: \(deliveryID)",
                       "Expect:"]
        if let secret = try settings.secret?.resolve(environment: environment, channel: name) {
            let timestamp = String(Int(clock().timeIntervalSince1970))
            let mac = HMACSHA256.authenticationCode(for: Array("\(timestamp).".utf8) + body, key: Array(secret.utf8))
            headers += ["X-Bulletin-Timestamp: \(timestamp)", "X-Bulletin-Signature: sha256=\(HMACSHA256.hex(mac))"]
        }
        return headers
    }

    public func deliver(_ message: DigestMessage) throws(DeliveryError) -> DeliveryReceipt {
        let body = Array(message.body.utf8)
        var failure = ""
        var attempts = 0
        for attempt in 0...max(0, settings.retries) {
            attempts += 1
            if attempt > 0 {
                let delay = settings.retryDelay * Double(1 << (attempt - 1))
                usleep(UInt32(min(delay, 60) * 1_000_000))
            }
            let headers = try headers(for: body, deliveryID: message.id)
            let url = try settings.url.resolve(environment: environment, channel: name)
            let status: Int
            do {
                let easy = try CurlEasy(url: url)
                try easy.allowProtocols(["http", "https"])
                try easy.followRedirects(maximum: 0)
                try easy.setTimeouts(connect: settings.connectTimeout, total: settings.timeout)
                if let caFile = settings.caFile { try easy.trustCertificates(inFile: caFile) }
                try easy.setRequestHeaders(headers)
                try easy.preparePost(body: body)
                easy.maxBodyBytes = 65_536
                try easy.perform()
                status = easy.responseCode
            } catch {
                failure = "\(Self.redacted(url)): \(error.message) (curl error \(error.code))"
                continue
            }
            if (200..<300).contains(status) {
                return DeliveryReceipt(detail: "HTTP \(status)")
            }
            failure = "\(Self.redacted(url)): HTTP \(status)"
            guard status == 408 || status == 429 || status >= 500 else { break }
        }
        throw DeliveryError(channel: name, reason: "webhook: \(failure)\(attempts > 1 ? " (\(attempts) attempts)" : "")")
    }

    /// `https://hooks.example.com/…`: the URL as libcurl reads it, without the user and
    /// password, path, query and fragment, any of which can hold a token; for a URL kept
    /// out of the configuration, where it is read from.
    public var redactedURL: String {
        switch settings.url {
        case .literal(let url): Self.redacted(url)
        case .secret(let source): "(the URL in \(source.name))"
        }
    }

    private static func redacted(_ url: String) -> String {
        CurlURL(url)?.redacted ?? "(webhook URL)"
    }
}
