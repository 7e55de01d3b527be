import CZlib
import FoundationEssentials

/// HdrHistogram's V2 encoding, compressed: the form in which HdrHistogram's Java, C, Go, Rust and
/// Python libraries exchange histograms (usually in base64, starting `HISTFAAA`), and the form of
/// each line of an interval log (`.hlog`).
///
/// The compressed form is a cookie, a length and zlib's deflate of the plain form: a 40-byte
/// header (cookie, payload length, normalizing index offset, significant digits, lowest
/// discernible value, highest trackable value, integer-to-double ratio; big-endian) and a payload
/// of counts by bucket index, each a zig-zag LEB128 number, a run of empty buckets written as one
/// negative number.
///
/// Counts are kept by value here, not by index: each bucket as the lowest value it holds, which
/// any HdrHistogram with the same layout records into the same bucket.
public struct HdrHistogramV2: Sendable, Equatable {
    /// The smallest value told apart from 0 (hit's: 1 µs).
    public var lowestDiscernibleValue: UInt64
    public var highestTrackableValue: UInt64
    /// 0 to 5 (hit's: 3).
    public var significantDigits: Int
    /// Each non-empty bucket: its lowest value and its count, in increasing order of value.
    public var counts: [Bucket]

    public struct Bucket: Sendable, Equatable {
        public var value: UInt64
        public var count: UInt64

        public init(value: UInt64, count: UInt64) {
            self.value = value
            self.count = count
        }
    }

    /// Why bytes are not a histogram this codec reads.
    public struct DecodingError: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    public init(lowestDiscernibleValue: UInt64 = 1, highestTrackableValue: UInt64, significantDigits: Int = 3, counts: [Bucket]) {
        self.lowestDiscernibleValue = lowestDiscernibleValue
        self.highestTrackableValue = highestTrackableValue
        self.significantDigits = significantDigits
        self.counts = counts
    }

    static let plainCookie: UInt32 = 0x1C84_9303 | 0x10
    static let compressedCookie: UInt32 = 0x1C84_9304 | 0x10
    static let headerSize = 40

    // MARK: Encoding

    /// The compressed encoding.
    public func encoded() -> [UInt8] {
        let plain = plainEncoding()
        var compressedSize = compressBound(uLong(plain.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedSize))
        let status = compressed.withUnsafeMutableBufferPointer { out in
            plain.withUnsafeBufferPointer { compress2(out.baseAddress, &compressedSize, $0.baseAddress, uLong(plain.count), Z_DEFAULT_COMPRESSION) }
        }
        // compress2 fails only without memory or with a buffer smaller than compressBound's.
        precondition(status == Z_OK, "zlib's compress2 failed (\(status))")
        var out: [UInt8] = []
        out.reserveCapacity(8 + Int(compressedSize))
        Self.append(Self.compressedCookie, to: &out)
        Self.append(UInt32(compressedSize), to: &out)
        out += compressed.prefix(Int(compressedSize))
        return out
    }

    /// The compressed encoding in base64, as logs and JSON carry it.
    public func base64Encoded() -> String {
        Data(encoded()).base64EncodedString()
    }

    /// The plain (uncompressed) V2 encoding.
    func plainEncoding() -> [UInt8] {
        let layout = Layout(lowest: lowestDiscernibleValue, digits: significantDigits)
        var payload: [UInt8] = []
        var nextIndex = 0
        for bucket in counts where bucket.count > 0 {
            let index = layout.index(of: bucket.value)
            guard index >= nextIndex else { continue }  // out of order: the encoding cannot say it
            let gap = index - nextIndex
            if gap > 0 { Self.appendVarint(gap == 1 ? 0 : -Int64(gap), to: &payload) }
            Self.appendVarint(Int64(clamping: bucket.count), to: &payload)
            nextIndex = index + 1
        }
        var out: [UInt8] = []
        out.reserveCapacity(Self.headerSize + payload.count)
        Self.append(Self.plainCookie, to: &out)
        Self.append(UInt32(payload.count), to: &out)
        Self.append(UInt32(0), to: &out)  // normalizing index offset
        Self.append(UInt32(significantDigits), to: &out)
        Self.append(lowestDiscernibleValue, to: &out)
        Self.append(highestTrackableValue, to: &out)
        Self.append((1.0 as Double).bitPattern, to: &out)  // integer-to-double conversion ratio
        return out + payload
    }

    // MARK: Decoding

