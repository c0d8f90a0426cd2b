import Fetching

/// `bulletin.toml`: every key optional, so an empty file is valid.
struct Settings: Decodable, Sendable {
    /// The database file; relative paths are relative to the config directory.
    var database: String?
    /// Feed catalogs (OPML), relative to the config directory.
    var feeds: [String]?
    var fetch = FetchSettings()
    var digest = DigestSettings()
    var run = RunSettings()
    var channel: [ChannelSettings] = []

    init() {}

    enum CodingKeys: String, CodingKey { case database, feeds, fetch, digest, run, channel }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        database = try container.decodeIfPresent(String.self, forKey: .database).map { try nonEmpty($0, .database, container) }
        feeds = try container.decodeIfPresent([String].self, forKey: .feeds)
        fetch = try container.decodeIfPresent(FetchSettings.self, forKey: .fetch) ?? fetch
        digest = try container.decodeIfPresent(DigestSettings.self, forKey: .digest) ?? digest
        run = try container.decodeIfPresent(RunSettings.self, forKey: .run) ?? run
        channel = try container.decodeIfPresent([ChannelSettings].self, forKey: .channel) ?? []
        if let runs = digest.failingRuns {
            guard !fetch.flagAfterGiven || fetch.options.retry.flagAfter == runs else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: [CodingKeys.digest, DigestSettings.CodingKeys.failingRuns],
                    debugDescription: "'failing_runs' is the older name of [fetch] flag_after, which says "
                        + "\(fetch.options.retry.flagAfter): keep one"))
            }
            fetch.options.retry.flagAfter = runs
        }
        var names = Set<String>()
        for (index, channel) in channel.enumerated() where !names.insert(channel.name).inserted {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [CodingKeys.channel, IndexKey(index), ChannelSettings.CodingKeys.name],
                debugDescription: "a channel named '\(channel.name)' is already defined"))
        }
    }
}

/// `[fetch]`: how feeds are fetched.
struct FetchSettings: Decodable, Sendable {
    var options = FetchOptions()
    /// The file sets `flag_after` (which `[digest] failing_runs`, its older name, must agree with).
    var flagAfterGiven = false

    init() {}

    enum CodingKeys: String, CodingKey {
        case concurrency, perHost = "per_host", timeout, connectTimeout = "connect_timeout"
        case maxBodyBytes = "max_body_bytes", maxRedirects = "max_redirects"
        case maxDownloadBytes = "max_download_bytes", maxBackoff = "max_backoff", flagAfter = "flag_after"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func integer(_ key: CodingKeys, _ range: ClosedRange<Int>, _ fallback: Int) throws -> Int {
            try container.decodeIfPresent(Int.self, forKey: key).map {
                try checked($0, range, key, container)
            } ?? fallback
        }
        func seconds(_ key: CodingKeys, _ fallback: Double, atMost limit: Double = 3600) throws -> Double {
            try container.decodeIfPresent(Double.self, forKey: key).map {
                guard $0 > 0, $0 <= limit else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: container,
                        debugDescription: "'\(key.stringValue)' must be more than 0 and at most \(Int(limit)) seconds, found \($0)")
                }
                return $0
            } ?? fallback
        }
        options.concurrency = try integer(.concurrency, 1...1000, options.concurrency)
        options.perHost = try integer(.perHost, 1...100, options.perHost)
        options.timeout = try seconds(.timeout, options.timeout)
        options.connectTimeout = try seconds(.connectTimeout, options.connectTimeout)
        options.maxBodyBytes = try integer(.maxBodyBytes, 1024...1_073_741_824, options.maxBodyBytes)
        options.maxRedirects = try integer(.maxRedirects, 0...20, options.maxRedirects)
        options.maxDownloadBytes = try integer(.maxDownloadBytes, 1024...1_073_741_824, options.maxDownloadBytes)
        options.retry.maxDelay = try seconds(.maxBackoff, options.retry.maxDelay, atMost: 30 * 86_400)
        options.retry.flagAfter = try integer(.flagAfter, 1...1000, options.retry.flagAfter)
        flagAfterGiven = container.contains(.flagAfter)
    }
}

