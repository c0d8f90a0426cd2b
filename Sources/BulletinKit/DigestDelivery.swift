import FoundationEssentials
import Delivery
import Digest
import Models
import Storage

/// What to deliver: the whole digest or only what needs action now, a date window, a
/// format for standard-output channels, one channel or all, for real or as a dry run.
struct DeliveryRequest {
    enum Mode { case digest, alert }
    var mode = Mode.digest
    var since: Date?
    var until: Date?
    /// Overrides the `format` of `stdout` channels.
    var format: DigestFormat?
    /// Only this channel (by name).
    var channel: String?
    var dryRun = false
    /// `stdout` channels are left out (standard output carries a JSON summary).
    var skipStandardOutput = false
    /// Mark everything each channel has not had yet as delivered, without sending it
    /// (`run --catch-up`).
    var catchUp = false
}

/// What happened on one channel.
struct DeliveryOutcome {
    enum Status: String { case delivered, failed, nothing, dryRun = "dry-run", skipped, caughtUp = "caught-up" }
    let channel: String
    let kind: String
    let status: Status
    /// Rows (clusters) and entries in the digest sent (or that would be).
    var rows = 0
    var entries = 0
    /// The channel's answer, or why it failed or was skipped.
    var detail: String?
}

/// Sends each channel the digest of what it has not had yet: select, route, build, render
/// for the channel's kind, send, and only once the channel accepted, record the deliveries
/// (in the transaction that confirms the dispatch). A channel that fails leaves its
/// entries for the next run and does not stop the others.
struct DigestDelivery {
    let configuration: Configuration
    let console: Console
    var environment = ProcessInfo.processInfo.environment
    var now = WallClock.now()

    func deliver(from store: Store, _ request: DeliveryRequest) throws -> [DeliveryOutcome] {
        let configured = configuration.settings.channel.isEmpty
            ? [ChannelSettings.standardOutput] : configuration.settings.channel
        let selected = configured.filter { settings in
            if let only = request.channel { return settings.name == only }
            return !(request.skipStandardOutput && settings.kind == .stdout)
        }
        if let only = request.channel, selected.isEmpty {
            throw ConfigurationError(message: "config: no channel named '\(only)' in \(configuration.settingsFile)")
        }
        let health = try feedHealth(store)
        var outcomes: [DeliveryOutcome] = []
        if request.skipStandardOutput && request.channel == nil {
            outcomes += configured.filter { $0.kind == .stdout }.map {
                DeliveryOutcome(channel: $0.name, kind: "stdout", status: .skipped,
                                detail: "standard output carries the JSON summary")
            }
        }
        for settings in selected {
            outcomes.append(try deliver(to: settings, from: store, request, health: health))
        }
        return outcomes
    }