    /// Reads a compressed (or plain) V2 encoding.
    public init(encoded bytes: some Collection<UInt8>) throws(DecodingError) {
        let bytes = Array(bytes)
        guard bytes.count >= 8 else { throw DecodingError(description: "too short for an HdrHistogram encoding (\(bytes.count) bytes)") }
        let cookie = Self.uint32(bytes, at: 0)
        switch cookie & ~0xF0 {
        case Self.compressedCookie & ~0xF0:
            let length = Int(Self.uint32(bytes, at: 4))
            guard length <= bytes.count - 8 else { throw DecodingError(description: "the compressed length says \(length) bytes, but \(bytes.count - 8) follow") }
            try self.init(plain: Self.inflate(Array(bytes[8..<(8 + length)])))
        case Self.plainCookie & ~0xF0:
            try self.init(plain: bytes)
        default:
            let hex = String(cookie, radix: 16)
            throw DecodingError(description: "cookie 0x\(hex) is not HdrHistogram's V2 encoding (0x1c849303 or 0x1c849304, with a word size)")
        }
    }

    /// Reads the base64 of a compressed encoding (a line of an interval log, a JSON field).
    public init(base64 text: some StringProtocol) throws(DecodingError) {
        guard let bytes = Data(base64Encoded: String(text)) else { throw DecodingError(description: "not base64") }
        try self.init(encoded: bytes)
    }

    private init(plain bytes: [UInt8]) throws(DecodingError) {
        guard bytes.count >= Self.headerSize, Self.uint32(bytes, at: 0) & ~0xF0 == Self.plainCookie & ~0xF0 else {
            throw DecodingError(description: "not a V2 encoding inside the compressed one")
        }
        let payloadLength = Int(Self.uint32(bytes, at: 4))
        guard payloadLength <= bytes.count - Self.headerSize else {
            throw DecodingError(description: "the payload length says \(payloadLength) bytes, but \(bytes.count - Self.headerSize) follow")
        }
        guard Self.uint32(bytes, at: 8) == 0 else { throw DecodingError(description: "a normalizing index offset is not supported") }
        let digits = Int(Self.uint32(bytes, at: 12))
        let lowest = Self.uint64(bytes, at: 16), highest = Self.uint64(bytes, at: 24)
        guard (0...5).contains(digits), lowest >= 1, highest / 2 >= lowest, highest <= UInt64(Int64.max) else {
            throw DecodingError(description: "impossible histogram parameters: \(digits) digits, values \(lowest) to \(highest)")
        }
        // HdrHistogram's own limit: the lowest value's magnitude and the sub-buckets' fit in 61 bits.
        guard Layout.fits(lowest: lowest, digits: digits) else {
            throw DecodingError(description: "impossible histogram parameters: a lowest discernible value of \(lowest) "
                + "with \(digits) digits is beyond HdrHistogram's 61 bits")
        }
        let layout = Layout(lowest: lowest, digits: digits)
        let indexLimit = layout.index(of: highest) + 1
        var buckets: [Bucket] = []
        var index = 0, position = Self.headerSize
        let end = Self.headerSize + payloadLength
        while position < end {
            guard let number = Self.readVarint(bytes, at: &position, end: end) else {
                throw DecodingError(description: "a count is cut off at byte \(position)")
            }
            if number < 0 {
                guard number > Int64.min, -number <= Int64(indexLimit) else { throw DecodingError(description: "a run of empty buckets runs past the histogram") }
                index += Int(-number)
                guard index <= indexLimit else { throw DecodingError(description: "a run of empty buckets runs past the histogram") }
                continue
            }
            guard index < indexLimit else { throw DecodingError(description: "a count lies beyond the highest trackable value") }
            if number > 0 { buckets.append(Bucket(value: layout.value(at: index), count: UInt64(number))) }
            index += 1
        }
        self.init(lowestDiscernibleValue: lowest, highestTrackableValue: highest, significantDigits: digits, counts: buckets)
    }

    private static func inflate(_ compressed: [UInt8]) throws(DecodingError) -> [UInt8] {
        // The plain form is at most 40 bytes and 9 per bucket; a histogram of hit's has fewer than
        // 30,000 buckets. Grow the buffer until it fits, to a bound.
        var capacity = max(4096, compressed.count * 8)
        while capacity <= 64 << 20 {
            var size = uLongf(capacity)
            var out = [UInt8](repeating: 0, count: capacity)
            let status = out.withUnsafeMutableBufferPointer { buffer in
                compressed.withUnsafeBufferPointer { uncompress(buffer.baseAddress, &size, $0.baseAddress, uLong(compressed.count)) }
            }
            switch status {
            case Z_OK: return Array(out.prefix(Int(size)))
            case Z_BUF_ERROR: capacity *= 4
            default: throw DecodingError(description: "the compressed contents are not zlib's deflate (zlib status \(status))")
            }
        }
        throw DecodingError(description: "the histogram inflates beyond 64 MiB")
    }

    // MARK: Bytes

