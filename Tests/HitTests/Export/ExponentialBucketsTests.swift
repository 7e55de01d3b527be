#if canImport(Glibc)
import Glibc
#endif
@testable import Hit
import Testing

/// HDR histograms laid on OpenTelemetry's base-2 exponential buckets.
@Suite struct ExponentialBucketsTests {
    /// A phase of 0 µs (a body that came with the head) goes to the zero bucket, also when a
    /// push holds nothing else: the span of positive buckets then is empty, not log2(0).
    @Test func zeroValuesGoToTheZeroBucket() {
        var transfer = LatencyHistogram()
        transfer.record(.zero, count: 3)
        let onlyZero = ExponentialBuckets(transfer)
        #expect(onlyZero.zeroCount == 3 && onlyZero.counts.isEmpty && onlyZero.count == 3)
        transfer.record(.microseconds(250), count: 2)
        let mixed = ExponentialBuckets(transfer)
        #expect(mixed.zeroCount == 3 && mixed.counts.reduce(0, +) == 2 && mixed.count == 5)
    }

    @Test func indicesFollowTheSpecAtItsBoundaries() {
        // At scale 0 bucket i is (2^i, 2^(i+1)]: 1 s is the top of bucket -1, 1.5 s in bucket 0.
        #expect(ExponentialBuckets.index(seconds: 1, scale: 0) == -1)
        #expect(ExponentialBuckets.index(seconds: 1.5, scale: 0) == 0)
        #expect(ExponentialBuckets.index(seconds: 2, scale: 0) == 0)
        #expect(ExponentialBuckets.index(seconds: 0.001, scale: 0) == -10)
        // At scale 3, 8 buckets a power of two: 2^(1/8) is the top of bucket 0.
        #expect(ExponentialBuckets.index(seconds: pow(2, 1.0 / 8), scale: 3) == 0)
        #expect(ExponentialBuckets.index(seconds: pow(2, 1.0 / 8) * 1.000001, scale: 3) == 1)
        for scale in [-2, 0, 4, 10, 20] {
            for value in [1e-6, 0.000123, 0.0042, 0.25, 3.7, 1800.0] {
                let index = ExponentialBuckets.index(seconds: value, scale: scale)
                #expect(ExponentialBuckets.upperBound(index: index, scale: scale) >= value)
                #expect(ExponentialBuckets.upperBound(index: index - 1, scale: scale) < value, "\(value) at \(scale)")
            }
        }
    }

    @Test func everyCountLandsInTheBucketOfItsValueAndTheScaleFits() {
        var latency = LatencyHistogram()
        for microseconds in [250, 900, 1200, 5000, 5100, 48_000, 2_000_000] { latency.record(.microseconds(Int64(microseconds)), count: 3) }
        let buckets = ExponentialBuckets(microseconds: latency.sparseCounts.map { HdrHistogramV2.Bucket(value: $0[0], count: $0[1]) })
        #expect(buckets.count == 21)
        #expect(buckets.counts.count <= ExponentialBuckets.maximumBuckets)
        // The finest scale that fits: one finer would need more than 160 buckets for 250 µs to 2 s.
        let span = { (scale: Int) in ExponentialBuckets.index(seconds: 2, scale: scale) - ExponentialBuckets.index(seconds: 0.00025, scale: scale) + 1 }
        #expect(span(buckets.scale) <= 160 && span(buckets.scale + 1) > 160)
        // Each HDR bucket's count is in the exponential bucket of its value.
        var expected = [UInt64](repeating: 0, count: buckets.counts.count)
        for bucket in latency.sparseCounts {
            expected[ExponentialBuckets.index(seconds: Double(bucket[0]) / 1e6, scale: buckets.scale) - buckets.offset] += bucket[1]
        }
        #expect(buckets.counts == expected)
        #expect(expected.filter { $0 > 0 }.count == 7, "the seven values in buckets of their own")
        // A narrow range keeps the finest scale, 20.
        var narrow = LatencyHistogram()
        narrow.record(.microseconds(1000), count: 5)
        #expect(ExponentialBuckets(microseconds: narrow.sparseCounts.map { HdrHistogramV2.Bucket(value: $0[0], count: $0[1]) }).scale == 20)
    }
}
