/// The random values of one request's template: `SplitMix64` seeded from the run's seed and the
/// request's index, so that a value depends on nothing else (not on the worker, the loop, the
/// order of sending or the shard that sends it).
struct TemplateRandom {
    private var generator: SplitMix64

    init(seed: UInt64, index: Int) {
        generator = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
    }

    mutating func next() -> UInt64 {
        generator.next()
    }

    /// A whole number in `range`, each equally likely (rejection of the biased remainder).
    mutating func next(in range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(bitPattern: range.upperBound &- range.lowerBound) &+ 1
        guard span != 0 else { return Int64(bitPattern: next()) }  // the whole of Int64
        let limit = UInt64.max - UInt64.max % span
        var value = next()
        while value >= limit { value = next() }
        return range.lowerBound &+ Int64(bitPattern: value % span)
    }

    /// A version-4 UUID (RFC 9562), lower-case.
    mutating func uuid() -> String {
        var bytes = withUnsafeBytes(of: next().bigEndian) { Array($0) } + withUnsafeBytes(of: next().bigEndian) { Array($0) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
    }
}
