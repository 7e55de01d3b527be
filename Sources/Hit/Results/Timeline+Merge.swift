extension Timeline {
    /// Adds `other`, the timeline of another part of the same run with the same interval length,
    /// aligned on the wall clock: each of its intervals goes to the interval of the merged grid
    /// (from the earlier start) nearest to its own start, and adds up there, histograms and all.
    /// Shards started together (`--start-at`) share one grid to within their clocks' offset.
    public mutating func merge(_ other: Timeline) {
        guard !other.intervals.isEmpty else { return }
        guard !intervals.isEmpty else {
            self = other
            return
        }
        let start = Swift.min(startUnixNanoseconds, other.startUnixNanoseconds)
        let step = Swift.max(interval.nanoseconds, 1)
        var merged: [Int: Interval] = [:]
        for (origin, list) in [(startUnixNanoseconds, intervals), (other.startUnixNanoseconds, other.intervals)] {
            for item in list {
                let from = origin - start + item.offset.nanoseconds
                let slot = Int((Double(from) / Double(step)).rounded())
                var placed = item
                placed.offset = .nanoseconds(Int64(slot) * step)
                if merged[slot] == nil { merged[slot] = placed } else { merged[slot]!.add(placed) }
            }
        }
        startUnixNanoseconds = start
        intervals = merged.keys.sorted().map { merged[$0]! }
    }
}

extension Timeline.Interval {
    /// This interval and `next`, the one right after it in the same run, as one interval twice
    /// as long: counts add, histograms merge, in flight is at the end of `next`.
    func followed(by next: Timeline.Interval) -> Timeline.Interval {
        var merged = self
        merged.add(next)
        merged.length = length + next.length
        merged.inFlight = next.inFlight
        merged.partial = next.partial
        merged.hasRates = true
        return merged
    }

    /// Adds `other`'s figures: counts add, histograms merge (from their encodings) and give the
    /// percentiles anew.
    mutating func add(_ other: Timeline.Interval) {
        length = Swift.max(length, other.length)
        partial = partial && other.partial
        hasRates = hasRates || other.hasRates
        sent += other.sent
        completed += other.completed
        succeeded += other.succeeded
        failedByStatus += other.failedByStatus
        transportErrors += other.transportErrors
        timeouts += other.timeouts
        statusClasses.merge(other.statusClasses, uniquingKeysWith: +)
        errorKinds.merge(other.errorKinds, uniquingKeysWith: +)
        bytes += other.bytes
        inFlight += other.inFlight
        late += other.late
        switch (latenessMax, other.latenessMax) {
        case let (a?, b?): latenessMax = Swift.max(a, b)
        case let (a, b): latenessMax = a ?? b
        }
        (encodedLatency, latency) = Self.merged(encodedLatency, latency, other.encodedLatency, other.latency)
        (encodedCorrectedLatency, correctedLatency) = Self.merged(encodedCorrectedLatency, correctedLatency,
                                                                  other.encodedCorrectedLatency, other.correctedLatency)
    }

    static func merged(_ a: String?, _ aFigures: Timeline.Percentiles?, _ b: String?, _ bFigures: Timeline.Percentiles?)
        -> (String?, Timeline.Percentiles?) {
        guard let a else { return (b, bFigures) }
        guard let b else { return (a, aFigures) }
        if let fast = IntervalHistogramMerge(a, aFigures, b, bFigures) { return (fast.encoded, fast.percentiles) }
        return slowlyMerged(a, aFigures, b, bFigures)
    }

    /// The merge through two whole HdrHistograms: what `IntervalHistogramMerge` computes from the
    /// buckets alone, for any layout.
    static func slowlyMerged(_ a: String, _ aFigures: Timeline.Percentiles?, _ b: String, _ bFigures: Timeline.Percentiles?)
        -> (String?, Timeline.Percentiles?) {
        guard var histogram = try? Summary.histogram(a, "", maximum: aFigures?.max.microsecondsValue),
              let second = try? Summary.histogram(b, "", maximum: bFigures?.max.microsecondsValue) else { return (a, aFigures) }
        histogram.merge(second)
        return (HdrHistogramV2(histogram).base64Encoded(), Timeline.Percentiles(histogram))
    }
}

