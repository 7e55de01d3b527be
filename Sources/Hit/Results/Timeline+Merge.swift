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

    private static func merged(_ a: String?, _ aFigures: Timeline.Percentiles?, _ b: String?, _ bFigures: Timeline.Percentiles?)
        -> (String?, Timeline.Percentiles?) {
        guard let a else { return (b, bFigures) }
        guard let b else { return (a, aFigures) }
        guard var histogram = try? Summary.histogram(a, "", maximum: aFigures?.max.microsecondsValue),
              let second = try? Summary.histogram(b, "", maximum: bFigures?.max.microsecondsValue) else { return (a, aFigures) }
        histogram.merge(second)
        return (HdrHistogramV2(histogram).base64Encoded(), Timeline.Percentiles(histogram))
    }
}
