import Delivery
import Foundation
import TestSupport
import Testing

/// Email through libcurl's SMTP to a real aiosmtpd on 127.0.0.1: plain, STARTTLS with AUTH,
/// smtps, and every fault leaving the send refused (so its entries stay undelivered).
@Suite struct EmailChannelTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    private func channel(_ url: String, requireTLS: Bool = false, username: String? = nil,
                         password: SecretSource? = nil, environment: [String: String] = [:], timeout: Double = 10,
                         caFile: String? = nil) -> EmailChannel {
        var settings = EmailSettings(url: url, from: MailAddress("Bulletin <bulletin@example.com>")!,
                                     to: [MailAddress("ops@example.com")!, MailAddress("Zoë <zoe@example.org>")!])
        settings.requireTLS = requireTLS
        settings.username = username
        settings.password = password
        settings.timeout = timeout
        settings.caFile = caFile
        return EmailChannel(name: "ops-mail", settings: settings, environment: environment)
    }

    private let digest = DigestMessage(id: "0f3c-test", subject: "[bulletin] 1 action needed, 2 new for nginx",
                                       body: "Bulletin digest: 2 new bulletins\n", html: "<p>Bulletin digest</p>\n")

    @Test func aDigestReachesEveryRecipientAsOneMessage() throws {
        let server = try SMTPServer(maildir: directory.url.appendingPathComponent("mail"))
        let receipt = try channel("smtp://127.0.0.1:\(server.port)").deliver(digest)
        #expect(receipt.detail == "250, Message-ID <0f3c-test@example.com>")
        let envelopes = try server.envelopes()
        #expect(envelopes.count == 1)
        #expect(envelopes.first?.from == "bulletin@example.com")
        #expect(envelopes.first?.to == ["ops@example.com", "zoe@example.org"])
        let mail = try ReadMail(try #require(server.messages().first))
        #expect(mail.headers["Subject"] == digest.subject)
        #expect(mail.headers["To"] == "ops@example.com, Zoë <zoe@example.org>")
        #expect(mail.headers["Message-ID"] == "<0f3c-test@example.com>")
        #expect(mail.parts.map(\.type) == ["text/plain", "text/html"])
    }

    @Test func starttlsWithAuthDeliversWithThePasswordFromTheEnvironment() throws {
        let certificate = try TestCertificate(in: directory.url)
        let server = try SMTPServer(maildir: directory.url.appendingPathComponent("mail"), tls: "starttls",
                                    certificate: certificate, auth: "bulletin:s3cret pass")
        let channel = channel("smtp://127.0.0.1:\(server.port)", requireTLS: true, username: "bulletin",
                              password: .environment("SMTP_PASSWORD"), environment: ["SMTP_PASSWORD": "s3cret pass"],
                              caFile: certificate.certificate)
        _ = try channel.deliver(digest)
        #expect(try server.messages().count == 1)
        #expect(server.server.log.contains("AUTH PLAIN ok") || server.server.log.contains("AUTH LOGIN ok"))
    }

    @Test func smtpsIsTLSFromTheFirstByte() throws {
        let certificate = try TestCertificate(in: directory.url)
        let server = try SMTPServer(maildir: directory.url.appendingPathComponent("mail"), tls: "implicit",
                                    certificate: certificate)
        _ = try channel("smtps://127.0.0.1:\(server.port)", requireTLS: true, caFile: certificate.certificate).deliver(digest)
        #expect(try server.messages().count == 1)
    }

    @Test func aPasswordFileOnlyItsOwnerReadsWorks() throws {
        let certificate = try TestCertificate(in: directory.url)
        let server = try SMTPServer(maildir: directory.url.appendingPathComponent("mail"), tls: "starttls",
                                    certificate: certificate, auth: "bulletin:from-a-file")
        let file = try directory.write("from-a-file\n", to: "password")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        _ = try channel("smtp://127.0.0.1:\(server.port)", requireTLS: true, username: "bulletin",
                        password: .file(file), caFile: certificate.certificate).deliver(digest)
        #expect(try server.messages().count == 1)
    }

    /// Each fault: the channel throws, nothing is stored, the reason says what happened.
    @Test(arguments: [
        ("rcpt:550", "550"), ("rcpt:451", "451"), ("data:554", "554"), ("data:451", "451"),
    ])
    func aRefusalAtRCPTOrDATAFailsTheWholeSend(fault: String, code: String) throws {
        let server = try SMTPServer(maildir: directory.url.appendingPathComponent("mail"), faults: [fault])
        let error = #expect(throws: DeliveryError.self) { try channel("smtp://127.0.0.1:\(server.port)").deliver(digest) }
        #expect(error?.channel == "ops-mail")
        #expect(error?.reason.contains(code) == true, "\(error?.reason ?? "")")
        #expect(try server.messages().isEmpty)
    }

    @Test func aServerThatIsDownFailsTheSend() throws {
        let error = #expect(throws: DeliveryError.self) { try channel("smtp://127.0.0.1:1").deliver(digest) }
        #expect(error?.reason.hasPrefix("smtp: smtp://127.0.0.1:1: ") == true)
        #expect(error?.reason.contains("curl error 7") == true)
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        let server = try SMTPServer(maildir: directory.url.appendingPathComponent("mail"), silent: true)
        let started = Date()
        let error = #expect(throws: DeliveryError.self) {
            try channel("smtp://127.0.0.1:\(server.port)", timeout: 2).deliver(digest)
        }
        #expect(error?.reason.contains("curl error 28") == true, "\(error?.reason ?? "")")
        #expect(Date().timeIntervalSince(started) < 15)
    }

    @Test func aWrongPasswordFailsAndIsNeverShown() throws {
        let certificate = try TestCertificate(in: directory.url)
        let server = try SMTPServer(maildir: directory.url.appendingPathComponent("mail"), tls: "starttls",
                                    certificate: certificate, auth: "bulletin:right")
        let channel = channel("smtp://127.0.0.1:\(server.port)", requireTLS: true, username: "bulletin",
                              password: .environment("P"), environment: ["P": "wrong-secret-value"], timeout: 5,
                              caFile: certificate.certificate)
        let error = #expect(throws: DeliveryError.self) { try channel.deliver(digest) }
        #expect(error?.description.contains("wrong-secret-value") == false)
        #expect(try server.messages().isEmpty)
    }

    @Test func tlsRequiredRefusesAServerWithoutSTARTTLS() throws {
        let server = try SMTPServer(maildir: directory.url.appendingPathComponent("mail"))
        let error = #expect(throws: DeliveryError.self) {
            try channel("smtp://127.0.0.1:\(server.port)", requireTLS: true).deliver(digest)
        }
        #expect(error?.reason.contains("curl error 64") == true, "\(error?.reason ?? "")")
        #expect(try server.messages().isEmpty)
    }

    @Test func aMissingPasswordVariableFailsBeforeConnecting() throws {
        let channel = channel("smtp://127.0.0.1:1", username: "bulletin", password: .environment("NOT_SET_ANYWHERE"))
        let error = #expect(throws: DeliveryError.self) { try channel.deliver(digest) }
        #expect(error?.reason == "the environment variable NOT_SET_ANYWHERE is not set")
    }

    @Test func aPasswordFileOthersCanReadIsRefusedWithoutShowingIt() throws {
        let file = try directory.write("top-secret\n", to: "password")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        let channel = channel("smtp://127.0.0.1:1", username: "bulletin", password: .file(file))
        let error = #expect(throws: DeliveryError.self) { try channel.deliver(digest) }
        #expect(error?.reason == "\(file) is readable by others: make it readable by its owner only (chmod 600 \(file))")
        #expect(error?.description.contains("top-secret") == false)
    }
}
