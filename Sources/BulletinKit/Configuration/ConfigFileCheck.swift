import FoundationEssentials

/// Checks that need the file system, made while the configuration is decoded (so that an
/// error points at the key at fault): a file a key names must exist and be a regular file.
enum ConfigFileCheck {
    /// `decoder.userInfo` keys: the config directory (relative paths are in it) and the
    /// environment (for `~`). Without them (a decoder in a test) files are not checked.
    static let directoryKey = CodingUserInfoKey(rawValue: "bulletin.configDirectory")!
    static let environmentKey = CodingUserInfoKey(rawValue: "bulletin.environment")!

    /// Why the file `path` (as written, for `key`) cannot be read, or nil when it can.
    static func problem(with path: String, userInfo: [CodingUserInfoKey: Any]) -> String? {
        guard let directory = userInfo[directoryKey] as? String else { return nil }
        let environment = userInfo[environmentKey] as? [String: String] ?? [:]
        let resolved = Paths.resolve(Paths.expandingTilde(path, environment), relativeTo: directory)
        return problem(reading: resolved)
    }

    /// Why the file at `path` cannot be read as a configuration or secret file, or nil.
    static func problem(reading path: String) -> String? {
        let manager = FileManager.default
        guard (try? manager.attributesOfItem(atPath: path)) != nil else { return "no such file" }
        guard manager.fileExists(atPath: path) else {  // follows links: false for a loop
            return "a symbolic link that leads nowhere (a loop, or its target is missing)"
        }
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let type = (try? manager.attributesOfItem(atPath: target))?[.type] as? FileAttributeType
        if type == .typeDirectory { return "a directory, not a file" }
        guard type == .typeRegular else { return "not a regular file (a FIFO, socket or device)" }
        guard manager.isReadableFile(atPath: path) else { return "not readable (permissions)" }
        return nil
    }
}
