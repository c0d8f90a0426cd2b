import FoundationEssentials

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
                date: Date = Date(), messageID: String, listID: String? = nil) {
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
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let weekday = weekdays[((days % 7) + 7) % 7]
        return "\(weekday), \(two(day)) \(months[month - 1]) \(year) "
            + "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) +0000"
    }
}