/// `[digest]`: what the digest shows.
struct DigestSettings: Decodable, Sendable {
    /// Risk (impact × likelihood) at or above which a service is high risk.
    var highRisk = 15
    /// Send a digest even when nothing is new, so quiet is never mistaken for broken.
    var heartbeat = true
    /// The older name of `[fetch] flag_after`, still read: nil when the file does not set it.
    var failingRuns: Int?
    /// List the bulletins that only mention a service under *Also mentioned*.
    var mentions = true
    /// A channel's first digest leaves out (and marks delivered) what is older than this
    /// many days; 0 sends everything.
    var firstRunDays = 14

    init() {}

    enum CodingKeys: String, CodingKey { case highRisk = "high_risk", heartbeat, failingRuns = "failing_runs", mentions,
                                          firstRunDays = "first_run_days" }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        highRisk = try container.decodeIfPresent(Int.self, forKey: .highRisk)
            .map { try checked($0, 1...25, .highRisk, container) } ?? highRisk
        heartbeat = try container.decodeIfPresent(Bool.self, forKey: .heartbeat) ?? heartbeat
        failingRuns = try container.decodeIfPresent(Int.self, forKey: .failingRuns)
            .map { try checked($0, 1...1000, .failingRuns, container) }
        mentions = try container.decodeIfPresent(Bool.self, forKey: .mentions) ?? mentions
        firstRunDays = try container.decodeIfPresent(Int.self, forKey: .firstRunDays)
            .map { try checked($0, 0...36_500, .firstRunDays, container) } ?? firstRunDays
    }
}

/// `[run]`: how `bulletin run` behaves.
struct RunSettings: Decodable, Sendable {
    /// Seconds a run waits for an overlapping one to finish before it gives up (0: at once).
    var lockWait = 60

    init() {}

    enum CodingKeys: String, CodingKey { case lockWait = "lock_wait" }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lockWait = try container.decodeIfPresent(Int.self, forKey: .lockWait)
            .map { try checked($0, 0...86_400, .lockWait, container) } ?? lockWait
    }
}

/// An integer key's value, or an error at its position saying what range it must lie in.
func checked<Key: CodingKey>(_ value: Int, _ range: ClosedRange<Int>, _ key: Key,
                             _ container: KeyedDecodingContainer<Key>) throws -> Int {
    guard range.contains(value) else {
        throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription:
            "'\(key.stringValue)' must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
    }
    return value
}

/// A string key's value, or an error at its position when it is empty or holds a control
/// character (a NUL, a newline: nothing a name or path may hold).
func nonEmpty<Key: CodingKey>(_ value: String, _ key: Key, _ container: KeyedDecodingContainer<Key>) throws -> String {
    guard !value.allSatisfy(\.isWhitespace) else {
        throw DecodingError.dataCorruptedError(forKey: key, in: container,
                                               debugDescription: "'\(key.stringValue)' must not be empty")
    }
    if let control = value.unicodeScalars.first(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
        throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription:
            "'\(key.stringValue)' must not hold a control character (U+\(String(control.value, radix: 16, uppercase: true)))")
    }
    return value
}

/// A file key's value, or an error at its position when the file cannot be read.
func existingFile<Key: CodingKey>(_ path: String, _ key: Key, _ container: KeyedDecodingContainer<Key>,
                                  userInfo: [CodingUserInfoKey: Any]) throws -> String {
    if let problem = ConfigFileCheck.problem(with: path, userInfo: userInfo) {
        throw DecodingError.dataCorruptedError(forKey: key, in: container,
                                               debugDescription: "'\(key.stringValue)' names '\(path)': \(problem)")
    }
    return path
}

/// An array index in a coding path.
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { intValue.map(String.init) ?? "" }
    init(_ index: Int) { intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { return nil }
}
