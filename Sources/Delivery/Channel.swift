/// Somewhere a digest goes. A channel reports acceptance by returning; entries are
/// marked delivered on it only then.
public protocol Channel {
    /// The name deliveries are recorded under.
    var name: String { get }
    /// Hands the rendered digest over; throws when the channel did not accept it.
    func deliver(_ rendered: String) throws
}

/// Why a channel did not accept a digest.
public struct DeliveryError: Error, CustomStringConvertible, Sendable {
    public let channel: String
    public let reason: String

    public init(channel: String, reason: String) {
        self.channel = channel
        self.reason = reason
    }

    public var description: String { "deliver: \(channel): \(reason)" }
}