/// Two interval histograms of hit's layout (1 µs, three digits) merged bucket by bucket: the same
/// encoding and percentiles as merging them as `LatencyHistogram`s, without building two
/// HdrHistograms of some 45,000 counters an interval, which made a merge of long timelines slow
/// (2 × 20,000 intervals: minutes in a debug build).
struct IntervalHistogramMerge {
    let encoded: String
    let percentiles: Timeline.Percentiles

    typealias Bucket = (index: Int, value: UInt64, count: UInt64)
    private static let layout = HdrHistogramV2.Layout(lowest: 1, digits: 3)

    /// nil when either histogram is not of hit's layout or is empty: merge them the slow way.
    init?(_ a: String, _ aFigures: Timeline.Percentiles?, _ b: String, _ bFigures: Timeline.Percentiles?) {
        guard let first = Self.side(a, aFigures?.max), let second = Self.side(b, bFigures?.max) else { return nil }
        let merged = Self.merged(first.buckets, second.buckets)
        let low = Swift.min(first.low, second.low), high = Swift.max(first.high, second.high)
        let recordedMax = merged.map(\.value).max() ?? 0
        let total = merged.reduce(UInt64(0)) { $0 + $1.count }
        func percentile(_ p: Double) -> Duration {
            Self.percentile(p, of: merged, total: total, recordedMax: recordedMax, low: low, high: high)
        }
        percentiles = Timeline.Percentiles(p50: percentile(50), p90: percentile(90), p99: percentile(99), max: .microseconds(high))
        encoded = HdrHistogramV2(highestTrackableValue: LatencyHistogram.highestTrackable,
                                 counts: merged.map { HdrHistogramV2.Bucket(value: Self.layout.value(at: $0.index), count: $0.count) })
            .base64Encoded()
    }

    /// One side as `LatencyHistogram(_:maximum:)` reads it: each bucket recorded as its highest
    /// value (at most the highest trackable), and its extremes.
    private static func side(_ text: String, _ maximum: Duration?) -> (buckets: [Bucket], low: UInt64, high: UInt64)? {
        guard let decoded = try? HdrHistogramV2(base64: text), decoded.lowestDiscernibleValue == 1, decoded.significantDigits == 3
        else { return nil }
        var buckets: [Bucket] = []
        var low = UInt64.max, high: UInt64 = 0
        for bucket in decoded.counts where bucket.count > 0 {
            let value = Swift.min(layout.highestEquivalent(of: bucket.value), LatencyHistogram.highestTrackable)
            buckets.append((layout.index(of: value), value, bucket.count))
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        guard !buckets.isEmpty else { return nil }
        if let maximum {
            let cap = UInt64(Swift.max(0, maximum.microsecondsValue))
            low = Swift.min(low, cap)
            high = Swift.max(Swift.min(cap, high), low)
        }
        return (buckets, low, high)
    }

    /// Both lists in increasing order of value, merged, the counts of one bucket added.
    private static func merged(_ first: [Bucket], _ second: [Bucket]) -> [Bucket] {
        var merged: [Bucket] = []
        merged.reserveCapacity(first.count + second.count)
        var i = 0, j = 0
        while i < first.count || j < second.count {
            let next: Bucket
            if j == second.count || (i < first.count && first[i].index < second[j].index) {
                next = first[i]
                i += 1
            } else if i == first.count || second[j].index < first[i].index {
                next = second[j]
                j += 1
            } else {
                next = (first[i].index, Swift.max(first[i].value, second[j].value), first[i].count + second[j].count)
                i += 1
                j += 1
            }
            if let last = merged.last, last.index == next.index {
                merged[merged.count - 1] = (last.index, Swift.max(last.value, next.value), last.count + next.count)
            } else {
                merged.append(next)
            }
        }
        return merged
    }

    /// HdrHistogram's valueAtPercentile, then LatencyHistogram's clamp to its extremes.
    private static func percentile(_ p: Double, of merged: [Bucket], total: UInt64, recordedMax: UInt64,
                                   low: UInt64, high: UInt64) -> Duration {
        let requested = Swift.min(Swift.max(p.nextDown, 0.0), 100.0)
        let wanted = Swift.max(1, UInt64(((requested * Double(total)) / 100.0).rounded(.up)))
        var sum: UInt64 = 0
        for bucket in merged {
            sum += bucket.count
            if sum >= wanted {
                let value = Swift.min(layout.highestEquivalent(of: layout.value(at: bucket.index)), recordedMax)
                return .microseconds(Swift.min(Swift.max(value, low), high))
            }
        }
        return .microseconds(Swift.min(Swift.max(0, low), high))
    }
}
