import Histogram

/// Durations recorded in an HDR histogram (HdrHistogram/hdrhistogram-swift) at microsecond
/// resolution and three significant digits: memory stays fixed however many values it holds.
///
/// Beside the buckets it keeps the exact smallest and largest value, and every percentile is
/// clamped to them: a bucket's value may lie up to 0.1% above the values it holds, and no report
/// may show a percentile above its own maximum or below its minimum.
///
/// The buckets are allocated at the first value, and only as far as the largest value so far: a
/// run keeps dozens of histograms (phases, targets, intervals, corrected latency) of which many
/// stay empty or hold only short durations, and allocating each for an hour (23,552 counters,
/// 184 KiB) cost a one-request run megabytes and milliseconds.
public struct LatencyHistogram: Sendable, Equatable {
    /// The longest duration it tells apart; longer ones are recorded as this.
    public static let highestTrackable: UInt64 = 3_600_000_000  // one hour, in µs

    /// The buckets; `nil` until a value is recorded.
    private var storage: Histogram<UInt64>?
    /// The exact smallest and largest values recorded, in µs.
    private var lowest: UInt64 = .max
    private var highest: UInt64 = 0

    public init() {}

    /// Buckets that reach `value` and grow as larger values come (HdrHistogram's auto-resize):
    /// values up to 2 ms take 16 KiB, up to 1 s 96 KiB, and only values near an hour the whole
    /// 184 KiB. Growing keeps the same layout, so percentiles, merges and encodings do not change.
    private static func makeHistogram(reaching value: UInt64 = 2) -> Histogram<UInt64> {
        var histogram = Histogram<UInt64>(highestTrackableValue: Swift.max(2, value), numberOfSignificantValueDigits: .three)
        histogram.autoResize = true
        return histogram
    }

    /// The buckets, allocated if they were not.
    private var histogram: Histogram<UInt64> {
        get { storage ?? Self.makeHistogram() }
        _modify {
            if storage == nil { storage = Self.makeHistogram() }
            yield &storage!
        }
    }

