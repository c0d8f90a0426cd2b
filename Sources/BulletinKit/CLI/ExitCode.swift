/// The exit codes, the same for every command.
public enum ExitCode: Int32, Sendable {
    /// Success.
    case success = 0
    /// A fatal runtime error, with a one-line reason.
    case failure = 1
    /// A usage or configuration error (with file:line:column where there is one).
    case usage = 2
    /// Finished, but some sources failed (each named on stderr), or a prune could not merge the index.
    case partial = 3
}
