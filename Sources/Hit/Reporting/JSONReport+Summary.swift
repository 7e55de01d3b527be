extension Summary {
    /// Why a JSON report cannot be read back into a summary.
    public struct ReadingError: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The summary a JSON report (schema 3) was written from, read back: every counter, and every
    /// histogram from its HdrHistogram V2 encoding, so that summaries of shards add up exactly.
    /// Means come back from the reported microseconds.
    public init(report: JSONReport) throws(ReadingError) {
        let counts = report.summary
        let c = Bounds.count
        if let shard = report.shard {
            guard (1...Shard.maximumCount).contains(shard.count) else {
                throw ReadingError(description: "shard.count is \(shard.count), not from 1 to \(Shard.maximumCount)")
            }
            guard shard.covered.allSatisfy({ (0..<shard.count).contains($0) }), Set(shard.covered).count == shard.covered.count else {
                throw ReadingError(description: "shard.covered holds a shard twice or one outside 0 to \(shard.count - 1)")
            }
        }
        guard report.startUnixNs >= 0, report.startAtUnixNs.map({ $0 >= 0 }) ?? true else {
            throw ReadingError(description: "startUnixNs is before 1970")
        }
        self.init(requested: try counts.requested.map { v throws(ReadingError) in try c(v, "summary.requested") },
                  targets: report.configuration.targets.count, rate: report.pacing?.rate)
        rateVaries = !report.configuration.stages.isEmpty
        if let figures = report.generator,
           figures.loopBusy.count <= 100_000,
           figures.loopBusy.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 1 }),
           figures.cpuSeconds.isFinite, figures.cpuSeconds >= 0, figures.peakResidentBytes >= 0,
           figures.quotaThrottled.map({ (0...1).contains($0) }) ?? true {
            generator = GeneratorLoad(loopBusy: figures.loopBusy, cpuSeconds: figures.cpuSeconds,
                                      peakResidentBytes: figures.peakResidentBytes, quotaThrottled: figures.quotaThrottled)
        }
        try readCounts(report)
        try readHistograms(report)
        try readBreakdowns(report)
        timeline = try Self.timeline(report)
        startAt = report.startAtUnixNs
        shards = report.shard.map { ShardCoverage(count: $0.count, covered: $0.covered, configurationHash: $0.configurationHash) }
    }

    /// The counters and times of `report`, each within its bounds.
    private mutating func readCounts(_ report: JSONReport) throws(ReadingError) {
        let counts = report.summary
        let c = Bounds.count, t = Bounds.time
        started = try c(counts.started, "summary.started")
        total.completed = try c(counts.completed, "summary.completed")
        total.succeeded = try c(counts.succeeded, "summary.succeeded")
        total.failed = try c(counts.failedByStatus, "summary.failedByStatus")
        total.errored = try c(counts.transportErrors, "summary.transportErrors")
        total.totalLatency = .microseconds(try t(report.latency?.meanUs ?? 0, "latency.meanUs")) * (total.succeeded + total.failed)
        timedOut = try c(counts.timeouts, "summary.timeouts")
        abandoned = try c(counts.abortedInFlight, "summary.abortedInFlight")
        retried = try c(counts.retried, "summary.retried")
        ending = report.interrupted ? .interrupted : report.deadlineReached ? .deadline : .completed
        bytes = try c(counts.bodyBytesReceived, "summary.bodyBytesReceived")
        bytesSent = try c(counts.bodyBytesSent, "summary.bodyBytesSent")
        wireBytesReceived = try c(counts.wireBytesReceived, "summary.wireBytesReceived")
        wireBytesSent = try c(counts.wireBytesSent, "summary.wireBytesSent")
        startUptimeNanoseconds = report.startUptimeNs
        duration = .microseconds(try t(counts.durationUs, "summary.durationUs"))
        dropped = try c(counts.dropped, "summary.dropped")
        feedUsedUp = try counts.feedUsedUp.map { rows throws(ReadingError) in try c(rows, "summary.feedUsedUp") }
        firstSend = try counts.firstSendUs.map { v throws(ReadingError) in .microseconds(try t(v, "summary.firstSendUs")) }
        lastSend = try counts.lastSendUs.map { v throws(ReadingError) in .microseconds(try t(v, "summary.lastSendUs")) }
        firstEnd = try counts.firstEndUs.map { v throws(ReadingError) in .microseconds(try t(v, "summary.firstEndUs")) }
        lastEnd = try counts.lastEndUs.map { v throws(ReadingError) in .microseconds(try t(v, "summary.lastEndUs")) }
        startedLate = try report.startedLateUs.map { v throws(ReadingError) in .microseconds(try t(v, "startedLateUs")) }
    }

    /// Every histogram of `report`, from its HdrHistogram V2 encoding.
    private mutating func readHistograms(_ report: JSONReport) throws(ReadingError) {
        latency = try Self.histogram(report.latency, "latency")
        correctedLatency = try Self.histogram(report.correctedLatency, "correctedLatency")
        if let encoded = report.pacing?.latenessEncoded {
            lateness = try Self.histogram(encoded, "pacing.latenessEncoded", maximum: report.pacing?.latenessMaxUs)
        }
        for (name, figures) in report.phases {
            guard let phase = Phase(rawValue: name) else { throw ReadingError(description: "unknown phase '\(name)'") }
            guard let encoded = figures.encoded else {
                throw ReadingError(description: "phases.\(name) has no encoded histogram (written by an earlier hit)")
            }
            phases[phase] = try Self.histogram(encoded, "phases.\(name)", maximum: figures.maxUs)
        }
    }

    /// Statuses, errors, versions, connections and targets.
    private mutating func readBreakdowns(_ report: JSONReport) throws(ReadingError) {
        let c = Bounds.count, t = Bounds.time
        for (code, count) in report.statusCodes {
            guard let status = Int(code) else { throw ReadingError(description: "status code '\(code)' is not a number") }
            statusCounts[status] = try c(count, "statusCodes.\(code)")
        }
        for figures in report.transportErrors {
            let kind = TransferError.Kind(rawValue: figures.kind) ?? .other
            errorCounts[kind, default: ErrorTally(count: 0, example: figures.example)].count += try c(figures.count, "transportErrors.count")
        }
        for (name, count) in report.httpVersions {
            guard let version = HTTPVersion(rawValue: name) else { throw ReadingError(description: "unknown HTTP version '\(name)'") }
            httpVersions[version] = try c(count, "httpVersions.\(name)")
        }
        connectionsOpened = try c(report.connections.opened, "connections.opened")
        mostRequestsOnOneConnection = try c(report.connections.mostRequestsOnOne ?? 0, "connections.mostRequestsOnOne")
        perTarget = try report.targets.map { figures throws(ReadingError) in
            var tally = Tally()
            tally.completed = try c(figures.completed, "targets.completed")
            tally.succeeded = try c(figures.succeeded, "targets.succeeded")
            tally.failed = try c(figures.failedByStatus, "targets.failedByStatus")
            tally.errored = try c(figures.transportErrors, "targets.transportErrors")
            tally.totalLatency = .microseconds(try t(figures.meanUs ?? 0, "targets.meanUs")) * (tally.succeeded + tally.failed)
            if figures.latency != nil { tally.latency = try Self.histogram(figures.latency, "targets.latency") }
            if figures.correctedLatency != nil {
                tally.correctedLatency = try Self.histogram(figures.correctedLatency, "targets.correctedLatency")
            }
            return tally
        }
        if perTarget.isEmpty { perTarget = [Tally()] }
    }

    private static func histogram(_ figures: JSONReport.Latency?, _ name: String) throws(ReadingError) -> LatencyHistogram {
        guard let figures else { return LatencyHistogram() }
        return try histogram(figures.histogram.encoded, name, minimum: figures.minUs, maximum: figures.maxUs)
    }

    static func histogram(_ encoded: String, _ name: String, minimum: Int64? = nil, maximum: Int64? = nil) throws(ReadingError) -> LatencyHistogram {
        LatencyHistogram(try checkedEncoding(encoded, name),
                         minimum: minimum.map { UInt64(max(0, $0)) }, maximum: maximum.map { UInt64(max(0, $0)) })
    }

    private static func timeline(_ report: JSONReport) throws(ReadingError) -> Timeline {
        let c = Bounds.count, t = Bounds.time
        guard report.timeline.intervalUs > 0 else { throw ReadingError(description: "timeline.intervalUs is not positive") }
        var timeline = Timeline(interval: .microseconds(try t(report.timeline.intervalUs, "timeline.intervalUs")),
                                startUnixNanoseconds: report.startUnixNs)
        for figures in report.timeline.intervals {
            var interval = Timeline.Interval(offset: .microseconds(try t(figures.offsetUs, "timeline.intervals.offsetUs")),
                                             length: .microseconds(try t(figures.durationUs, "timeline.intervals.durationUs")))
            interval.sent = try c(figures.sent, "timeline.intervals.sent")
            interval.completed = try c(figures.completed, "timeline.intervals.completed")
            interval.succeeded = try c(figures.succeeded, "timeline.intervals.succeeded")
            interval.failedByStatus = try c(figures.failedByStatus, "timeline.intervals.failedByStatus")
            interval.transportErrors = try c(figures.transportErrors, "timeline.intervals.transportErrors")
            interval.timeouts = try c(figures.timeouts, "timeline.intervals.timeouts")
            for (_, count) in figures.statusClasses { _ = try c(count, "timeline.intervals.statusClasses") }
            for (_, count) in figures.errorKinds { _ = try c(count, "timeline.intervals.errorKinds") }
            interval.statusClasses = figures.statusClasses
            interval.errorKinds = figures.errorKinds
            interval.bytes = try c(figures.bodyBytesReceived, "timeline.intervals.bodyBytesReceived")
            interval.inFlight = try c(figures.inFlight, "timeline.intervals.inFlight")
            interval.partial = figures.partial ?? false
            interval.hasRates = figures.sendRate != nil && figures.completedRate != nil
            interval.late = try c(figures.late ?? 0, "timeline.intervals.late")
            interval.latenessMax = figures.latenessMaxUs.flatMap { $0 > 0 ? Duration.microseconds($0) : nil }
            interval.latency = figures.latency.map(Timeline.Percentiles.init(figures:))
            interval.correctedLatency = figures.correctedLatency.map(Timeline.Percentiles.init(figures:))
            // Read now, so that a damaged encoding is refused here rather than lost in a merge.
            for (name, encoded) in [("latency", figures.latency?.encoded), ("correctedLatency", figures.correctedLatency?.encoded)] {
                if let encoded { _ = try checkedEncoding(encoded, "timeline.intervals[\(timeline.intervals.count)].\(name)") }
            }
            interval.encodedLatency = figures.latency?.encoded
            interval.encodedCorrectedLatency = figures.correctedLatency?.encoded
            timeline.intervals.append(interval)
        }
        return timeline
    }
}

extension Timeline.Percentiles {
    init(figures: JSONReport.IntervalLatency) {
        self.init(p50: .microseconds(figures.p50Us), p90: .microseconds(figures.p90Us), p99: .microseconds(figures.p99Us),
                  max: .microseconds(figures.maxUs))
    }
}
