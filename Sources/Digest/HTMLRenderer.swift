import Models

/// Renders a digest as one self-contained HTML document for email: inline styles, no
/// images, scripts, fonts or other remote resources, one narrow column that reads on a
/// phone, and colours that work on light and dark backgrounds (with a dark-mode override
/// for the clients that honour `prefers-color-scheme`). Every value from a feed is
/// escaped and every link is `http(s)`, so a feed cannot inject markup, script or a
/// tracking image.
public struct HTMLRenderer: DigestRenderer {
    public init() {}

    private static let font = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
    private static let muted = "color:#6b6b6b;"
    private static let link = "color:#1a5fb4;"

    public func render(_ digest: DigestModel) -> String {
        let summary = DigestHeadline.summary(digest)
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <meta name="supported-color-schemes" content="light dark">
            <title>Bulletin digest</title>
            <style>
            @media (prefers-color-scheme: dark) {
              .bd-muted { color: #b4b4b4 !important; }
              .bd-link { color: #8ab4f8 !important; }
              .bd-rule { border-color: #5a5a5a !important; }
            }
            </style>
            </head>
            <body style="margin:0;padding:0;">
            <div style="max-width:640px;margin:0 auto;padding:16px;\(Self.font)font-size:16px;line-height:1.5;word-wrap:break-word;overflow-wrap:anywhere;">
            <h1 style="font-size:22px;margin:0 0 4px 0;">Bulletin digest</h1>
            <p class="bd-muted" style="margin:0 0 16px 0;\(Self.muted)">\(Self.escape(summary.prefix(1).uppercased() + summary.dropFirst()))\(DigestHeadline.window(digest).map { " (\(Self.escape($0)))" } ?? "").</p>

            """
        if let note = DigestHeadline.firstRunNote(digest) {
            html += "<p class=\"bd-muted\" style=\"margin:0 0 16px 0;\(Self.muted)\">\(Self.escape(note))</p>\n"
        }
        for section in digest.sections {
            let rule = section.kind == .actionNeeded ? "#c62828" : "#9e9e9e"
            html += "<h2 class=\"bd-rule\" style=\"font-size:18px;margin:24px 0 8px 0;padding-bottom:4px;"
                + "border-bottom:2px solid \(rule);\">\(section.kind.rawValue) (\(section.items.count))</h2>\n"
            for group in section.groups {
                if let service = group.service {
                    html += "<h3 style=\"font-size:16px;margin:16px 0 6px 0;\">\(Self.escape(service))</h3>\n"
                }
                for item in group.items { html += row(item) }
            }
        }
        if !digest.mentions.isEmpty {
            html += "<h2 class=\"bd-rule\" style=\"font-size:18px;margin:24px 0 8px 0;padding-bottom:4px;"
                + "border-bottom:2px solid #9e9e9e;\">Also mentioned (\(digest.mentionCount))</h2>\n"
                + "<ul style=\"margin:0 0 8px 0;padding-left:20px;\">\n"
            for mention in digest.mentions {
                let title = Self.escape(mention.title)
                html += "<li style=\"margin:0 0 4px 0;\">"
                    + (mention.link.map { "<a class=\"bd-link\" href=\"\(Self.escape($0))\" style=\"\(Self.link)\">\(title)</a>" } ?? title)
                    + "<span class=\"bd-muted\" style=\"font-size:13px;\(Self.muted)\"> &middot; names "
                    + mention.services.map(Self.escape).joined(separator: ", ") + " &middot; " + Self.escape(mention.feed)
                    + "</span></li>\n"
            }
            if let more = DigestHeadline.moreMentions(digest) { html += "<li>\(Self.escape(more))</li>\n" }
            html += "</ul>\n"
        }
        if let health = digest.feedHealth {
            html += "<h2 class=\"bd-rule\" style=\"font-size:18px;margin:24px 0 8px 0;padding-bottom:4px;"
                + "border-bottom:2px solid #9e9e9e;\">Feed health</h2>\n"
            html += "<p style=\"margin:0 0 8px 0;\">\(Self.escape(health.headline.prefix(1).uppercased() + health.headline.dropFirst()))"
                + "\(health.problems.isEmpty ? "." : ":")</p>\n"
            if !health.problems.isEmpty {
                html += "<ul style=\"margin:0 0 8px 0;padding-left:20px;\">\n"
                for problem in health.problems {
                    html += "<li style=\"margin:0 0 6px 0;\"><strong>\(Self.escape(problem.feed))</strong>: "
                        + "\(Self.escape(problem.explanation))<br><span class=\"bd-muted\" style=\"font-size:13px;\(Self.muted)\">"
                        + "\(Self.escape(problem.url))</span></li>\n"
                }
                html += "</ul>\n"
            }
        }
        html += """
            <p class="bd-muted" style="margin:24px 0 0 0;font-size:12px;\(Self.muted)">Generated by Bulletin on \
            \(Self.escape(Timestamp.rfc3339(digest.generated))).</p>
            </div>
            </body>
            </html>

            """
        return html
    }

    private func row(_ item: DigestModel.Item) -> String {
        var html = "<div style=\"margin:0 0 14px 0;\">\n<div>"
        for badge in item.badges {
            let colour = badge == "CRITICAL" || badge == "KEV" ? "#b71c1c" : badge == "HIGH" ? "#c25e00" : "#555555"
            html += "<span style=\"display:inline-block;padding:0 6px;margin-right:6px;border-radius:3px;"
                + "background-color:\(colour);color:#ffffff;font-size:12px;font-weight:bold;\">\(Self.escape(badge))</span>"
        }
        let title = Self.escape(item.title)
        if let link = item.link {
            html += "<a class=\"bd-link\" href=\"\(Self.escape(link))\" style=\"\(Self.link)font-weight:600;"
                + "text-decoration:none;\">\(title)</a>"
        } else {
            html += "<strong>\(title)</strong>"
        }
        html += "</div>\n"
        if let excerpt = item.excerpt {
            html += "<div style=\"font-size:14px;\">\(Self.escape(excerpt))</div>\n"
        }
        let details = item.details(Self.escape)
        html += "<div class=\"bd-muted\" style=\"font-size:14px;\(Self.muted)\">\(details.joined(separator: " &middot; "))</div>\n"
        if !item.alsoReportedBy.isEmpty {
            html += "<div class=\"bd-muted\" style=\"font-size:14px;\(Self.muted)\">also: "
                + item.alsoReportedBy.map(Self.escape).joined(separator: ", ") + "</div>\n"
        }
        return html + "</div>\n"
    }

    /// Text for an element or a double-quoted attribute: `& < > " '` as references. Scalar
    /// by scalar: `<` followed by a combining mark is one `Character`, not the character `<`.
    static func escape<S: StringProtocol>(_ text: S) -> String {
        DisplayText.replacing(text, ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"])
    }
}
