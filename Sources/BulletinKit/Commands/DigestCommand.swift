import FoundationEssentials
import Digest
import Models
import Storage

/// `bulletin digest`: show the digest, or deliver it, without fetching.
enum DigestCommand {
    static let spec = CommandSpec(
        name: "digest",
        abstract: "Show or deliver the digest of what is stored, without fetching.",
        discussion: """
            Prints what the channels have not had yet (or, with --since/--until, every tagged \
            bulletin of that window, delivered or not). With --deliver, sends each channel its \
            digest and marks it delivered once the channel accepted it, as 'bulletin run' does; \
            --dry-run shows what each channel would get and sends nothing. Dates are \
            YYYY-MM-DD, an RFC 3339 time, or a span back from now: 36h, 7d, 2w.
            """,
        options: [
            .init(name: "--since", value: "date", help: "Only bulletins dated at or after <date>: 7d, 12h, 2w, 1y or 2024-01-01."),
            .init(name: "--until", value: "date", help: "Only bulletins dated before <date>."),
            .init(name: "--format", value: "format", help: "Output format (default: text; stdout channels' own with --deliver).",
                  choices: DigestFormat.allCases.map(\.rawValue)),
            .init(name: "--channel", value: "name", help: "Only this channel's digest."),
            .init(name: "--deliver", value: nil, help: "Send to the channels and mark what they accepted."),
            .init(name: "--print", value: nil, help: "Print the digest on standard output (the default)."),
            .init(name: "--dry-run", value: nil, help: "Show what each channel would get; send and mark nothing."),
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let flags = invocation.flags
        if flags.contains("--deliver") && flags.contains("--print") {
            throw ConfigurationError(message: "digest: give --deliver or --print, not both")
        }
        let now = WallClock.now()
        var request = DeliveryRequest()
        request.since = try invocation.value("--since").map { try parseDate($0, option: "--since", now: now) }
        request.until = try invocation.value("--until").map { try parseDate($0, option: "--until", now: now) }
        request.format = invocation.value("--format").flatMap(DigestFormat.init(rawValue:))
        request.channel = invocation.value("--channel")
        request.dryRun = flags.contains("--dry-run")

        let configuration = try Configuration.load(invocation.global)
        let pipeline = Pipeline(configuration: configuration, console: invocation.console)
        let delivering = flags.contains("--deliver") || request.dryRun
        let store = try delivering ? pipeline.openStore() : pipeline.openStoreForReading()
        if delivering {
            // Delivering takes the run lock, as `run` does: a digest sent beside a run would
            // send the same entries, and its check for interrupted sends would take the
            // run's send in flight for one. (A dry run sends and records nothing.)
            let lease = request.dryRun ? nil : try store.lockRuns(waitingUpTo: Double(configuration.settings.run.lockWait)) {
                invocation.console.note("digest: waiting for another bulletin run (\($0)) to finish")
            }
            defer { lease?.release() }
            let outcomes = try pipeline.deliver(from: store, request)
            let failed = outcomes.filter { $0.status == .failed }
            if !request.dryRun {
                let sent = outcomes.filter { $0.status == .delivered }
                invocation.console.note("digest: delivered to \(sent.count) of \(outcomes.count) channels"
                    + (failed.isEmpty ? "" : "; failed: " + failed.map(\.channel).joined(separator: ", ")))
            }
            return failed.isEmpty ? .success : .partial
        }

        // --print: the window, delivered or not; else what the channels have not had yet.
        let delivery = DigestDelivery(configuration: configuration, console: invocation.console)
        let channels = configuration.settings.channel.isEmpty ? [ChannelSettings.standardOutput]
            : configuration.settings.channel.filter { request.channel == nil || $0.name == request.channel }
        if let only = request.channel, channels.isEmpty {
            throw ConfigurationError(message: "config: no channel named '\(only)' in \(configuration.settingsFile)")
        }
        var tagged: [(entry: StoredEntry, tags: [EntryTag])]
        if request.since != nil || request.until != nil {
            tagged = try store.tagged(since: request.since, until: request.until)
        } else {
            tagged = []
            var seen = Set<Int64>()
            for channel in channels {
                for row in try store.undelivered(on: channel.name) where seen.insert(row.entry.rowID).inserted {
                    tagged.append(row)
                }
            }
        }
        // One channel: its routing applies; several: everything any of them would get.
        let routing = channels.count == 1 ? channels[0] : ChannelSettings.standardOutput
        let digest = try delivery.build(for: routing, from: tagged, in: store, request, health: delivery.feedHealth(store))
        let format = request.format ?? .text
        invocation.console.print(format.renderer(colour: format == .text && invocation.console.colour)
            .render(digest))
        return .success
    }

    /// A `DateBound` as a moment: `2024-05-01` (UTC midnight), `2024-05-01T06:30:00Z`, or
    /// `36h`, `7d`, `2w`, `1y` back from `now`.
    static func parseDate(_ text: String, option: String, now: Date) throws -> Date {
        guard let bound = DateBound(text) else {
            throw ConfigurationError(message: "digest: \(option) '\(text)': expected \(DateBound.expected)")
        }
        return Date(timeIntervalSince1970: TimeInterval(bound.start(now: now)))
    }
}
