import Digest
import FoundationEssentials
import Models
import Storage

/// `bulletin ack ID [--service S] [--until DATE] [--reason TEXT]`: hide a bulletin from digests.
enum AckCommand {
    static let spec = CommandSpec(
        name: "ack",
        abstract: "Hide a bulletin from future digests, for a while or for good.",
        discussion: """
            ID is an entry number or an advisory id (CVE-…): an advisory id hides every entry \
            that names it, including entries not fetched yet. --service hides only that \
            service's tag (the entry still shows for its other services). --until DATE \
            (YYYY-MM-DD, UTC, or Nd for N days from now) brings it back on that date. \
            'bulletin acks' lists acks, 'bulletin unack' removes one.
            """,
        arguments: [.init(name: "id", help: "An entry number or an advisory id.")],
        options: [
            .init(name: "--service", value: "name", help: "Hide only this service's tag."),
            .init(name: "--until", value: "date", help: "Hide until this date: 2024-01-01, or 30d, 2w, 1y from now."),
            .init(name: "--reason", value: "text", help: "Why, for the list of acks."),
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let configuration = try Configuration.load(invocation.global)
        let now = WallClock.now()
        let until = try invocation.value("--until").map { try date($0, after: now) }
        var service = invocation.value("--service")
        if let name = service {
            guard let known = configuration.services.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw UsageError(message: "No service named '\(name)' in \(configuration.inventoryFile)",
                                 path: [BulletinMain.root, spec])
            }
            service = known.name
        }
        let store = try Pipeline(configuration: configuration, console: invocation.console).openStore()
        let id = invocation.arguments[0]
        let target: Ack.Target
        let described: String
        if let number = Int64(id) {
            guard let entry = try store.entry(rowID: number) else {
                throw RuntimeError(message: "ack: no entry \(number) in \(store.path)")
            }
            target = .entry(number)
            described = "entry \(number) \"\(ShownText.line(entry.entry.title ?? entry.entry.id))\""
        } else if id.wholeMatch(of: #/(?i)(?:CVE-\d{4}-\d{4,7}|GHSA(?:-[0-9a-z]{4}){3}|[A-Z]{2,5}[0-9]*-[0-9][0-9:-]*)/#) != nil {
            target = .advisory(id)
            let count = try store.entries(mentioning: id).count
            described = "\(id.uppercased()) (\(count) stored entr\(count == 1 ? "y names" : "ies name") it)"
        } else {
            throw UsageError(message: "'\(id)' is neither an entry number nor an advisory id",
                             path: [BulletinMain.root, spec])
        }
        // The same ack twice would hide nothing more: say which one is in force instead.
        if let same = try store.acks(includeExpired: false, at: now).first(where: { $0.target.sameTarget(as: target) && $0.service == service }) {
            let time = same.until.map { " until \(Timestamp.rfc3339($0))" } ?? " for good"
            throw UsageError(message: "ack: \(described) is already hidden\(service.map { " for \($0)" } ?? "")\(time) "
                + "by ack \(same.id); 'bulletin unack \(same.id)' first to change it", path: [BulletinMain.root, spec])
        }
        let reason = invocation.value("--reason").flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        let ackID = try store.addAck(target, service: service, until: until, reason: reason, at: now)
        let scope = service.map { " for \($0)" } ?? ""
        let time = until.map { " until \(Timestamp.rfc3339($0))" } ?? " for good"
        invocation.console.print("ack \(ackID): \(described) hidden\(scope)\(time) (undo: bulletin unack \(ackID))")
        return .success
    }

    /// A `DateBound`: a day (its start, UTC), an instant, or an age counted forward from
    /// `now` (`30d`); it must lie ahead.
    static func date(_ text: String, after now: Date) throws -> Date {
        guard let bound = DateBound(text) else {
            throw UsageError(message: "The value '\(text)' is invalid for '--until <date>'; expected \(DateBound.expected)",
                             path: [BulletinMain.root, spec])
        }
        let date = Date(timeIntervalSince1970: TimeInterval(bound.ahead(of: now)))
        guard date > now else {
            throw UsageError(message: "The date '\(text)' for '--until <date>' is not in the future",
                             path: [BulletinMain.root, spec])
        }
        return date
    }
}

private extension Ack.Target {
    /// The same entry, or the same advisory id in any case.
    func sameTarget(as other: Ack.Target) -> Bool {
        switch (self, other) {
        case (.entry(let a), .entry(let b)): a == b
        case (.advisory(let a), .advisory(let b)): a.uppercased() == b.uppercased()
        default: false
        }
    }
}