    private func deliver(to settings: ChannelSettings, from store: Store, _ request: DeliveryRequest,
                         health: FeedHealthReport) throws -> DeliveryOutcome {
        let kind = settings.kind.rawValue
        if !request.dryRun {
            for dispatch in try store.takeInterruptedDispatches(channel: settings.name, at: now) {
                console.warning("deliver: \(settings.name): a send started at \(Timestamp.rfc3339(dispatch.startedAt)) "
                    + "(Message-ID \(dispatch.messageID)) was interrupted before it was confirmed; its "
                    + "\(dispatch.entries) entries go out again and may arrive twice")
            }
        }
        var undelivered = try store.undelivered(on: settings.name)
        if request.catchUp {
            let ids = undelivered.map(\.entry.rowID)
            if !request.dryRun { try store.markDelivered(ids, on: settings.name, at: now) }
            console.note("deliver: \(settings.name): \(ids.count) entries marked delivered without sending (--catch-up)")
            return DeliveryOutcome(channel: settings.name, kind: kind, status: .caughtUp, entries: ids.count,
                                   detail: "marked delivered without sending")
        }
        // A channel's first digest leaves out what is older than [digest] first_run_days:
        // a new install must not mail a year of bulletins.
        var olderSkipped = 0
        let days = configuration.settings.digest.firstRunDays
        if days > 0, request.since == nil, request.until == nil, try !store.hasDelivered(on: settings.name) {
            let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
            let old = undelivered.filter { ($0.entry.entry.date ?? now) < cutoff }.map(\.entry.rowID)
            if !old.isEmpty {
                if !request.dryRun { try store.markDelivered(old, on: settings.name, at: now) }
                let skipped = Set(old)
                undelivered.removeAll { skipped.contains($0.entry.rowID) }
                olderSkipped = old.count
            }
        }
        var digest = try build(for: settings, from: undelivered, in: store, request, health: health)
        digest.olderSkipped = olderSkipped
        digest.firstRunDays = days
        if request.mode == .alert {
            digest = digest.actionNeededOnly()
            digest.feedHealth = nil
        }
        let heartbeat = request.mode == .digest && configuration.settings.digest.heartbeat
        guard !digest.isEmpty || heartbeat else {
            return DeliveryOutcome(channel: settings.name, kind: kind, status: .nothing)
        }
        let message = render(digest, for: settings, request)
        var outcome = DeliveryOutcome(channel: settings.name, kind: kind, status: .delivered,
                                      rows: digest.itemCount, entries: digest.rowIDs.count)
        let channel = makeChannel(settings)
        if request.dryRun {
            console.print(dryRunReport(message, channel: channel, settings: settings, digest: digest))
            outcome = DeliveryOutcome(channel: settings.name, kind: kind, status: .dryRun, rows: outcome.rows,
                                      entries: outcome.entries, detail: message.subject)
            return outcome
        }
        let dispatch = try store.beginDispatch(channel: settings.name, messageID: message.id,
                                               entries: digest.rowIDs.count, at: now)
        let receipt: DeliveryReceipt
        do {
            receipt = try channel.deliver(message)
        } catch {
            try store.failDispatch(dispatch, reason: error.reason, at: now)
            let count = digest.rowIDs.count
            console.warning(error.description + (count == 0 ? "; the next run sends the heartbeat"
                                                            : "; its \(count) entries wait for the next run"))
            return DeliveryOutcome(channel: settings.name, kind: kind, status: .failed, rows: outcome.rows,
                                   entries: outcome.entries, detail: error.reason)
        }
        do {
            try store.confirmDispatch(dispatch, channel: settings.name, entryRowIDs: digest.rowIDs,
                                      detail: receipt.detail, at: WallClock.now())
        } catch {
            // Sent, but the store cannot say so (a full disk): the next run sends it again.
            let accepted = settings.kind == .email ? "mail accepted by the server" : "accepted by the \(kind) channel"
            throw RuntimeError(message: "deliver: \(settings.name): \(accepted) but not recorded: it may arrive twice "
                + "(\(error))")
        }
        console.detail("deliver: \(settings.name): \(digest.itemCount) rows, \(digest.rowIDs.count) entries: \(receipt.detail)")
        outcome.detail = receipt.detail
        return outcome
    }

    /// The digest model for one channel: its selection less what is acknowledged, narrowed
    /// to a window when asked, routed through its filter.
    func build(for settings: ChannelSettings, from tagged: [(entry: StoredEntry, tags: [EntryTag])], in store: Store,
               _ request: DeliveryRequest, health: FeedHealthReport?) throws -> DigestModel {
        let (subjects, mentions) = DigestSelection.split(tagged, keepMentions: configuration.settings.digest.mentions)
        let kept = try store.withoutAcknowledged(subjects + mentions, at: now)
        let assessments = try store.assessments(of: subjects.map(\.entry.rowID))
        let tags = Dictionary(configuration.services.map { ($0.name, $0.tags) }, uniquingKeysWith: +)
        func narrowed(_ candidates: [DigestCandidate]) -> [DigestCandidate] {
            var candidates = candidates
            if request.since != nil || request.until != nil {
                candidates = candidates.filter {
                    DigestSelection.isInWindow($0.entry.entry.date, since: request.since, until: request.until)
                }
            }
            return settings.filter.apply(to: candidates, services: configuration.services, tags: tags)
        }
        let candidates = narrowed(DigestSelection.visible(DigestSelection.candidates(subjects, assessments: assessments),
                                                          kept: kept))
        let mentioned = narrowed(DigestSelection.visible(mentions.map(DigestCandidate.init), kept: kept))
        let builder = DigestBuilder(services: configuration.services, highRisk: configuration.settings.digest.highRisk)
        return builder.build(candidates: candidates, mentions: mentioned, feedHealth: health, since: request.since,
                             until: request.until, at: now)
    }

