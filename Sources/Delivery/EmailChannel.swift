import Curl
import FoundationEssentials
import Models

/// Where and how an email channel submits its digest.
public struct EmailSettings: Sendable {
    /// `smtp://host:587` (STARTTLS) or `smtps://host:465` (TLS from the start).
    public var url: String
    /// When false, `smtp://` goes in plain text: only for a relay on the loopback interface.
    public var requireTLS = true
    public var from: MailAddress
    public var to: [MailAddress]
    public var username: String?
    public var password: SecretSource?
    public var connectTimeout: Double = 15
    /// Seconds for the whole submission: a server that never answers fails the send.
    public var timeout: Double = 60
    /// Certificate authorities to trust instead of the system's (a private relay).
    public var caFile: String?

    public init(url: String, from: MailAddress, to: [MailAddress]) {
        self.url = url
        self.from = from
        self.to = to
    }
}

/// Sends the digest as one email to every recipient through libcurl's SMTP. It counts as
/// accepted only when the server answers 250 to the message; a refused recipient fails
/// the whole send (no one gets it, so the next run sends it to everyone once).
public struct EmailChannel: Channel, Sendable {
    public let name: String
    public let settings: EmailSettings
    private let environment: [String: String]
    private let clock: @Sendable () -> Date

    public init(name: String, settings: EmailSettings,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                clock: @escaping @Sendable () -> Date = { WallClock.now() }) {
        self.name = name
        self.settings = settings
        self.environment = environment
        self.clock = clock
    }

    /// The message this channel would send for `message` (also what `--dry-run` shows).
    public func mail(for message: DigestMessage) -> MailMessage {
        let label = String(name.lowercased().unicodeScalars.map {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) ? Character($0) : "-"
        })
        let domain = settings.from.domain
        return MailMessage(from: settings.from, to: settings.to, subject: message.subject, text: message.body,
                           html: message.html, date: clock(), messageID: "\(message.id)@\(domain)",
                           listID: "\"Bulletin \(label)\" <\(label).bulletin.\(domain)>")
    }

    public func deliver(_ message: DigestMessage) throws(DeliveryError) -> DeliveryReceipt {
        let password = try settings.password?.resolve(environment: environment, channel: name)
        let mail = mail(for: message)
        var easy: CurlEasy?
        do {
            let transfer = try CurlEasy(url: settings.url)
            easy = transfer
            try transfer.allowProtocols(["smtp", "smtps"])
            try transfer.setTimeouts(connect: settings.connectTimeout, total: settings.timeout)
            try transfer.requireTLS(settings.requireTLS)
            if let caFile = settings.caFile { try transfer.trustCertificates(inFile: caFile) }
            if let username = settings.username { try transfer.setCredentials(username: username, password: password ?? "") }
            try transfer.prepareMail(from: settings.from.address, to: settings.to.map(\.address), message: mail.encoded())
            try transfer.perform()
        } catch {
            // The server's last reply code says more than curl's words ("Weird server reply").
            let reply = easy.map(\.responseCode).flatMap { $0 > 0 ? ", last reply \($0)" : nil } ?? ""
            throw DeliveryError(channel: name, reason: "smtp: \(error.url): \(error.message) (curl error \(error.code)\(reply))")
        }
        guard let easy else { throw DeliveryError(channel: name, reason: "smtp: \(settings.url): no transfer") }
        guard easy.responseCode == 250 else {
            throw DeliveryError(channel: name, reason: "smtp: \(settings.url): the server answered "
                + "\(easy.responseCode) to the message, not 250")
        }
        return DeliveryReceipt(detail: "250, Message-ID <\(mail.messageID)>")
    }
}
