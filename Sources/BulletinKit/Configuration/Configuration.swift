import FoundationEssentials
import Fetching
import Models
import Parsing
import TOML

/// Everything a command needs to know before it works: where the config directory is,
/// the settings, the inventory, the catalog files and the database path.
struct Configuration {
    /// The config directory in use (it may not exist: then every default applies).
    let directory: String
    /// Why that directory: `--config`, `$BULLETIN_CONFIG`, `./Config in the current
    /// directory`, `$XDG_CONFIG_HOME` or `/etc/bulletin`.
    var origin = ""
    let settings: Settings
    let services: [Service]
    /// The feed catalogs, absolute or relative to the working directory.
    let catalogFiles: [String]
    let databasePath: String

    var settingsFile: String { directory + "/bulletin.toml" }

    /// The fetcher's settings, with a `User-Agent` that names Bulletin and its version.
    var fetchOptions: FetchOptions {
        var options = settings.fetch.options
        options.userAgent = "Bulletin/\(BulletinMain.version) (security bulletin tracker)"
        return options
    }
    var inventoryFile: String { directory + "/inventory.toml" }

    /// Finds and reads the configuration: `--config DIR`, then `$BULLETIN_CONFIG`, then
    /// `./Config`, then `$XDG_CONFIG_HOME/bulletin`, then `/etc/bulletin`. A missing file
    /// means its defaults.
    /// With `problems`, a broken settings or inventory file counts as its defaults and its
    /// error is collected, so `config check` reports every file's error at once.
    static func load(_ global: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment,
                     collecting problems: ConfigurationProblems? = nil) throws -> Configuration {
        let (directory, origin) = try locateDirectory(global, environment: environment)
        /// The file's value; with `problems`, its error is collected and the default used.
        func decodeOrCollect<T: Decodable>(_ type: T.Type, _ file: String, default value: T) throws -> T {
            do {
                return try decode(type, file: file, directory: directory, environment: environment) ?? value
            } catch let error as ConfigurationError {
                guard let problems else { throw error }
                problems.errors.append(error)
                return value
            }
        }
        let settings = try decodeOrCollect(Settings.self, directory + "/bulletin.toml", default: Settings())
        let inventory = try decodeOrCollect(Inventory.self, directory + "/inventory.toml", default: Inventory())
        let catalogs: [String]
        if let feeds = global.feedsFile {
            catalogs = [feeds]
        } else if let feeds = settings.feeds {
            catalogs = feeds.map { Paths.resolve(Paths.expandingTilde($0, environment), relativeTo: directory) }
        } else {
            catalogs = Paths.files(in: directory + "/feeds", withExtension: "opml")
        }
        let database = global.databasePath
            ?? settings.database.map { Paths.resolve(Paths.expandingTilde($0, environment), relativeTo: directory) }
            ?? Paths.defaultDatabase(environment)
        return Configuration(directory: directory, origin: origin, settings: settings, services: inventory.services,
                             catalogFiles: catalogs, databasePath: database)
    }

