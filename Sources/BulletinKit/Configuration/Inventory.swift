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

    enum CodingKeys: String, CodingKey { case name, aliases, exclude, owner, version, impact, likelihood }

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
        service = Service(
            name: try nonEmpty(container.decode(String.self, forKey: .name), .name, container),
            aliases: try phrases(.aliases), exclude: try phrases(.exclude),
            owner: try container.decodeIfPresent(String.self, forKey: .owner),
            version: try container.decodeIfPresent(String.self, forKey: .version),
            impact: try level(.impact), likelihood: try level(.likelihood))
    }
}