    /// Equal when both are empty, however they came to be; else when their values are.
    public static func == (a: LatencyHistogram, b: LatencyHistogram) -> Bool {
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty }
        return a.lowest == b.lowest && a.highest == b.highest && a.storage == b.storage
    }

    /// Rebuilds a histogram from `counts` (as `sparseCounts` gives them): exactly the same buckets.
    /// `minimum` and `maximum` are the exact extremes, when known (a JSON report carries them as
    /// `minUs` and `maxUs`); otherwise the lowest and highest bucket stand for them.
    public init(sparseCounts counts: [[UInt64]], minimum: UInt64? = nil, maximum: UInt64? = nil) {
        for pair in counts where pair.count == 2 && pair[1] > 0 {
            let value = Swift.min(pair[0], Self.highestTrackable)
            _ = histogram.record(value, count: pair[1])
            lowest = Swift.min(lowest, value)
            highest = Swift.max(highest, value)
        }
        guard !isEmpty else { return }
        if let minimum { lowest = Swift.min(minimum, highest) }
        if let maximum {
            // Without an exact minimum, the lowest bucket's value may lie above the exact maximum
            // (every value in one bucket): nothing recorded is above the maximum.
            if minimum == nil { lowest = Swift.min(lowest, maximum) }
            highest = Swift.max(Swift.min(maximum, highest), lowest)
        }
    }

    public mutating func record(_ duration: Duration) {
        record(duration, count: 1)
    }

    /// Records `duration` `count` times.
    public mutating func record(_ duration: Duration, count: UInt64) {
        guard count > 0 else { return }
        let value = UInt64(Swift.min(Swift.max(0, duration.microsecondsValue), Int64(Self.highestTrackable)))
        lowest = Swift.min(lowest, value)
        highest = Swift.max(highest, value)
        // Each value is recorded as its bucket's highest equivalent, the value HDR reports for the
        // bucket: then every percentile survives `sparseCounts` exactly.
        // In place, through optional chaining: comparing `storage` with nil first copied its struct.
        if storage?.recordAsHighestEquivalent(value, count: count) == nil {
            storage = Self.makeHistogram(reaching: value)
            storage!.recordAsHighestEquivalent(value, count: count)
        }
    }

    /// Adds every value of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        guard let theirs = other.storage, !other.isEmpty else { return }
        if storage == nil {
            storage = theirs  // shared until either records again
        } else {
            histogram.add(theirs)
        }
        lowest = Swift.min(lowest, other.lowest)
        highest = Swift.max(highest, other.highest)
    }

    /// Empties it: an interval's histogram is reset at each interval's end. The buckets are let go
    /// and allocated afresh (zeroed) at the next value, which costs less than HdrHistogram's reset,
    /// a counter at a time.
    public mutating func reset() {
        guard !isEmpty else { return }
        storage = nil
        lowest = .max
        highest = 0
    }

    public var count: Int { Int(storage?.totalCount ?? 0) }
    public var isEmpty: Bool { count == 0 }

    /// The value below which `percentile` percent of the values fall (0 to 100), never below `min`
    /// nor above `max`. Each call walks the buckets: for several, take `distribution` once.
    public func percentile(_ percentile: Double) -> Duration {
        distribution.percentile(percentile)
    }

    /// The smallest value recorded, exact to the microsecond; zero when empty.
    public var min: Duration { isEmpty ? .zero : .microseconds(lowest) }
    /// The largest value recorded, exact to the microsecond; zero when empty.
    public var max: Duration { .microseconds(highest) }
    /// The mean of the buckets' values, within `min` and `max`.
    public var mean: Duration { distribution.mean }
    public var standardDeviation: Duration { distribution.standardDeviation }

    /// The non-empty buckets, walked once, for reading several percentiles.
    public var distribution: Distribution {
        Distribution(storage.flatMap { isEmpty ? nil : $0 }, lowest: lowest, highest: highest)
    }

    /// Each non-empty bucket's value (µs) and count, in increasing order.
    public var buckets: [(microseconds: UInt64, count: Int)] {
        nonEmptyBuckets.map { ($0.value, Int($0.count)) }
    }

    /// Every non-empty bucket as `[value in µs, count]`: a compact form that `init(sparseCounts:)`
    /// turns back into the same histogram, so runs can be merged exactly.
    public var sparseCounts: [[UInt64]] {
        nonEmptyBuckets.map { [$0.value, $0.count] }
    }

    /// Each non-empty bucket's value and count, in increasing order. Values that all share one
    /// bucket are that bucket, without a walk of every bucket below it from zero.
    private var nonEmptyBuckets: [(value: UInt64, count: UInt64)] {
        guard let storage, !isEmpty else { return [] }
        if let bucket = storage.soleBucket { return [(bucket, storage.totalCount)] }
        return storage.recordedValues().map { ($0.value, $0.count) }
    }

    /// HdrHistogram's percentile distribution text (what wrk2 prints and `.hgrm` files hold), in
    /// milliseconds: the value at each percentile, with five steps per halving of what is left.
    public var percentileDistribution: String {
        var text = ""
        histogram.outputPercentileDistribution(to: &text, outputValueUnitScalingRatio: 1000)
        return text
    }
}

extension Histogram<UInt64> {
    /// The one bucket (its highest equivalent value) that every recorded value shares; `nil` when
    /// empty or when the values span buckets. Its figures need no walk from bucket zero.
    fileprivate var soleBucket: UInt64? {
        guard totalCount > 0, valuesAreEquivalent(min, maxRecorded) else { return nil }
        return highestEquivalentForValue(maxRecorded)
    }

    /// Records `value` as its bucket's highest equivalent, at most `LatencyHistogram.highestTrackable`.
    fileprivate mutating func recordAsHighestEquivalent(_ value: UInt64, count: UInt64) {
        _ = record(Swift.min(highestEquivalentForValue(value), LatencyHistogram.highestTrackable), count: count)
    }
}

