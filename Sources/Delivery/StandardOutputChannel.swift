/// Prints the digest on standard output (the cron job's mail, or a terminal).
public struct StandardOutputChannel: Channel, Sendable {
    public let name: String
    private let output: FileDescriptorOutput

    public init(name: String = "stdout", output: FileDescriptorOutput = .standardOutput) {
        self.name = name
        self.output = output
    }

    public func deliver(_ message: DigestMessage) throws(DeliveryError) -> DeliveryReceipt {
        do {
            try output.write(message.body.hasSuffix("\n") ? message.body : message.body + "\n")
        } catch {
            throw DeliveryError(channel: name, reason: error.reason)
        }
        return DeliveryReceipt(detail: "written")
    }
}
