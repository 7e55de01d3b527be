#if canImport(Glibc)
import Glibc
#endif

/// A latency histogram in OpenTelemetry's base-2 exponential form (which is also Prometheus's
/// native histogram schema): at scale s, bucket i holds the values in (2^(i/2^s), 2^((i+1)/2^s)],
/// in seconds. Made from hit's HDR histograms, whose buckets (0.1% wide) are finer than any bucket
/// here: each HDR bucket's count goes whole into the exponential bucket of its value. The scale is
/// the finest (up to 20) at which the values' range fits `maximumBuckets` buckets.
struct ExponentialBuckets: Equatable, Sendable {
    var scale: Int
    /// The index of the first bucket of `counts`.
    var offset: Int
    var counts: [UInt64]
    /// Values of 0 µs (a latency is at least 1 µs; a phase may be 0).
    var zeroCount: UInt64 = 0

    static let maximumBuckets = 160

    /// From `latency`'s buckets, at most `maximumScale` (Prometheus's native histograms stop at 8).
    init(_ latency: LatencyHistogram, maximumScale: Int = 20) {
        self.init(microseconds: latency.sparseCounts.map { HdrHistogramV2.Bucket(value: $0[0], count: $0[1]) }, maximumScale: maximumScale)
    }

    /// From HDR buckets of µs values.
    init(microseconds buckets: [HdrHistogramV2.Bucket], maximumBuckets: Int = ExponentialBuckets.maximumBuckets, maximumScale: Int = 20) {
        // Zero goes to the zero bucket: a phase may take 0 µs (a body that came with the head), and
        // a push may hold nothing else, where the buckets' span would start at log2(0).
        let zero = buckets.filter { $0.value == 0 }.reduce(0) { $0 + $1.count }
        let values = buckets.filter { $0.count > 0 && $0.value > 0 }
        guard let low = values.first?.value, let high = values.last?.value else {
            self.init(scale: 0, offset: 0, counts: [], zeroCount: zero)
            return
        }
        var scale = min(20, maximumScale)
        while scale > -10,
              Self.index(seconds: Double(high) / 1e6, scale: scale) - Self.index(seconds: Double(low) / 1e6, scale: scale) + 1 > maximumBuckets {
            scale -= 1
        }
        let first = Self.index(seconds: Double(low) / 1e6, scale: scale)
        let last = Self.index(seconds: Double(high) / 1e6, scale: scale)
        var counts = [UInt64](repeating: 0, count: last - first + 1)
        for bucket in values {
            counts[Self.index(seconds: Double(bucket.value) / 1e6, scale: scale) - first] += bucket.count
        }
        self.init(scale: scale, offset: first, counts: counts, zeroCount: zero)
    }

    init(scale: Int, offset: Int, counts: [UInt64], zeroCount: UInt64 = 0) {
        self.scale = scale
        self.offset = offset
        self.counts = counts
        self.zeroCount = zeroCount
    }

    /// The bucket of `seconds` at `scale`: ⌈log2(v)·2^s⌉ − 1, exact at powers of the base.
    static func index(seconds: Double, scale: Int) -> Int {
        let scaled = log2(seconds) * pow(2, Double(scale))
        var index = Int(scaled.rounded(.up)) - 1
        // Guard the boundary against rounding: the bucket's upper bound must be ≥ the value.
        if upperBound(index: index, scale: scale) < seconds { index += 1 }
        if index > Int.min, upperBound(index: index - 1, scale: scale) >= seconds { index -= 1 }
        return index
    }

    /// Bucket `index`'s upper bound, in seconds.
    static func upperBound(index: Int, scale: Int) -> Double {
        pow(2, Double(index + 1) / pow(2, Double(scale)))
    }

    var count: UInt64 { counts.reduce(zeroCount, +) }
}
