import FoundationEssentials
import Fetching
import Models
import Parsing

/// The catalog files as `feeds add|remove|import` edit them: `add` and `import` write
/// the first file (the `--feeds` file when given), `remove` every file listing the feed.
struct Catalog {
    let files: [String]
    /// Every feed of every file, the first mention winning (as `loadCatalog` reads them).
    let feeds: [FeedSource]
    /// The file new feeds go to.
    var target: String { files[0] }

    init(_ global: GlobalOptions) throws {
        let configuration = try Configuration.load(global)
        files = configuration.catalogFiles
        guard let first = files.first else {
            _ = try configuration.loadCatalog()  // throws the "no feed catalog" error
            throw ConfigurationError(message: "config: no feed catalog")
        }
        // A --feeds file that does not exist yet is created by the first edit.
        if files.count == 1, !FileManager.default.fileExists(atPath: first) {
            feeds = []
        } else {
            feeds = try configuration.loadCatalog()
        }
    }

    /// Appends `feeds` to the target file, creating it when missing.
    func append(_ new: [FeedSource]) throws {
        guard let data = FileManager.default.contents(atPath: target) else {
            try write(OPMLWriter.document(title: "Bulletin feeds", feeds: new), to: target)
            return
        }
        do {
            try write(OPMLWriter.appending(new, to: [UInt8](data), file: target), to: target)
        } catch let error as ParseError {
            throw ConfigurationError(message: "catalog: \(error)")
        }
    }

    /// Removes `feed` from every file listing it; returns the files changed.
    func remove(_ feed: FeedSource) throws -> [String] {
        let url = FeedURL.normalized(feed.url)
        var changed: [String] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            do {
                let edit = try OPMLWriter.removing(where: { FeedURL.normalized($0) == url }, from: [UInt8](data), file: file)
                guard edit.removed > 0 else { continue }
                try write(edit.document, to: file)
                changed.append(file)
            } catch let error as ParseError {
                throw ConfigurationError(message: "catalog: \(error)")
            }
        }
        return changed
    }

    /// Replaces `file` at once (a new file renamed over it), so a reader never sees half.
    private func write(_ bytes: [UInt8], to file: String) throws {
        do {
            try Data(bytes).write(to: URL(filePath: file), options: .atomic)
        } catch {
            throw RuntimeError(message: "catalog: \(file): cannot write: \(error)")
        }
    }
}

/// Feeds as the commands name them: by title (any case) or by URL.
extension [FeedSource] {
    /// The feed whose title (any case) or URL (normalized) is `name`.
    func feed(named name: String) -> FeedSource? {
        feed(titled: name) ?? first { FeedURL.normalized($0.url) == FeedURL.normalized(name) }
    }

    /// The feed whose title is `title`, in any case.
    func feed(titled title: String) -> FeedSource? {
        first { $0.title.lowercased() == title.lowercased() }
    }

    /// The feed named `name`, or an error for `command` saying there is none.
    func feed(named name: String, for command: String) throws -> FeedSource {
        guard let feed = feed(named: name) else {
            throw ConfigurationError(message: "\(command): no feed named '\(name)' in the catalog "
                + "(see 'bulletin feeds list')")
        }
        return feed
    }

    /// The feeds named `names`; all of them when none is named.
    func selecting(_ names: [String], for command: String) throws -> [FeedSource] {
        names.isEmpty ? self : try names.map { try feed(named: $0, for: command) }
    }
}
