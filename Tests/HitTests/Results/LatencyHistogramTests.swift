import Histogram
@testable import Hit
import Testing

@Suite struct LatencyHistogramTests {
    @Test func anEmptyHistogram() {
        let histogram = LatencyHistogram()
        #expect(histogram.isEmpty)
        #expect(histogram.count == 0)
    }

    /// The buckets come with the first value: empty histograms are equal however they came to be
    /// (never recorded, or recorded and reset), and one merged into an empty one stays a value of
    /// its own when either records again.
    @Test func bucketsComeWithTheFirstValueAndStayValues() {
        var reset = LatencyHistogram()
        reset.record(.milliseconds(3))
        reset.reset()
        #expect(reset == LatencyHistogram())
        #expect(reset.sparseCounts.isEmpty && LatencyHistogram().sparseCounts.isEmpty)
        #expect(LatencyHistogram().standardDeviation == .zero)

        var source = LatencyHistogram()
        source.record(.milliseconds(2))
        var merged = LatencyHistogram()
        merged.merge(source)
        #expect(merged == source)
        merged.record(.milliseconds(9))
        #expect(source.count == 1 && source.max == .milliseconds(2))
        #expect(merged.count == 2 && merged.max == .milliseconds(9))
        source.record(.microseconds(500))
        #expect(merged.min == .milliseconds(2))
        #expect(merged != source)
    }

    @Test func percentilesOfKnownValues() {
        var histogram = LatencyHistogram()
        for ms in 1...100 { histogram.record(.milliseconds(ms)) }
        #expect(histogram.count == 100)
        // Three significant digits: each value is kept within 0.1%.
        #expect(abs(histogram.percentile(50).seconds - 0.050) < 0.0001)
        #expect(abs(histogram.percentile(99).seconds - 0.099) < 0.0001)
        #expect(abs(histogram.max.seconds - 0.100) < 0.0001)
        #expect(abs(histogram.min.seconds - 0.001) < 0.000002)
    }

    @Test func sparseCountsRebuildTheSameHistogram() {
        var histogram = LatencyHistogram()
        for us in [3, 250, 250, 9_999, 1_234_567] { histogram.record(.microseconds(us)) }
        #expect(LatencyHistogram(sparseCounts: histogram.sparseCounts, minimum: 3, maximum: 1_234_567) == histogram)
        #expect(LatencyHistogram(sparseCounts: histogram.sparseCounts).sparseCounts == histogram.sparseCounts)
    }

    @Test func aMaximumWithoutAMinimumHoldsWhenEveryValueSharesABucket() {
        // 2118 µs sits in a bucket two wide whose value is 2119: the exact maximum still rules.
        var histogram = LatencyHistogram()
        histogram.record(.microseconds(2118))
        let rebuilt = LatencyHistogram(sparseCounts: histogram.sparseCounts, maximum: 2118)
        #expect(rebuilt.max == .microseconds(2118))
        #expect(rebuilt.min <= rebuilt.max)
        #expect(rebuilt.percentile(99) == .microseconds(2118))
    }

    @Test func mergingAddsEveryValue() {
        var a = LatencyHistogram(), b = LatencyHistogram()
        a.record(.milliseconds(1))
        b.record(.milliseconds(2))
        b.record(.milliseconds(3))
        a.merge(b)
        #expect(a.count == 3)
    }

    @Test func valuesBeyondAnHourAndBelowZeroAreClamped() {
        var histogram = LatencyHistogram()
        histogram.record(.seconds(7200))
        histogram.record(.milliseconds(-5))
        #expect(histogram.count == 2)
        #expect(histogram.max <= .seconds(3601))
        #expect(histogram.min == .zero)
    }
}

@Suite struct LatencyHistogramBoundsTests {
    /// A 1234 ms route: the bucket at 1.23 s is about 1 ms wide, and its value lies above the
    /// values it holds; no percentile may show above the maximum.
    @Test func percentilesStayWithinTheExactMinimumAndMaximum() {
        var histogram = LatencyHistogram()
        for us in [1_234_000, 1_234_100, 1_234_300, 1_250_400] { histogram.record(.microseconds(us)) }
        #expect(histogram.max == .microseconds(1_250_400))
        #expect(histogram.min == .microseconds(1_234_000))
        for p in Summary.reportedPercentiles + [100] {
            #expect(histogram.percentile(p) <= histogram.max, "p\(p)")
            #expect(histogram.percentile(p) >= histogram.min, "p\(p)")
        }
        #expect(histogram.mean <= histogram.max && histogram.mean >= histogram.min)
    }

