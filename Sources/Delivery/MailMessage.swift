import FoundationEssentials
import Models
import LibCrypto

/// A digest email as RFC 5322 / MIME text: `multipart/alternative` with a plain-text and
/// an HTML part (or the text alone), UTF-8 bodies in quoted-printable, encoded headers,
/// CRLF line endings and no line longer than 78 octets.
public struct MailMessage: Sendable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var subject: String
    public var text: String
    public var html: String?
    public var date: Date
    /// Without the angle brackets: `1715668200.3f2a…@example.com`.
    public var messageID: String
    /// The `List-Id` label and id: `"Bulletin ops-mail" <ops-mail.bulletin.example.com>`.
    public var listID: String?

    public init(from: MailAddress, to: [MailAddress], subject: String, text: String, html: String? = nil,
                date: Date = WallClock.now(), messageID: String, listID: String? = nil) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
        self.messageID = messageID
        self.listID = listID
    }

    /// The message as sent: headers, a blank line, the body; every line ends in CRLF.
    public func encoded() -> [UInt8] {
        var head = MIMEEncoding.header("Date", Self.rfc5322Date(date))
        head += MIMEEncoding.header("From", from.headerValue)
        head += MIMEEncoding.header("To", to.map(\.headerValue).joined(separator: ", "))
        head += MIMEEncoding.header("Subject", MIMEEncoding.unstructured(subject))
        head += MIMEEncoding.header("Message-ID", "<\(messageID)>")
        if let listID { head += MIMEEncoding.header("List-Id", listID) }
        head += "Auto-Submitted: auto-generated\r\n"
        head += "MIME-Version: 1.0\r\n"
        let textPart = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + MIMEEncoding.quotedPrintable(text)
        guard let html else {
            return Array((head + textPart).utf8)
        }
        // "=_" never occurs in quoted-printable text, so the boundary cannot collide with a body.
        let boundary = "=_bulletin_" + HMACSHA256.hex(HMACSHA256.hash(Array((messageID + text + html).utf8))).prefix(24)
        let htmlPart = "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + MIMEEncoding.quotedPrintable(html)
        let body = "This is a multipart message in MIME format.\r\n\r\n"
            + "--\(boundary)\r\n" + textPart + "\r\n"
            + "--\(boundary)\r\n" + htmlPart + "\r\n"
            + "--\(boundary)--\r\n"
        head += "Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"\r\n"
        return Array((head + "\r\n" + body).utf8)
    }

    /// `Tue, 14 May 2024 06:30:00 +0000`: the date in UTC, in RFC 5322's form.
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute, .second], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int?) -> String { let n = n ?? 0; return n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekdays[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) "
            + "\(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
