/// Snappy's block format, as Prometheus remote write wants its bodies, written with literals only:
/// the uncompressed length as a varint, then the bytes in literal elements of at most 64 KiB,
/// each after a tag that holds its length. Every snappy decoder reads it; nothing is compressed,
/// which costs a push a few bytes more than its protobuf and no library.
enum SnappyBlock {
    /// The longest literal one element holds here (the format allows 2³²).
    static let maximumLiteral = 65_536

    static func encode(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count + input.count / maximumLiteral * 3 + 8)
        var length = UInt64(input.count)
        while length >= 0x80 {
            output.append(UInt8(length & 0x7F) | 0x80)
            length >>= 7
        }
        output.append(UInt8(length))
        var start = 0
        while start < input.count {
            let count = min(maximumLiteral, input.count - start)
            let stored = count - 1
            if stored < 60 {
                output.append(UInt8(stored) << 2)
            } else if stored < 0x100 {
                output.append(60 << 2)
                output.append(UInt8(stored))
            } else {
                // A 2-byte length, little-endian: enough for 64 KiB.
                output.append(61 << 2)
                output.append(UInt8(stored & 0xFF))
                output.append(UInt8(stored >> 8))
            }
            output.append(contentsOf: input[start..<(start + count)])
            start += count
        }
        return output
    }
}
