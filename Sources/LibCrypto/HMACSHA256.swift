internal import CCrypto

/// SHA-256 and HMAC-SHA256 (RFC 2104) through OpenSSL's libcrypto, for signing webhook
/// bodies and naming MIME boundaries. Both are one-shot calls: no libcrypto object outlives
/// them.
public enum HMACSHA256 {
    /// The SHA-256 digest of `message`: 32 bytes.
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var size: UInt32 = 0
        let status = message.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &size, EVP_sha256(), nil)
            }
        }
        // libcrypto fails here only when it cannot allocate: nothing a caller could do.
        guard status == 1 else { preconditionFailure("sha-256: libcrypto failed: \(lastError())") }
        return Array(digest.prefix(Int(size)))
    }

    /// HMAC-SHA256 of `message` under `key`: 32 bytes.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var size = 0
        let result = key.withUnsafeBytes { key in
            message.withUnsafeBufferPointer { data in
                mac.withUnsafeMutableBufferPointer { output in
                    // An empty key's base address may be nil; libcrypto wants a pointer.
                    withUnsafePointer(to: UInt8(0)) { empty in
                        EVP_Q_mac(nil, "HMAC", nil, "SHA256", nil, key.baseAddress ?? UnsafeRawPointer(empty), key.count,
                                  data.baseAddress ?? empty, data.count, output.baseAddress, output.count, &size)
                    }
                }
            }
        }
        guard result != nil else { preconditionFailure("hmac-sha256: libcrypto failed: \(lastError())") }
        return Array(mac.prefix(size))
    }

    /// `bytes` as lower-case hexadecimal.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// libcrypto's description of the last error on this thread.
    private static func lastError() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(ERR_get_error(), &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
