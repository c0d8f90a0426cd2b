/// A service the team runs, from the inventory: the words that name it in a bulletin,
/// who owns it, and its place in the security pillar's risk matrix.
public struct Service: Sendable, Hashable {
    public var name: String
    /// Words and phrases that name the service; the name itself always counts.
    public var aliases: [String]
    /// Phrases that veto a match (`nginx-ui` for `nginx`).
    public var exclude: [String]
    public var owner: String?
    public var version: String?
    /// 1…5: what a compromise would cost.
    public var impact: Int
    /// 1…5: how exposed the service is.
    public var likelihood: Int

    public init(name: String, aliases: [String] = [], exclude: [String] = [], owner: String? = nil,
                version: String? = nil, impact: Int = 3, likelihood: Int = 3) {
        self.name = name
        self.aliases = aliases
        self.exclude = exclude
        self.owner = owner
        self.version = version
        self.impact = impact
        self.likelihood = likelihood
    }

    /// impact × likelihood, 1…25.
    public var risk: Int { impact * likelihood }

    /// Every phrase that names the service: its name, then its aliases, without repeats.
    public var phrases: [String] {
        var seen = Set<String>()
        return ([name] + aliases).filter { seen.insert($0.lowercased()).inserted }
    }
}
