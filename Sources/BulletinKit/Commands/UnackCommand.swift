/// `bulletin unack ACK`: bring back what an ack hid.
enum UnackCommand {
    static let spec = CommandSpec(
        name: "unack",
        abstract: "Remove an ack: its bulletins show in digests again.",
        arguments: [.init(name: "ack", help: "The ack's number, as 'bulletin ack' and 'bulletin acks' print it.")],
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        guard let id = Int64(invocation.arguments[0]) else {
            throw UsageError(message: "'\(invocation.arguments[0])' is not an ack number", path: [BulletinMain.root, spec])
        }
        let configuration = try Configuration.load(invocation.global)
        let store = try Pipeline(configuration: configuration, console: invocation.console).openStore()
        guard try store.removeAck(id: id) else {
            throw RuntimeError(message: "unack: no ack \(id) (see 'bulletin acks --all')")
        }
        invocation.console.print("ack \(id) removed")
        return .success
    }
}