    /// *Feed health*: every feed the store knows; those flagged (gone, or failing `[fetch]
    /// flag_after` runs in a row) or moved for good.
    func feedHealth(_ store: Store) throws -> FeedHealthReport {
        let states = try store.feedStates().values.sorted { ($0.title, $0.url) < ($1.title, $1.url) }
        let policy = configuration.fetchOptions.retry
        let problems: [FeedHealth] = states.compactMap { state in
            let status: FeedHealth.Status
            if policy.isFlagged(failures: state.consecutiveFailures, gone: state.gone) {
                status = state.gone ? .gone(error: state.lastError)
                    : .failing(runs: state.consecutiveFailures, error: state.lastError)
            } else if let moved = state.movedURL {
                status = .moved(to: moved)
            } else {
                return nil
            }
            return FeedHealth(feed: state.title, url: state.url, status: status, lastSuccess: state.lastSuccess)
        }
        let recent = states.filter {
            $0.consecutiveFailures > 0 && !policy.isFlagged(failures: $0.consecutiveFailures, gone: $0.gone)
        }.count
        return FeedHealthReport(feedCount: states.count, problems: problems, recentlyFailing: recent)
    }

    /// The digest as the channel's kind takes it.
    func render(_ digest: DigestModel, for settings: ChannelSettings, _ request: DeliveryRequest) -> DigestMessage {
        let prefix = request.mode == .alert ? "[bulletin] ALERT:" : "[bulletin]"
        let message = DigestMessage(id: UUID().uuidString.lowercased(),
                                    subject: DigestHeadline.subject(digest, prefix: prefix), body: "")
        var result = message
        switch settings.kind {
        case .stdout:
            let format = request.format ?? settings.format
            let colour = format == .text && !request.dryRun && console.colour
            result.body = format.renderer(colour: colour).render(digest)
        case .email:
            result.body = TextRenderer().render(digest)
            result.html = HTMLRenderer().render(digest)
        case .slack: result.body = SlackRenderer().render(digest)
        case .teams: result.body = TeamsRenderer().render(digest)
        case .webhook: result.body = JSONRenderer().render(digest)
        }
        return result
    }

    /// The channel a `[[channel]]` describes; relative files are relative to the config directory.
    func makeChannel(_ settings: ChannelSettings) -> any Channel {
        func resolve(_ path: String) -> String { Paths.resolve(Paths.expandingTilde(path, environment), relativeTo: configuration.directory) }
        func resolve(_ secret: SecretSource?) -> SecretSource? {
            if case .file(let path) = secret { return .file(resolve(path)) }
            return secret
        }
        switch settings.kind {
        case .stdout:
            return StandardOutputChannel(name: settings.name, output: console.output)
        case .email:
            var email = settings.email!
            email.password = resolve(email.password)
            email.caFile = email.caFile.map(resolve)
            return EmailChannel(name: settings.name, settings: email, environment: environment)
        case .slack, .teams, .webhook:
            var webhook = settings.webhook!
            webhook.secret = resolve(webhook.secret)
            webhook.caFile = webhook.caFile.map(resolve)
            return WebhookChannel(name: settings.name, settings: webhook, environment: environment)
        }
    }

    /// What `--dry-run` prints for a channel: where it would go, the subject, the body.
    private func dryRunReport(_ message: DigestMessage, channel: any Channel, settings: ChannelSettings,
                              digest: DigestModel) -> String {
        var lines = ["== \(settings.name) (\(settings.kind.rawValue)): would send \(digest.itemCount) rows, "
            + "\(digest.rowIDs.count) entries; nothing is sent or marked delivered"]
        if let email = channel as? EmailChannel {
            lines.append("To: " + email.settings.to.map(\.description).joined(separator: ", "))
            lines.append("Via: \(email.settings.url)")
        }
        if let webhook = channel as? WebhookChannel { lines.append("Via: \(webhook.redactedURL)") }
        lines.append("Subject: \(message.subject)")
        lines.append("")
        lines.append(message.body)
        return lines.joined(separator: "\n")
    }
}

extension ChannelSettings {
    /// The channel used when none is configured: the text digest on standard output.
    static var standardOutput: ChannelSettings { ChannelSettings(name: "stdout", kind: .stdout) }

    init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}
