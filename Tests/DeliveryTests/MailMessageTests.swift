@testable import Delivery
import Foundation
import TestSupport
import Testing

/// The message text itself: MIME structure, encodings, folding, line endings and
/// lengths, checked by reading it back with Python's `email` package.
@Suite struct MailMessageTests {
    @Test(arguments: [
        (0, "Thu, 01 Jan 1970 00:00:00 +0000"),
        (951_868_799, "Tue, 29 Feb 2000 23:59:59 +0000"),
        (1_715_668_200, "Tue, 14 May 2024 06:30:00 +0000"),
        (-86_401, "Tue, 30 Dec 1969 23:59:59 +0000"),
    ])
    func theDateHeaderIsRFC5322InUTC(seconds: Int, expected: String) {
        #expect(MailMessage.rfc5322Date(Date(timeIntervalSince1970: TimeInterval(seconds))) == expected)
    }

    private let date = Date(timeIntervalSince1970: 1_715_668_200)  // Tue, 14 May 2024 06:30:00 UTC

    private func message(subject: String = "[bulletin] 3 action needed, 12 new for nginx, postgres…",
                         text: String = "Bulletin digest\n", html: String? = "<p>Bulletin digest</p>\n",
                         to: [String] = ["ops@example.com"]) -> MailMessage {
        MailMessage(from: MailAddress("Bulletin <bulletin@example.com>")!, to: to.map { MailAddress($0)! },
                    subject: subject, text: text, html: html, date: date, messageID: "abc-123@example.com",
                    listID: "\"Bulletin ops\" <ops.bulletin.example.com>")
    }

    @Test func theHeadersSayWhatRFC5322AndTheIssueAskFor() throws {
        let mail = try ReadMail(Data(message().encoded()))
        #expect(mail.headers["Date"] == "Tue, 14 May 2024 06:30:00 +0000")
        #expect(mail.headers["From"] == "Bulletin <bulletin@example.com>")
        #expect(mail.headers["Subject"] == "[bulletin] 3 action needed, 12 new for nginx, postgres…")
        #expect(mail.headers["Message-ID"] == "<abc-123@example.com>")
        #expect(mail.headers["List-Id"] == "\"Bulletin ops\" <ops.bulletin.example.com>")
        #expect(mail.headers["Auto-Submitted"] == "auto-generated")
        #expect(mail.headers["MIME-Version"] == "1.0")
        #expect(mail.defects.isEmpty)
    }

    @Test func itIsMultipartAlternativeWithTextThenHTMLInQuotedPrintableUTF8() throws {
        let text = "Zoë's digest — CVE-2024-1234 = patched\n.leading dot\nFrom here\ntrailing space \n"
        let html = "<p>Zoë — ok</p>\n"
        let mail = try ReadMail(Data(message(text: text, html: html).encoded()))
        #expect(mail.type == "multipart/alternative")
        #expect(mail.parts.map(\.type) == ["text/plain", "text/html"])
        #expect(mail.parts.allSatisfy { $0.charset == "utf-8" && $0.encoding == "quoted-printable" })
        #expect(mail.parts[0].text.replacingOccurrences(of: "\r\n", with: "\n") == text)
        #expect(mail.parts[1].text.replacingOccurrences(of: "\r\n", with: "\n") == html)
        #expect(mail.asciiOnly)
    }

    @Test func aTextOnlyMessageIsOneTextPart() throws {
        let mail = try ReadMail(Data(message(html: nil).encoded()))
        #expect(mail.type == "text/plain")
        #expect(mail.parts.count == 1)
    }

    @Test func everyLineEndsInCRLFAndNoneIsLongerThan78Octets() throws {
        let long = String(repeating: "ünïcödé ", count: 2_000) + String(repeating: "x", count: 5_000) + "\n"
        let recipients = (0..<40).map { "person\($0)@example.com" }
        let subject = Array(repeating: "Überschrift", count: 40).joined(separator: " ")
        let raw = message(subject: subject, text: long, html: "<p>\(long)</p>",
                          to: recipients).encoded()
        let mail = try ReadMail(Data(raw))
        #expect(mail.crlfOnly)
        #expect(mail.longestLine <= 78)
        #expect(mail.parts[0].text.replacingOccurrences(of: "\r\n", with: "\n") == long)
        #expect(mail.headers["Subject"] == subject)
        #expect(mail.headers["To"]?.components(separatedBy: ", ").count == 40)
    }

    @Test func aNonASCIISubjectAndNameAreEncodedWordsThatDecodeBack() throws {
        let raw = MailMessage(from: MailAddress("Bülletin Bot <bot@example.com>")!, to: [MailAddress("Zoë <zoe@example.com>")!],
                              subject: "[bulletin] 1 new for Ünicode — 日本語", text: "x\n", date: date,
                              messageID: "m@example.com").encoded()
        let head = String(decoding: raw, as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
        #expect(head.contains("Subject: =?UTF-8?B?"))
        #expect(head.unicodeScalars.allSatisfy { $0.isASCII })
        let mail = try ReadMail(Data(raw))
        #expect(mail.headers["Subject"] == "[bulletin] 1 new for Ünicode — 日本語")
        #expect(mail.headers["From"] == "Bülletin Bot <bot@example.com>")
        #expect(mail.headers["To"] == "Zoë <zoe@example.com>")
    }

    @Test func aSubjectCannotInjectAHeader() throws {
        let raw = message(subject: "hello\r\nBcc: victim@example.com\r\n\r\nbody").encoded()
        let mail = try ReadMail(Data(raw))
        #expect(mail.headers["Bcc"] == nil)
        #expect(mail.headerNames.filter { $0 == "Subject" }.count == 1)
    }

    @Test(arguments: ["ops@example.com", "Ops Team <ops@example.com>", "\"Ops, Team\" <ops@example.com>", "a.b+c@sub.example.org"])
    func validAddressesParse(text: String) {
        #expect(MailAddress(text) != nil)
    }

    @Test(arguments: ["", "ops", "@example.com", "ops@", "two words@example.com", "a@b\r\nBcc: x@y", "<ops@example.com",
                      "ops@exa mple.com", "ops@example..com", "Zoë <zoë@example.com>", "a@b@c", "Name <a@b>\nX: y"])
    func invalidAddressesAreRefused(text: String) {
        #expect(MailAddress(text) == nil)
    }
}
