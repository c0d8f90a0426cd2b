import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Where a channel's secret (SMTP password, webhook signing key) comes from: never the
/// configuration file itself. Read when the channel delivers, so a missing secret fails
/// that channel alone; the value never appears in an error.
public enum SecretSource: Sendable, Hashable {
    /// An environment variable, by name.
    case environment(String)
    /// A file that only its owner may read (mode 0600 or stricter); trailing line breaks are dropped.
    case file(String)

    /// Where it is read from, for messages: `$NAME` or the file's path.
    public var name: String {
        switch self {
        case .environment(let variable): "$" + variable
        case .file(let path): path
        }
    }

    /// The secret, or an error naming where it was looked for (never what was found).
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment,
                        channel: String) throws(DeliveryError) -> String {
        switch self {
        case .environment(let variable):
            guard let value = environment[variable], !value.isEmpty else {
                throw DeliveryError(channel: channel, reason: "the environment variable \(variable) is not set")
            }
            return value
        case .file(let path):
            var status = stat()
            guard stat(path, &status) == 0 else {
                throw DeliveryError(channel: channel, reason: "\(path): \(String(cString: strerror(errno)))")
            }
            guard status.st_mode & 0o077 == 0 else {
                throw DeliveryError(channel: channel, reason: "\(path) is readable by others: "
                    + "make it readable by its owner only (chmod 600 \(path))")
            }
            guard let data = FileManager.default.contents(atPath: path),
                  var text = String(validating: data, as: UTF8.self) else {
                throw DeliveryError(channel: channel, reason: "\(path): cannot read the file as UTF-8 text")
            }
            while let last = text.unicodeScalars.last, last == "\n" || last == "\r" { text.unicodeScalars.removeLast() }
            guard !text.isEmpty else { throw DeliveryError(channel: channel, reason: "\(path) is empty") }
            return text
        }
    }
}
