import TOML
/// An error the command line reports and maps to an exit code.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    /// The command (from the root) whose usage line follows the message.
    let path: [CommandSpec]
    var description: String { message }
}

/// A configuration error: the message already names the file (and line:column).
struct ConfigurationError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }

    /// `message` on one line: control characters from the input are escaped.
    init(message: String) {
        self.message = MessageText.escaped(message)
    }
}

/// A command that could not do its work: exit 1, with the message as the reason.
struct RuntimeError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