extension LatencyHistogram {
    /// A histogram's non-empty buckets, walked once, with its mean and standard deviation: a
    /// report reads a dozen percentiles of each histogram.
    ///
    /// Every figure is HdrHistogram's own (`valueAtPercentile`, `mean`, `stdDeviation`), computed
    /// the same way, then held within the exact smallest and largest value. HdrHistogram's own
    /// walk every bucket below the value, each time, through generic code compiled once for every
    /// count type: about 1,600 instructions a bucket, 13 M for one walk up to 4 ms, and a
    /// one-request run's text report took a third of its instructions so. Its iterator is
    /// inlinable, and walked here it is specialized for `UInt64`.
    public struct Distribution: Sendable {
        /// Each non-empty bucket's value (its highest equivalent, as recorded) and the count of
        /// values up to and including it.
        private var values: [UInt64] = []
        private var countsToHere: [UInt64] = []
        private var total: UInt64 = 0
        /// HdrHistogram's smallest and largest recorded value, which bound its percentiles.
        private var recordedMin: UInt64 = 0, recordedMax: UInt64 = 0
        /// The exact extremes, which bound every figure.
        private let lowest: UInt64, highest: UInt64
        private var meanValue = 0.0, deviation = 0.0

        fileprivate init(_ histogram: Histogram<UInt64>?, lowest: UInt64, highest: UInt64) {
            self.lowest = lowest
            self.highest = highest
            guard let histogram else { return }
            total = histogram.totalCount
            recordedMin = histogram.min
            recordedMax = histogram.maxRecorded
            // Every value in one bucket (a run of one request; a connection phase at -c 1): the
            // figures are that bucket's, without walking every bucket below it from zero.
            if let bucket = histogram.soleBucket {
                values = [bucket]
                countsToHere = [total]
                meanValue = Double(histogram.medianEquivalentForValue(recordedMax))
                return
            }
            var medians: [(value: Double, count: Double)] = []
            for bucket in histogram.recordedValues() {
                values.append(bucket.value)
                countsToHere.append(bucket.totalCountToThisValue)
                medians.append((Double(histogram.medianEquivalentForValue(bucket.value)), Double(bucket.count)))
            }
            // Each bucket counts as its median value, in HdrHistogram's order of operations.
            var sum = 0.0
            for bucket in medians { sum += bucket.value * bucket.count }
            meanValue = sum / Double(total)
            var squares = 0.0
            for bucket in medians {
                let distance = bucket.value - meanValue
                squares += (distance * distance) * bucket.count
            }
            deviation = (squares / Double(total)).squareRoot()
        }

        /// The value below which `percentile` percent of the values fall (0 to 100), never below
        /// the smallest value nor above the largest; zero when empty.
        public func percentile(_ percentile: Double) -> Duration {
            guard total > 0 else { return .zero }
            let value: UInt64
            if percentile == 0 {
                value = recordedMin
            } else if !(percentile < 100) {  // as HdrHistogram has it: NaN too
                value = recordedMax
            } else {
                // Less one ulp, so that rounding up does not overrun into the next bucket.
                let requested = Swift.min(Swift.max(percentile.nextDown, 0), 100)
                let rank = Swift.max(1, UInt64((requested * Double(total) / 100).rounded(.up)))
                let index = countsToHere.partitioningIndex { $0 >= rank }
                value = index < values.count ? Swift.max(Swift.min(values[index], recordedMax), recordedMin) : 0
            }
            return .microseconds(clamped(value))
        }

        /// The mean of the buckets' values, within the smallest and largest value.
        public var mean: Duration { total == 0 ? .zero : .microseconds(clamped(UInt64(meanValue.rounded()))) }

        public var standardDeviation: Duration { .microseconds(Int64(deviation.rounded())) }

        private func clamped(_ value: UInt64) -> UInt64 {
            Swift.min(Swift.max(value, lowest), highest)
        }
    }
}

extension Array<UInt64> {
    /// The index of the first element for which `belongs` holds, all those after it holding too
    /// (a sorted array's lower bound); `count` when none does.
    fileprivate func partitioningIndex(where belongs: (UInt64) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
