import Models

/// The one-line summaries every format opens with, and the email subject.
public enum DigestHeadline {
    /// "[bulletin] 3 action needed, 12 new for nginx, postgres…", or for a heartbeat
    /// "[bulletin] nothing new; all 38 feeds fetched fine". An empty prefix leaves it out.
    public static func subject(_ digest: DigestModel, prefix: String = "[bulletin]") -> String {
        var text = prefix.isEmpty ? "" : prefix + " "
        if digest.isEmpty {
            text += "nothing new"
        } else {
            if digest.actionNeededCount > 0 { text += "\(digest.actionNeededCount) action needed, " }
            text += "\(digest.itemCount) new for " + serviceList(digest.services)
        }
        if let health = digest.feedHealth, digest.isEmpty || !health.problems.isEmpty {
            text += "; " + health.headline
        }
        return text
    }

    /// "12 new bulletins for your services, 3 action needed" or "nothing new for your services".
    public static func summary(_ digest: DigestModel) -> String {
        guard !digest.isEmpty else { return "nothing new for your services" }
        let count = digest.itemCount
        var text = "\(count) new bulletin\(count == 1 ? "" : "s") for your services"
        if digest.actionNeededCount > 0 { text += ", \(digest.actionNeededCount) action needed" }
        return text
    }

    /// "First digest on this channel: 1,204 bulletins older than 14 days were marked as seen
    /// without being sent (bulletin search finds them)." or nil.
    public static func firstRunNote(_ digest: DigestModel) -> String? {
        guard digest.olderSkipped > 0 else { return nil }
        let count = digest.olderSkipped
        return "First digest on this channel: \(count) bulletin\(count == 1 ? "" : "s") older than "
            + "\(digest.firstRunDays) days \(count == 1 ? "was" : "were") marked as seen without being sent "
            + "(bulletin search finds them)."
    }

    /// "… and 12 more (bulletin export lists every tag)" when *Also mentioned* was cut.
    public static func moreMentions(_ digest: DigestModel) -> String? {
        let more = digest.mentionCount - digest.mentions.count
        return more > 0 ? "… and \(more) more (bulletin export lists every tag)" : nil
    }

    /// "2024-05-01 to 2024-05-14" for an ad-hoc digest's window, nil otherwise.
    public static func window(_ digest: DigestModel) -> String? {
        switch (digest.since, digest.until) {
        case (nil, nil): nil
        case (let since?, nil): "since \(Timestamp.day(since))"
        case (nil, let until?): "until \(Timestamp.day(until))"
        case (let since?, let until?): "\(Timestamp.day(since)) to \(Timestamp.day(until))"
        }
    }

    /// Up to three names, then "…"; at most about 60 characters.
    private static func serviceList(_ services: [String]) -> String {
        var shown: [String] = []
        var length = 0
        for service in services.prefix(3) {
            let name = service.count > 30 ? String(service.prefix(29)) + "…" : service
            if !shown.isEmpty && length + name.count > 60 { break }
            shown.append(name)
            length += name.count + 2
        }
        return shown.joined(separator: ", ") + (shown.count < services.count ? "…" : "")
    }
}
