@testable import Hit
import Testing

/// Snappy's block format with literals only, held against the format's description: a varint of
/// the length, then literal elements whose tag's low bits are 00 and whose length-1 sits in the
/// tag's upper six bits (under 60) or in the 1 or 2 bytes after a tag of 60 or 61.
@Suite struct SnappyBlockTests {
    /// A decoder of the literal elements the format defines (copies are not written here).
    static func decode(_ block: [UInt8]) -> [UInt8]? {
        var position = 0
        var length = 0, shift = 0
        while position < block.count {
            let byte = block[position]
            position += 1
            length |= Int(byte & 0x7F) << shift
            shift += 7
            if byte < 0x80 { break }
        }
        var output: [UInt8] = []
        while position < block.count {
            let tag = block[position]
            position += 1
            guard tag & 3 == 0 else { return nil }
            var literal = Int(tag >> 2)
            if literal >= 60 {
                let extra = literal - 59
                literal = 0
                for index in 0..<extra { literal |= Int(block[position + index]) << (8 * index) }
                position += extra
            }
            literal += 1
            guard position + literal <= block.count else { return nil }
            output += block[position..<(position + literal)]
            position += literal
        }
        return output.count == length ? output : nil
    }

    @Test func theHeaderAndTagsFollowTheFormat() {
        #expect(SnappyBlock.encode([]) == [0])
        #expect(SnappyBlock.encode([7]) == [1, 0, 7])
        // 60 bytes: length-1 = 59 fits the tag.
        #expect(Array(SnappyBlock.encode([UInt8](repeating: 1, count: 60)).prefix(2)) == [60, 59 << 2])
        // 61 bytes: tag 60, one byte of length-1.
        #expect(Array(SnappyBlock.encode([UInt8](repeating: 1, count: 61)).prefix(3)) == [61, 60 << 2, 60])
        // 300 bytes: a two-byte varint, tag 61, two bytes of length-1 (299), little-endian.
        #expect(Array(SnappyBlock.encode([UInt8](repeating: 1, count: 300)).prefix(5)) == [0xAC, 0x02, 61 << 2, 0x2B, 0x01])
    }

    @Test(arguments: [0, 1, 59, 60, 61, 255, 256, 257, 65_535, 65_536, 65_537, 200_000])
    func everyLengthReadsBack(count: Int) {
        let input = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let block = SnappyBlock.encode(input)
        #expect(Self.decode(block) == input)
        // Literals cost at most 3 bytes a 64 KiB, and the length's varint.
        #expect(block.count <= count + 3 * (count / SnappyBlock.maximumLiteral + 1) + 5)
    }
}
