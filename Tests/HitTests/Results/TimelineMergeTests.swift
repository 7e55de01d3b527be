@testable import Hit
import Testing

/// Timelines of shards merged (`Timeline+Merge.swift`).
@Suite struct TimelineMergeTests {
    static func histogram(_ generator: inout some RandomNumberGenerator, values: Int) -> LatencyHistogram {
        var histogram = LatencyHistogram()
        for _ in 0..<values {
            let magnitude = UInt64.random(in: 0...32, using: &generator)
            histogram.record(.microseconds(Int64(UInt64.random(in: 0...(UInt64(1) << magnitude), using: &generator))),
                             count: UInt64.random(in: 1...5, using: &generator))
        }
        return histogram
    }

    /// Interval histograms merged bucket by bucket give exactly what merging whole histograms gives.
    @Test func theBucketMergeIsTheWholeHistogramsMerge() {
        var generator = SplitMix64(seed: 24)
        for round in 0..<300 {
            let a = Self.histogram(&generator, values: Int.random(in: 1...60, using: &generator))
            let b = Self.histogram(&generator, values: Int.random(in: 1...60, using: &generator))
            // Maxima as reports carry them: exact, below the top bucket's value, or none.
            let aFigures = Timeline.Percentiles(a), bFigures = round % 3 == 0 ? nil : Timeline.Percentiles(b)
            let aText = HdrHistogramV2(a).base64Encoded(), bText = HdrHistogramV2(b).base64Encoded()
            let fast = Timeline.Interval.merged(aText, aFigures, bText, bFigures)
            let slow = Timeline.Interval.slowlyMerged(aText, aFigures, bText, bFigures)
            #expect(IntervalHistogramMerge(aText, aFigures, bText, bFigures) != nil)
            #expect(fast.0 == slow.0, "round \(round): encodings differ")
            #expect(fast.1 == slow.1, "round \(round): \(String(describing: fast.1)) against \(String(describing: slow.1))")
        }
    }

    /// Two shards of 5,000 intervals merge in linear time: each interval's histograms are added by
    /// their buckets. (Built whole, they took some 7 ms an interval in a debug build: 35 s here.)
    @Test func longTimelinesMergeQuickly() {
        var generator = SplitMix64(seed: 5)
        func timeline(start: Int64) -> Timeline {
            var timeline = Timeline(interval: .milliseconds(10), startUnixNanoseconds: start)
            let histogram = Self.histogram(&generator, values: 40)
            let encoded = HdrHistogramV2(histogram).base64Encoded()
            for index in 0..<5_000 {
                var interval = Timeline.Interval(offset: .milliseconds(10 * index), length: .milliseconds(10))
                interval.completed = histogram.count
                interval.latency = Timeline.Percentiles(histogram)
                interval.encodedLatency = encoded
                timeline.intervals.append(interval)
            }
            return timeline
        }
        var merged = timeline(start: 1_000_000_000)
        let other = timeline(start: 1_000_000_000 + 3_000_000)
        let clock = ContinuousClock()
        let took = clock.measure { merged.merge(other) }
        #expect(merged.intervals.count == 5_000)
        #expect(took < .seconds(10), "merging 2 × 5,000 intervals took \(took)")
    }
}
