/// `bulletin completions bash|zsh|fish`: the completion script for a shell, made from the
/// command specifications.
enum CompletionsCommand {
    static let spec = CommandSpec(
        name: "completions",
        abstract: "Print the shell completion script for bash, zsh or fish.",
        discussion: """
            For example: bulletin completions bash > /etc/bash_completion.d/bulletin, or \
            bulletin completions fish > ~/.config/fish/completions/bulletin.fish.
            """,
        arguments: [.init(name: "shell", help: "bash, zsh or fish.")],
        run: run)

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let shell = invocation.arguments[0]
        guard let script = Completions.script(for: shell, root: BulletinMain.root) else {
            throw UsageError(message: "No completions for '\(shell)'; use one of: \(Completions.shells.joined(separator: ", "))",
                             path: [BulletinMain.root, spec])
        }
        invocation.console.print(script)
        return .success
    }
}