    /// Every figure is HdrHistogram's own over the same buckets (its `valueAtPercentile`, `mean`
    /// and `stdDeviation`), held within the exact extremes, though the distribution walks the
    /// buckets once and HdrHistogram walks them for each figure; and buckets that grow with the
    /// values (up to an hour) change none of them.
    @Test func figuresAreHdrHistogramsOwn() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var histogram = LatencyHistogram()
            var reference = Histogram<UInt64>(highestTrackableValue: LatencyHistogram.highestTrackable, numberOfSignificantValueDigits: .three)
            let scale: UInt64 = [10, 1_000, 100_000, 10_000_000, 3_600_000_000].randomElement(using: &generator)!
            var values: [UInt64] = []
            for _ in 0..<Int.random(in: 1...200, using: &generator) {
                let us = UInt64.random(in: 0...scale, using: &generator)
                histogram.record(.microseconds(us))
                // LatencyHistogram records each value as its bucket's highest equivalent.
                _ = reference.record(min(reference.highestEquivalentForValue(us), LatencyHistogram.highestTrackable))
                values.append(us)
            }
            let low = values.min()!, high = values.max()!
            func held(_ value: UInt64) -> Duration { .microseconds(min(max(value, low), high)) }
            let distribution = histogram.distribution
            for p in [0, 0.1, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100, .random(in: 0...100, using: &generator)] {
                #expect(distribution.percentile(p) == held(reference.valueAtPercentile(p)), "p\(p) of \(values)")
                #expect(histogram.percentile(p) == distribution.percentile(p))
            }
            #expect(histogram.mean == held(UInt64(reference.mean.rounded())), "\(values)")
            #expect(histogram.standardDeviation == .microseconds(Int64(reference.stdDeviation.rounded())), "\(values)")
        }
        #expect(LatencyHistogram().distribution.percentile(50) == .zero)
        #expect(LatencyHistogram().distribution.mean == .zero && LatencyHistogram().distribution.standardDeviation == .zero)
    }

    /// A histogram whose values all fall in one bucket (one request; equal durations) answers
    /// without walking the buckets below it, with HdrHistogram's own figures and buckets all the
    /// same.
    @Test func oneBucketGivesHdrHistogramsFigures() {
        for values: [UInt64] in [[0], [1], [417], [2_047], [3_000, 3_001], [1_000_000, 1_000_300, 1_000_100],
                                 [LatencyHistogram.highestTrackable], [7, 7, 7]] {
            var histogram = LatencyHistogram()
            var reference = Histogram<UInt64>(highestTrackableValue: LatencyHistogram.highestTrackable, numberOfSignificantValueDigits: .three)
            for us in values {
                histogram.record(.microseconds(us))
                _ = reference.record(min(reference.highestEquivalentForValue(us), LatencyHistogram.highestTrackable))
            }
            #expect(reference.valuesAreEquivalent(values.min()!, values.max()!), "\(values) share a bucket")
            func held(_ value: UInt64) -> Duration { .microseconds(min(max(value, values.min()!), values.max()!)) }
            let distribution = histogram.distribution
            for p in [0, 1, 50, 99, 99.99, 100] {
                #expect(distribution.percentile(p) == held(reference.valueAtPercentile(p)), "p\(p) of \(values)")
            }
            #expect(distribution.mean == held(UInt64(reference.mean.rounded())), "\(values)")
            #expect(distribution.standardDeviation == .microseconds(Int64(reference.stdDeviation.rounded())), "\(values)")
            #expect(histogram.sparseCounts == reference.recordedValues().map { [$0.value, $0.count] }, "\(values)")
            #expect(histogram.buckets.map(\.microseconds) == reference.recordedValues().map(\.value), "\(values)")
        }
    }

    @Test func boundsHoldForManyShapes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var histogram = LatencyHistogram()
            let scale = [10, 1_000, 100_000, 10_000_000].randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 1...50, using: &generator) {
                histogram.record(.microseconds(Int.random(in: 0...scale, using: &generator)))
            }
            for p in [0.1, 1, 50, 90, 99, 99.9, 99.99, 100] {
                #expect(histogram.percentile(p) <= histogram.max && histogram.percentile(p) >= histogram.min)
            }
            let rebuilt = LatencyHistogram(sparseCounts: histogram.sparseCounts, minimum: UInt64(histogram.min.microsecondsValue),
                                           maximum: UInt64(histogram.max.microsecondsValue))
            #expect(rebuilt == histogram, "a JSON round trip with minUs and maxUs is exact")
        }
    }
}
