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
        self.init(requested: counts.requested, targets: report.configuration.targets.count, rate: report.pacing?.rate)
        started = counts.started
        total.completed = counts.completed
        total.succeeded = counts.succeeded
        total.failed = counts.failedByStatus
        total.errored = counts.transportErrors
        total.totalLatency = .microseconds((report.latency?.meanUs ?? 0) * Int64(counts.succeeded + counts.failedByStatus))
        timedOut = counts.timeouts
        abandoned = counts.abortedInFlight
        retried = counts.retried
        interrupted = report.interrupted
        deadlineReached = report.deadlineReached
        bytes = counts.bodyBytesReceived
        bytesSent = counts.bodyBytesSent
        wireBytesReceived = counts.wireBytesReceived
        wireBytesSent = counts.wireBytesSent
        startUptimeNanoseconds = report.startUptimeNs
        duration = .microseconds(counts.durationUs)
        dropped = counts.dropped
        firstSend = counts.firstSendUs.map(Duration.microseconds)
        lastSend = counts.lastSendUs.map(Duration.microseconds)
        firstEnd = counts.firstEndUs.map(Duration.microseconds)
        lastEnd = counts.lastEndUs.map(Duration.microseconds)
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
        for (code, count) in report.statusCodes {
            guard let status = Int(code) else { throw ReadingError(description: "status code '\(code)' is not a number") }
            statusCounts[status] = count
        }
        for figures in report.transportErrors {
            let kind = TransferError.Kind(rawValue: figures.kind) ?? .other
            errorCounts[kind, default: ErrorTally(count: 0, example: figures.example)].count += figures.count
        }
        for (name, count) in report.httpVersions {
            guard let version = HTTPVersion(rawValue: name) else { throw ReadingError(description: "unknown HTTP version '\(name)'") }
            httpVersions[version] = count
        }
        connectionsOpened = report.connections.opened
        mostRequestsOnOneConnection = report.connections.mostRequestsOnOne ?? 0
        perTarget = report.targets.map { figures in
            var tally = Tally()
            tally.completed = figures.completed
            tally.succeeded = figures.succeeded
            tally.failed = figures.failedByStatus
            tally.errored = figures.transportErrors
            tally.totalLatency = .microseconds((figures.meanUs ?? 0) * Int64(figures.succeeded + figures.failedByStatus))
            return tally
        }
        if perTarget.isEmpty { perTarget = [Tally()] }
        timeline = try Self.timeline(report)
        startAt = report.startAtUnixNs
        startedLate = report.startedLateUs.map(Duration.microseconds)
        shards = report.shard.map { ShardCoverage(count: $0.count, covered: $0.covered, configurationHash: $0.configurationHash) }
    }

    private static func histogram(_ figures: JSONReport.Latency?, _ name: String) throws(ReadingError) -> LatencyHistogram {
        guard let figures else { return LatencyHistogram() }
        return try histogram(figures.histogram.encoded, name, minimum: figures.minUs, maximum: figures.maxUs)
    }

    static func histogram(_ encoded: String, _ name: String, minimum: Int64? = nil, maximum: Int64? = nil) throws(ReadingError) -> LatencyHistogram {
        do {
            return LatencyHistogram(try HdrHistogramV2(base64: encoded), minimum: minimum.map { UInt64(max(0, $0)) },
                                    maximum: maximum.map { UInt64(max(0, $0)) })
        } catch {
            throw ReadingError(description: "\(name): \(error.description)")
        }
    }

    private static func timeline(_ report: JSONReport) throws(ReadingError) -> Timeline {
        var timeline = Timeline(interval: .microseconds(report.timeline.intervalUs), startUnixNanoseconds: report.startUnixNs)
        for figures in report.timeline.intervals {
            var interval = Timeline.Interval(offset: .microseconds(figures.offsetUs), length: .microseconds(figures.durationUs))
            interval.sent = figures.sent
            interval.completed = figures.completed
            interval.succeeded = figures.succeeded
            interval.failedByStatus = figures.failedByStatus
            interval.transportErrors = figures.transportErrors
            interval.timeouts = figures.timeouts
            interval.statusClasses = figures.statusClasses
            interval.errorKinds = figures.errorKinds
            interval.bytes = figures.bodyBytesReceived
            interval.inFlight = figures.inFlight
            interval.late = figures.late ?? 0
            interval.latenessMax = figures.latenessMaxUs.flatMap { $0 > 0 ? Duration.microseconds($0) : nil }
            interval.latency = figures.latency.map(Timeline.Percentiles.init(figures:))
            interval.correctedLatency = figures.correctedLatency.map(Timeline.Percentiles.init(figures:))
            // Read now, so that a damaged encoding is refused here rather than lost in a merge.
            for (name, encoded) in [("latency", figures.latency?.encoded), ("correctedLatency", figures.correctedLatency?.encoded)] {
                if let encoded { _ = try histogram(encoded, "timeline.intervals[\(timeline.intervals.count)].\(name)") }
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
