#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered text output to a file descriptor (standard output or error), written in
/// full or not at all, so output for people and diagnostics never interleave oddly.
public struct FileDescriptorOutput: Sendable {
    public let descriptor: Int32

    public static let standardOutput = FileDescriptorOutput(descriptor: STDOUT_FILENO)
    public static let standardError = FileDescriptorOutput(descriptor: STDERR_FILENO)

    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// True when the descriptor is a terminal (colour and progress only then).
    public var isTerminal: Bool { isatty(descriptor) == 1 }

    /// Writes all of `text`; throws with the system's reason when it cannot.
    public func write(_ text: String) throws(DeliveryError) {
        try write(bytes: Array(text.utf8))
    }

    /// Writes all of `bytes`, as they are.
    public func write(bytes: [UInt8]) throws(DeliveryError) {
        // (`withUnsafeBytes` rethrows untyped errors: the failure is carried out instead.)
        let written = bytes.withUnsafeBytes { bytes in Result { () throws(DeliveryError) in try write(bytes: bytes) } }
        try written.get()
    }

    /// Writes all of `bytes`, as they are, from where they lie.
    public func write(bytes: UnsafeRawBufferPointer) throws(DeliveryError) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                throw DeliveryError(channel: "file descriptor \(descriptor)",
                                    reason: "cannot write: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
}