    private static func append(_ value: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    private static func append(_ value: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private static func uint32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func uint64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        bytes[offset..<(offset + 8)].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// HdrHistogram's zig-zag LEB128: seven bits a byte, low bits first, for at most eight bytes;
    /// a ninth byte carries the last eight bits whole.
    static func appendVarint(_ value: Int64, to out: inout [UInt8]) {
        var rest = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        for _ in 0..<8 {
            if rest < 0x80 {
                out.append(UInt8(rest))
                return
            }
            out.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(truncatingIfNeeded: rest))
    }

    static func readVarint(_ bytes: [UInt8], at position: inout Int, end: Int) -> Int64? {
        var zigzag: UInt64 = 0
        for byteIndex in 0..<9 {
            guard position < end else { return nil }
            let byte = bytes[position]
            position += 1
            if byteIndex == 8 {
                zigzag |= UInt64(byte) << 56
                break
            }
            zigzag |= UInt64(byte & 0x7F) << (7 * UInt64(byteIndex))
            if byte & 0x80 == 0 { break }
        }
        return Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
    }

    /// HdrHistogram's bucket layout: which index holds a value, and the lowest value at an index.
    struct Layout {
        let unitMagnitude: Int
        let subBucketHalfCountMagnitude: Int
        let subBucketHalfCount: Int
        let subBucketMask: UInt64
        let leadingZeroCountBase: Int

        /// Whether HdrHistogram accepts `lowest` with `digits` (0 to 5): its constructors refuse a
        /// unit magnitude and sub-bucket half-count magnitude above 61 bits together, and so does
        /// this layout, whose shifts would overflow beyond.
        static func fits(lowest: UInt64, digits: Int) -> Bool {
            guard lowest >= 1, (0...5).contains(digits) else { return false }
            return 63 - lowest.leadingZeroBitCount + halfCountMagnitude(digits: digits) <= 61
        }

        private static func halfCountMagnitude(digits: Int) -> Int {
            var largestSingleUnitValue: UInt64 = 2
            for _ in 0..<digits { largestSingleUnitValue *= 10 }
            return max(Double(largestSingleUnitValue).log2Ceiling, 1) - 1
        }

        init(lowest: UInt64, digits: Int) {
            unitMagnitude = 63 - lowest.leadingZeroBitCount
            subBucketHalfCountMagnitude = Self.halfCountMagnitude(digits: digits)
            subBucketHalfCount = 1 << subBucketHalfCountMagnitude
            subBucketMask = UInt64((1 << (subBucketHalfCountMagnitude + 1)) - 1) << UInt64(unitMagnitude)
            leadingZeroCountBase = 64 - unitMagnitude - subBucketHalfCountMagnitude - 1
        }

        func index(of value: UInt64) -> Int {
            let bucket = leadingZeroCountBase - (value | subBucketMask).leadingZeroBitCount
            let subBucket = Int(value >> UInt64(bucket + unitMagnitude))
            return ((bucket + 1) << subBucketHalfCountMagnitude) + (subBucket - subBucketHalfCount)
        }

        /// The highest value that falls in the same bucket as `value`.
        func highestEquivalent(of value: UInt64) -> UInt64 {
            self.value(at: index(of: value) + 1) &- 1
        }

        func value(at index: Int) -> UInt64 {
            var bucket = (index >> subBucketHalfCountMagnitude) - 1
            var subBucket = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
            if bucket < 0 {
                subBucket -= subBucketHalfCount
                bucket = 0
            }
            return UInt64(subBucket) << UInt64(bucket + unitMagnitude)
        }
    }
}

extension Double {
    /// ⌈log₂(self)⌉ for a positive value.
    fileprivate var log2Ceiling: Int {
        var power = 0
        var value = 1.0
        while value < self {
            value *= 2
            power += 1
        }
        return power
    }
}

extension HdrHistogramV2 {
    /// A latency histogram in hit's units (µs, 1 µs to an hour, three digits).
    public init(_ histogram: LatencyHistogram) {
        let layout = Layout(lowest: 1, digits: 3)
        self.init(highestTrackableValue: LatencyHistogram.highestTrackable,
                  counts: histogram.sparseCounts.map { Bucket(value: layout.value(at: layout.index(of: $0[0])), count: $0[1]) })
    }
}

extension LatencyHistogram {
    /// The latency histogram of a V2 histogram whose values are microseconds: each bucket is
    /// recorded as its highest value, as HdrHistogram reports a bucket. `minimum` and `maximum`,
    /// when known, are the exact extremes (see `init(sparseCounts:minimum:maximum:)`).
    public init(_ histogram: HdrHistogramV2, minimum: UInt64? = nil, maximum: UInt64? = nil) {
        let layout = HdrHistogramV2.Layout(lowest: histogram.lowestDiscernibleValue, digits: histogram.significantDigits)
        self.init(sparseCounts: histogram.counts.map { [layout.highestEquivalent(of: $0.value), $0.count] },
                  minimum: minimum, maximum: maximum)
    }
}
