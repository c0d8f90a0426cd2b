import Models

/// `inventory.toml`: the services the team runs, as `[[service]]` tables.
struct Inventory: Decodable, Sendable {
    var services: [Service] = []

    init() {}

    enum CodingKeys: String, CodingKey { case service }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        services = try container.decodeIfPresent([ServiceEntry].self, forKey: .service)?.map(\.service) ?? []
        var names = Set<String>()
        for (index, service) in services.enumerated() where !names.insert(service.name.lowercased()).inserted {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [CodingKeys.service, IndexKey(index), ServiceEntry.CodingKeys.name],
                debugDescription: "a service named '\(service.name)' is already defined"))
        }
    }
}

/// One `[[service]]` table.
private struct ServiceEntry: Decodable {
    var service: Service

    enum CodingKeys: String, CodingKey {
        case name, aliases, exclude, owner, version, tags, category, impact, likelihood
        case builtinAliases = "builtin_aliases"
        case matchName = "match_name"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func phrases(_ key: CodingKeys) throws -> [String] {
            let values = try container.decodeIfPresent([String].self, forKey: key) ?? []
            if let empty = values.firstIndex(where: { $0.allSatisfy(\.isWhitespace) }) {
                throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath + [key, IndexKey(empty)],
                    debugDescription: "'\(key.stringValue)[\(empty)]' must not be empty"))
            }
            return values
        }
        func level(_ key: CodingKeys) throws -> Int {
            try container.decodeIfPresent(Int.self, forKey: key).map { try checked($0, 1...5, key, container) } ?? 3
        }
        let categoryName = try container.decodeIfPresent(String.self, forKey: .category) ?? "both"
        guard let category = CategoryFilter(rawValue: categoryName) else {
            throw DecodingError.dataCorruptedError(forKey: .category, in: container, debugDescription:
                "'category' must be one of: \(CategoryFilter.allCases.map(\.rawValue).joined(separator: ", ")); "
                + "found '\(categoryName)'")
        }
        service = Service(
            name: try nonEmpty(container.decode(String.self, forKey: .name), .name, container),
            aliases: try container.decodeIfPresent([AliasEntry].self, forKey: .aliases)?.map(\.alias) ?? [],
            exclude: try phrases(.exclude),
            owner: try container.decodeIfPresent(String.self, forKey: .owner).map { try nonEmpty($0, .owner, container) },
            version: try container.decodeIfPresent(String.self, forKey: .version),
            tags: try phrases(.tags), category: category,
            builtinAliases: try container.decodeIfPresent(Bool.self, forKey: .builtinAliases) ?? true,
            matchName: try container.decodeIfPresent(Bool.self, forKey: .matchName) ?? true,
            impact: try level(.impact), likelihood: try level(.likelihood))
    }
}

/// One alias: a string (matched as words), or `{ text = "…", match = "word|prefix|regex" }`.
private struct AliasEntry: Decodable {
    var alias: Alias

    enum CodingKeys: String, CodingKey { case text, match }

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard !text.allSatisfy(\.isWhitespace) else { throw Self.empty(decoder.codingPath) }
            if let problem = Self.problem(text) { throw Self.invalid(decoder.codingPath, problem) }
            alias = Alias(text)
            return
        }
        let text = try container.decode(String.self, forKey: .text)
        let modeName = try container.decodeIfPresent(String.self, forKey: .match) ?? MatchMode.word.rawValue
        guard let mode = MatchMode(rawValue: modeName) else {
            throw DecodingError.dataCorruptedError(forKey: .match, in: container, debugDescription:
                "'match' must be one of: \(MatchMode.allCases.map(\.rawValue).joined(separator: ", ")); found '\(modeName)'")
        }
        guard !text.allSatisfy(\.isWhitespace) else { throw Self.empty(decoder.codingPath + [CodingKeys.text]) }
        if mode == .regex {
            if let problem = RegexAliasCheck.problem(text) {
                throw DecodingError.dataCorruptedError(forKey: .text, in: container, debugDescription: problem)
            }
        } else if let problem = Self.problem(text) {
            throw Self.invalid(decoder.codingPath + [CodingKeys.text], problem)
        }
        alias = Alias(text, match: mode)
    }

    /// Why a word or prefix alias can never name a service, or nil.
    private static func problem(_ text: String) -> String? {
        if !text.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil }) {
            return "holds no letter or digit, so it can match nothing a bulletin says"
        }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            return "must not hold a control character"
        }
        return nil
    }

    private static func invalid(_ path: [any CodingKey], _ problem: String) -> DecodingError {
        let index = path.last(where: { $0.intValue != nil })?.intValue ?? 0
        return DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "'aliases[\(index)]' \(problem)"))
    }

    private static func empty(_ path: [any CodingKey]) -> DecodingError {
        let index = path.last(where: { $0.intValue != nil })?.intValue ?? 0
        return DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "'aliases[\(index)]' must not be empty"))
    }
}
