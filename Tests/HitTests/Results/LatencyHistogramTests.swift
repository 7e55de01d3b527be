import Hit
import Testing

@Suite struct LatencyHistogramTests {
    @Test func anEmptyHistogram() {
        let histogram = LatencyHistogram()
        #expect(histogram.isEmpty)
        #expect(histogram.count == 0)
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
        #expect(LatencyHistogram(sparseCounts: histogram.sparseCounts) == histogram)
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
