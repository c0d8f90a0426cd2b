/// Somewhere a digest goes. A channel reports acceptance by returning; entries are
/// marked delivered on it only then.
public protocol Channel {
    /// The name deliveries are recorded under.
    var name: String { get }
    /// Hands the rendered digest over; throws when the channel did not accept it.
    func deliver(_ message: DigestMessage) throws(DeliveryError) -> DeliveryReceipt
}

/// A digest rendered for one channel: what every kind of channel needs, nothing more.
public struct DigestMessage: Sendable {
    /// Unique per send: the email's Message-ID and the webhook's `X-Bulletin-Delivery`,
    /// the same on every retry of one send so a receiver can drop repeats.
    public var id: String
    /// What is in it, in one line: the email subject.
    public var subject: String
    /// The body: plain text for email and standard output, the payload for a webhook.
    public var body: String
    /// The HTML alternative of an email.
    public var html: String?

    public init(id: String, subject: String, body: String, html: String? = nil) {
        self.id = id
        self.subject = subject
        self.body = body
        self.html = html
    }
}

/// What a channel said when it accepted a digest.
public struct DeliveryReceipt: Sendable, Hashable {
    /// The server's words: "250 (Message-ID <…>)", "HTTP 200".
    public var detail: String

    public init(detail: String) {
        self.detail = detail
    }
}

/// Why a channel did not accept a digest.
public struct DeliveryError: Error, CustomStringConvertible, Sendable {
    public let channel: String
    public let reason: String

    public init(channel: String, reason: String) {
        self.channel = channel
        self.reason = reason
    }

    public var description: String { "deliver: \(channel): \(reason)" }
}