    /// The directory, and why it was chosen.
    private static func locateDirectory(_ global: GlobalOptions, environment: [String: String]) throws
        -> (String, String) {
        let variable = environment["BULLETIN_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        if let given = global.configDirectory ?? variable {
            guard Paths.isDirectory(given) else {
                throw ConfigurationError(message: "config: \(given): no such directory")
            }
            return (given, global.configDirectory != nil ? "--config" : "$BULLETIN_CONFIG")
        }
        if Paths.isDirectory("Config") { return ("Config", "./Config in the current directory") }
        let xdg = (environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? "") + "/.config") + "/bulletin"
        if !Paths.isDirectory(xdg), Paths.isDirectory(systemDirectory) { return (systemDirectory, "/etc/bulletin") }
        return (xdg, "$XDG_CONFIG_HOME")
    }

    /// The system-wide configuration, the last place looked.
    static let systemDirectory = "/etc/bulletin"

    /// Decodes `file`, or nil when it does not exist. Errors carry file:line:column (1:1
    /// for a file that cannot be read as text at all: a directory, a FIFO, a symbolic link
    /// loop, UTF-16).
    private static func decode<T: Decodable>(_ type: T.Type, file: String, directory: String,
                                             environment: [String: String]) throws -> T? {
        if let problem = ConfigFileCheck.problem(reading: file) {
            if problem == "no such file" { return nil }
            throw ConfigurationError(message: "\(file):1:1: cannot read the file: it is \(problem)")
        }
        // Read only now that it is known to be a regular file: a FIFO would block the read.
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ConfigurationError(message: "\(file):1:1: cannot read the file")
        }
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.prefix(4).contains(0) {
            throw ConfigurationError(message: "\(file):1:1: the file is UTF-16 or UTF-32: save it as UTF-8")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            let (line, column) = firstInvalidUTF8(bytes)
            throw ConfigurationError(message: "\(file):\(line):\(column): the file is not valid UTF-8 here")
        }
        var decoder = TOMLDecoder()
        decoder.userInfo = [ConfigFileCheck.directoryKey: directory, ConfigFileCheck.environmentKey: environment]
        do {
            return try decoder.decode(type, from: text, file: file)
        } catch let error as TOMLError {
            throw ConfigurationError(message: error.description)
        }
    }

    /// What the catalog says each feed (by title) is about, for the matcher; empty when
    /// there is no catalog.
    func feedTopics() throws -> [String: [String]] {
        guard !catalogFiles.isEmpty else { return [:] }
        let feeds = try loadCatalog().filter { !$0.about.isEmpty }
        return Dictionary(feeds.map { ($0.title, $0.about) }, uniquingKeysWith: { first, _ in first })
    }

    /// The line and column (in characters) of the first byte that is not UTF-8.
    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        var index = 0
        while index < bytes.count {
            let valid = (1...4).contains { length in
                index + length <= bytes.count && String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil
            }
            if !valid { break }
            if bytes[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            index += 1
            while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
        }
        let column = String(decoding: bytes[lineStart..<index], as: UTF8.self).count + 1
        return (line, column)
    }

    /// The feeds of every catalog file, without repeats (the first mention wins). With
    /// `problems`, a file that cannot be read is collected and the others are read.
    func loadCatalog(collecting problems: ConfigurationProblems? = nil) throws -> [FeedSource] {
        guard !catalogFiles.isEmpty else {
            throw ConfigurationError(message: "config: no feed catalog: set 'feeds' in \(settingsFile), "
                + "put OPML files in \(directory)/feeds, or pass --feeds FILE.opml")
        }
        var seen = Set<String>()
        var feeds: [FeedSource] = []
        for file in catalogFiles {
            do {
                if let problem = ConfigFileCheck.problem(reading: file) {  // a FIFO would block the read
                    throw ConfigurationError(message: "catalog: \(file): cannot read the file: it is \(problem)")
                }
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ConfigurationError(message: "catalog: \(file): cannot read the file")
                }
                do {
                    for feed in try OPMLReader().read([UInt8](data), file: file) where seen.insert(feed.url).inserted {
                        feeds.append(feed)
                    }
                } catch {
                    throw ConfigurationError(message: "catalog: \(error)")
                }
            } catch let error as ConfigurationError {
                guard let problems else { throw error }
                problems.errors.append(error)
            }
        }
        return feeds
    }
}

/// The errors `config check` collects, one per file at most, instead of stopping at the first.
final class ConfigurationProblems {
    var errors: [ConfigurationError] = []
}

/// File-system paths, the few operations the configuration needs.
enum Paths {
    static func isDirectory(_ path: String) -> Bool {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return attributes?[.type] as? FileAttributeType == .typeDirectory
    }

    static func expandingTilde(_ path: String, _ environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = environment["HOME"] else { return path }
        return home + path.dropFirst()
    }

    static func resolve(_ path: String, relativeTo directory: String) -> String {
        path.hasPrefix("/") ? path : directory + "/" + path
    }

    /// `$XDG_DATA_HOME/bulletin/bulletin.sqlite3`, else `~/.local/share/bulletin/bulletin.sqlite3`.
    static func defaultDatabase(_ environment: [String: String]) -> String {
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? ".") + "/.local/share"
        return data + "/bulletin/bulletin.sqlite3"
    }

    /// The files in `directory` whose names end in `.ext`, sorted; none when it is missing.
    static func files(in directory: String, withExtension ext: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix("." + ext) }.sorted().map { directory + "/" + $0 }
    }
}
