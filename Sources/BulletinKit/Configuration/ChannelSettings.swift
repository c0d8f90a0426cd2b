import Curl
import Delivery
import Digest
import Models

/// `[[channel]]`: where digests go, what each gets (routing) and how it is reached.
/// Every key is checked here, with the position of the key at fault in the error.
struct ChannelSettings: Decodable, Sendable {
    enum Kind: String, Decodable, Sendable, CaseIterable {
        case stdout, email, slack, teams, webhook
    }

    var name: String
    var kind: Kind
    /// The format a `stdout` channel prints.
    var format = DigestFormat.text
    var filter = DigestFilter()
    var email: EmailSettings?
    var webhook: WebhookSettings?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, kind, format
        case to, from, smtpURL = "smtp_url", tls, username, passwordEnv = "password_env", passwordFile = "password_file"
        case url, urlEnv = "url_env", urlFile = "url_file", secretEnv = "secret_env", secretFile = "secret_file", retries
        case timeout, caFile = "ca_file"
        case services, owner, tag, minRisk = "min_risk", minSeverity = "min_severity"
    }

    /// The keys that apply to each kind (routing keys apply to all).
    private static let keysOfKind: [Kind: Set<CodingKeys>] = [
        .stdout: [.format],
        .email: [.to, .from, .smtpURL, .tls, .username, .passwordEnv, .passwordFile, .timeout, .caFile],
        .slack: [.url, .urlEnv, .urlFile, .secretEnv, .secretFile, .retries, .timeout, .caFile],
        .teams: [.url, .urlEnv, .urlFile, .secretEnv, .secretFile, .retries, .timeout, .caFile],
        .webhook: [.url, .urlEnv, .urlFile, .secretEnv, .secretFile, .retries, .timeout, .caFile],
    ]
    private static let common: Set<CodingKeys> = [.name, .kind, .services, .owner, .tag, .minRisk, .minSeverity]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func error(_ key: CodingKeys, _ message: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: message)
        }
        func string(_ key: CodingKeys) throws -> String? {
            try container.decodeIfPresent(String.self, forKey: key).map { try nonEmpty($0, key, container) }
        }
        name = try nonEmpty(container.decode(String.self, forKey: .name), .name, container)
        let kindName = try container.decode(String.self, forKey: .kind)
        guard let kind = Kind(rawValue: kindName) else {
            throw error(.kind, "unknown channel kind '\(kindName)'; use one of: "
                + Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.kind = kind
        // A key of another kind is a mistake worth naming (a `to` on a webhook does nothing).
        let allowed = Self.common.union(Self.keysOfKind[kind]!)
        for key in CodingKeys.allCases where !allowed.contains(key) && container.contains(key) {
            throw error(key, "'\(key.stringValue)' does not apply to a channel of kind '\(kind.rawValue)'")
        }

        if let formatName = try string(.format) {
            guard let format = DigestFormat(rawValue: formatName) else {
                throw error(.format, "unknown format '\(formatName)'; use one of: "
                    + DigestFormat.allCases.map(\.rawValue).joined(separator: ", "))
            }
            self.format = format
        }

        // Routing.
        filter.services = try container.decodeIfPresent([String].self, forKey: .services) ?? []
        filter.owner = try string(.owner)
        filter.tag = try string(.tag)
        filter.minimumRisk = try container.decodeIfPresent(Int.self, forKey: .minRisk)
            .map { try checked($0, 1...25, .minRisk, container) }
        if let word = try string(.minSeverity) {
            guard let severity = Severity(word: word) else {
                throw error(.minSeverity, "unknown severity '\(word)'; use one of: low, medium, high, critical")
            }
            filter.minimumSeverity = severity
        }

        let timeout = try container.decodeIfPresent(Double.self, forKey: .timeout)
        if let timeout, !(timeout > 0 && timeout <= 3600) {
            throw error(.timeout, "'timeout' must be more than 0 and at most 3600 seconds, found \(timeout)")
        }
        let caFile = try string(.caFile).map { try existingFile($0, .caFile, container, userInfo: decoder.userInfo) }

        switch kind {
        case .stdout:
            break
        case .email:
            email = try Self.decodeEmail(container, timeout: timeout, caFile: caFile, userInfo: decoder.userInfo, error: error)
        case .slack, .teams, .webhook:
            // The URL is a credential: it may come from the environment or a private file.
            let literal = try string(.url)
            let source = try Self.secret(container, env: .urlEnv, file: .urlFile, userInfo: decoder.userInfo, error: error)
            let url: WebhookURL
            switch (literal, source) {
            case (let literal?, nil):
                if let problem = WebhookURL.problem(with: literal) { throw error(.url, "'url' \(problem)") }
                url = .literal(literal)
            case (nil, let source?):
                url = .secret(source)
            case (nil, nil):
                throw error(.kind, "a \(kind.rawValue) channel needs 'url', 'url_env' or 'url_file'")
            case (_?, _?):
                throw error(.url, "give one of 'url', 'url_env' and 'url_file'")
            }
            var settings = WebhookSettings(url: url)
            settings.secret = try Self.secret(container, env: .secretEnv, file: .secretFile, userInfo: decoder.userInfo,
                                              error: error)
            settings.retries = try container.decodeIfPresent(Int.self, forKey: .retries)
                .map { try checked($0, 0...5, .retries, container) } ?? settings.retries
            settings.timeout = timeout ?? settings.timeout
            settings.caFile = caFile
            webhook = settings
        }
    }

    private static func decodeEmail(_ container: KeyedDecodingContainer<CodingKeys>, timeout: Double?, caFile: String?,
                                    userInfo: [CodingUserInfoKey: Any],
                                    error: (CodingKeys, String) -> DecodingError) throws -> EmailSettings {
        guard let url = try container.decodeIfPresent(String.self, forKey: .smtpURL) else {
            throw error(.kind, "an email channel needs 'smtp_url' (smtp://host:587 or smtps://host:465)")
        }
        let parsed = CurlURL(url)
        let scheme = parsed?.scheme?.lowercased()
        guard let parsed, scheme == "smtp" || scheme == "smtps", let host = parsed.host, !host.isEmpty else {
            throw error(.smtpURL, "'smtp_url' must be smtp://host[:port] or smtps://host[:port], found '\(url)'")
        }
        guard parsed.user == nil, parsed.password == nil else {
            throw error(.smtpURL, "'smtp_url' must not hold a user or password: use 'username' and 'password_env'")
        }
        guard let fromText = try container.decodeIfPresent(String.self, forKey: .from) else {
            throw error(.kind, "an email channel needs 'from'")
        }
        guard let from = MailAddress(fromText) else {
            throw error(.from, "'from' must be an address like bulletin@example.com or \"Bulletin <bulletin@example.com>\"")
        }
        guard let toTexts = try container.decodeIfPresent([String].self, forKey: .to) else {
            throw error(.kind, "an email channel needs 'to', a list of addresses")
        }
        guard !toTexts.isEmpty else { throw error(.to, "'to' must list at least one address") }
        var to: [MailAddress] = []
        for (index, text) in toTexts.enumerated() {
            guard let address = MailAddress(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath + [CodingKeys.to, IndexKey(index)],
                    debugDescription: "'to[\(index)]' is not an email address: '\(text)'"))
            }
            to.append(address)
        }
        var settings = EmailSettings(url: url, from: from, to: to)
        let tls = try container.decodeIfPresent(String.self, forKey: .tls) ?? "required"
        switch tls {
        case "required":
            settings.requireTLS = true
        case "off":
            guard scheme == "smtp", isLoopback(host) else {
                throw error(.tls, "tls = \"off\" is only for an smtp:// relay on 127.0.0.1 or localhost")
            }
            settings.requireTLS = false
        default:
            throw error(.tls, "'tls' must be \"required\" (STARTTLS on smtp://, implicit on smtps://) or \"off\", found '\(tls)'")
        }
        settings.username = try container.decodeIfPresent(String.self, forKey: .username)
            .map { try nonEmpty($0, .username, container) }
        settings.password = try secret(container, env: .passwordEnv, file: .passwordFile, userInfo: userInfo, error: error)
        if settings.username != nil, settings.password == nil {
            throw error(.username, "'username' needs 'password_env' or 'password_file' (never the password itself)")
        }
        if settings.username == nil, settings.password != nil {
            throw error(container.contains(.passwordEnv) ? .passwordEnv : .passwordFile, "a password needs 'username'")
        }
        settings.timeout = timeout ?? settings.timeout
        settings.caFile = caFile
        return settings
    }

    private static func secret(_ container: KeyedDecodingContainer<CodingKeys>, env: CodingKeys, file: CodingKeys,
                               userInfo: [CodingUserInfoKey: Any],
                               error: (CodingKeys, String) -> DecodingError) throws -> SecretSource? {
        let variable = try container.decodeIfPresent(String.self, forKey: env).map { try nonEmpty($0, env, container) }
        let path = try container.decodeIfPresent(String.self, forKey: file).map { try nonEmpty($0, file, container) }
        switch (variable, path) {
        case (let variable?, nil): return .environment(variable)
        case (nil, let path?): return .file(try existingFile(path, file, container, userInfo: userInfo))
        case (nil, nil): return nil
        case (_?, _?): throw error(file, "give '\(env.stringValue)' or '\(file.stringValue)', not both")
        }
    }

    /// 127.0.0.0/8, ::1 and localhost (a host as libcurl gives it, IPv6 in brackets):
    /// the only hosts plain text may go to.
    static func isLoopback(_ host: String) -> Bool {
        let octets = host.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
        let loopbackIPv4 = octets.count == 4 && !octets.contains(nil) && octets[0] == 127
        return host.lowercased() == "localhost" || host == "[::1]" || loopbackIPv4
    }
}
