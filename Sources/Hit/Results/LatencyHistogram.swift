import Histogram

/// Durations recorded in an HDR histogram (HdrHistogram/hdrhistogram-swift) at microsecond
/// resolution and three significant digits: memory stays fixed however many values it holds.
public struct LatencyHistogram: Sendable, Equatable {
    /// The longest duration it tells apart; longer ones are recorded as this.
    public static let highestTrackable: UInt64 = 3_600_000_000  // one hour, in µs

    private var histogram = Histogram<UInt64>(highestTrackableValue: Self.highestTrackable, numberOfSignificantValueDigits: .three)

    public init() {}

    /// Rebuilds a histogram from `counts` (as `sparseCounts` gives them): exactly the same buckets.
    public init(sparseCounts counts: [[UInt64]]) {
        for pair in counts where pair.count == 2 {
            _ = histogram.record(Swift.min(pair[0], Self.highestTrackable), count: pair[1])
        }
    }

    public mutating func record(_ duration: Duration) {
        let microseconds = Swift.max(0, duration.microsecondsValue)
        // Each value is recorded as its bucket's highest equivalent, the value HDR reports for the
        // bucket: then min, max and every percentile survive `sparseCounts` exactly.
        let value = Swift.min(UInt64(microseconds), Self.highestTrackable)
        _ = histogram.record(Swift.min(histogram.highestEquivalentForValue(value), Self.highestTrackable))
    }

    /// Adds every value of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        histogram.add(other.histogram)
    }

    public var count: Int { Int(histogram.totalCount) }
    public var isEmpty: Bool { histogram.totalCount == 0 }

    /// The value below which `percentile` percent of the values fall (0 to 100).
    public func percentile(_ percentile: Double) -> Duration {
        .microseconds(histogram.valueAtPercentile(percentile))
    }

    public var min: Duration { .microseconds(histogram.min) }
    public var max: Duration { .microseconds(histogram.max) }
    public var mean: Duration { .microseconds(Int64(histogram.mean.rounded())) }
    public var standardDeviation: Duration { .microseconds(Int64(histogram.stdDeviation.rounded())) }

    /// Each non-empty bucket's value (µs) and count, in increasing order.
    public var buckets: [(microseconds: UInt64, count: Int)] {
        histogram.recordedValues().map { ($0.value, Int($0.count)) }
    }

    /// Every non-empty bucket as `[value in µs, count]`: a compact form that `init(sparseCounts:)`
    /// turns back into the same histogram, so runs can be merged exactly.
    public var sparseCounts: [[UInt64]] {
        histogram.recordedValues().map { [$0.value, $0.count] }
    }
}
