/// The constants of RFC 1951 (DEFLATE) that the compressor and the decompressor share.
enum DeflateTables {
    /// The shortest length of length codes 257…285, and how many extra bits follow each.
    static let lengthBase: [UInt16] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                                       67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
                                       4, 4, 4, 4, 5, 5, 5, 5, 0]
    /// The shortest distance of distance codes 0…29, and how many extra bits follow each.
    static let distanceBase: [UInt16] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
                                         1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [UInt8] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8,
                                         9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// The extra bits after code-length symbol 16 (repeat the last 3–6 times), 17 (3–10
    /// zeros) and 18 (11–138 zeros); none after a length (0–15).
    static func codeLengthExtra(_ symbol: Int) -> Int {
        switch symbol {
        case 16: 2
        case 17: 3
        case 18: 7
        default: 0
        }
    }
    /// The order in which a dynamic block's header gives the code-length code's lengths.
    static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Length − 3 (0…255) → the index of its length code (0 is code 257). 258 has its own code, 285.
    static let lengthIndex: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for index in 0..<28 {
            let base = Int(lengthBase[index])
            for length in base..<base + (1 << Int(lengthExtra[index])) where length <= 257 {
                table[length - 3] = UInt8(index)
            }
        }
        table[255] = 28
        return table
    }()

    /// Distance − 1 → its distance code: entry d for d < 256, else entry 256 + d >> 7
    /// (from code 16 on, every code covers whole multiples of 128).
    static let distanceIndex: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 512)
        for index in 0..<30 {
            let base = Int(distanceBase[index])
            for distance in base..<base + (1 << Int(distanceExtra[index])) {
                let d = distance - 1
                if d < 256 { table[d] = UInt8(index) } else { table[256 + d >> 7] = UInt8(index) }
            }
        }
        return table
    }()

    /// The code lengths of the fixed Huffman code (block type 1).
    static let fixedLiteralLengths: [UInt8] = (0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 }
    static let fixedDistanceLengths = [UInt8](repeating: 5, count: 32)
}
