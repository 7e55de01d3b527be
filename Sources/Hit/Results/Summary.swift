/// What a run amounted to: the aggregate stage's running totals, in memory that does not grow
/// with the number of requests (latencies live in fixed-size HDR histograms).
@dynamicMemberLookup
public struct Summary: Sendable, Equatable {
    /// Requests the run was asked to send; `nil` for a run bounded by its duration alone.
    public var requested: Int?
    /// Requests handed to libcurl.
    public var started = 0
    /// The run's counts: completed, succeeded, failed, errored, and the latency they add up to.
    /// They read as the summary's own: `summary.completed` is `summary.total.completed`.
    public var total = Tally()
    /// The transport errors that were timeouts.
    public var timedOut = 0
    /// In flight when the run was interrupted or reached its deadline, and aborted.
    public var abandoned = 0
    /// Sent a second time, on a fresh connection, because the server closed a kept-alive
    /// connection as the request went out (idempotent methods only; counted once as requests).
    public var retried = 0
    /// Whether the run was cancelled (Ctrl-C) before every request completed.
    public var interrupted = false
    /// Whether the run ended because its duration (`-z`) was over.
    public var deadlineReached = false
    /// Body bytes received, after any content decoding.
    public var bytes = 0
    /// Body bytes sent.
    public var bytesSent = 0
    /// When the run's clock starts, in nanoseconds of the system's monotonic clock (CLOCK_MONOTONIC,
    /// `DispatchTime.uptimeNanoseconds`): the origin of the schedule, of every offset and of the
    /// timeline. 0 until the run has started.
    public var startUptimeNanoseconds: UInt64 = 0
    /// Wall time from the start of the run to its end.
    public var duration: Duration = .zero
    public var fastest: Duration?
    public var slowest: Duration?
    /// Latencies of the requests that got a response.
    public var latency = LatencyHistogram()
    /// In a paced run, the same latencies measured from each request's intended send time:
    /// corrected for coordinated omission. Empty in an unpaced run.
    public var correctedLatency = LatencyHistogram()
    /// In a paced run that reached its deadline (`-z`), requests that were due by then but never
    /// sent, because every worker was busy: k6's dropped iterations.
    public var dropped = 0
    /// In a paced run, how late the requests sent late (by more than `lateAfter`) were.
    public var lateness = LatencyHistogram()
    /// Each phase's durations, over the transfers that went through it.
    public var phases: [Phase: LatencyHistogram] = [:]
    /// How many responses carried each status code.
    public var statusCounts: [Int: Int] = [:]
    /// Transport errors by kind: how many, and the first message seen.
    public var errorCounts: [TransferError.Kind: ErrorTally] = [:]
    /// Responses by the HTTP version they came in.
    public var httpVersions: [HTTPVersion: Int] = [:]
    /// The same accounting per target.
    public var perTarget: [Tally]

    public struct ErrorTally: Sendable, Equatable {
        public var count: Int
        public var example: String
    }

    /// How far behind its schedule a request may be sent before it counts as late.
    public static let lateAfter: Duration = .milliseconds(1)

    /// Requests sent more than `lateAfter` after their intended time.
    public var late: Int { lateness.count }
    /// When the first and the last completed request were sent, from the start of the run.
    public var firstSend: Duration?
    public var lastSend: Duration?

    /// Requests per second between the first send and the last: the rate the schedule achieved.
    public var achievedSendRate: Double? {
        guard let firstSend, let lastSend, total.completed > 1, lastSend > firstSend else { return nil }
        return Double(total.completed - 1) / (lastSend - firstSend).seconds
    }

    public init(requested: Int?, targets: Int = 1) {
        self.requested = requested
        perTarget = Array(repeating: Tally(), count: max(targets, 1))
    }

    /// The run's `Tally` counts, read and written as the summary's own.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<Tally, Value>) -> Value {
        get { total[keyPath: keyPath] }
        set { total[keyPath: keyPath] = newValue }
    }

    /// Counts a request that was due `overdue` before the run ended but was never sent: its
    /// corrected latency is that wait, since a user would have waited at least that long.
    public mutating func recordDropped(overdue: Duration) {
        dropped += 1
        correctedLatency.record(overdue)
    }

    /// Adds one result.
    public mutating func record(_ result: RequestResult) {
        total.record(result)
        perTarget[perTarget.indices.contains(result.target) ? result.target : 0].record(result)
        bytes += result.bytes
        bytesSent += result.bytesSent
        firstSend = min(firstSend ?? result.offset, result.offset)
        lastSend = max(lastSend ?? result.offset, result.offset)
        if let lateness = result.lateness, lateness > Self.lateAfter {
            self.lateness.record(lateness)
        }
        for phase in Phase.allCases {
            if let duration = result.phases[phase] { phases[phase, default: LatencyHistogram()].record(duration) }
        }
        if let error = result.error {
            if error.kind == .timeout { timedOut += 1 }
            errorCounts[error.kind, default: ErrorTally(count: 0, example: error.message)].count += 1
            return
        }
        statusCounts[result.status, default: 0] += 1
        if let version = result.httpVersion { httpVersions[version, default: 0] += 1 }
        latency.record(result.latency)
        if let corrected = result.correctedLatency { correctedLatency.record(corrected) }
        fastest = min(fastest ?? result.latency, result.latency)
        slowest = max(slowest ?? result.latency, result.latency)
    }

    /// Failed plus errored: every completed request that did not succeed.
    public var unsuccessful: Int { total.failed + total.errored }

    /// Share of completed requests that succeeded, from 0 to 100.
    public var successPercent: Double {
        total.completed == 0 ? 0 : Double(total.succeeded) * 100 / Double(total.completed)
    }

    /// Completed requests per second of wall time.
    public var requestsPerSecond: Double { perSecond(total.completed) }
    /// Body bytes received per second of wall time.
    public var bytesPerSecond: Double { perSecond(bytes) }
    /// Body bytes sent per second of wall time.
    public var bytesSentPerSecond: Double { perSecond(bytesSent) }

    private func perSecond(_ count: Int) -> Double {
        let seconds = duration.seconds
        return seconds > 0 ? Double(count) / seconds : 0
    }

    /// Mean latency of the requests that got a response.
    public var meanLatency: Duration? { total.meanLatency }

    /// Whether the run went through (not interrupted) and every request that completed succeeded.
    public var allSucceeded: Bool {
        !interrupted && total.completed > 0 && total.succeeded == total.completed
    }

    /// Requests that were never handed to libcurl.
    public var neverStarted: Int? {
        requested.map { $0 - started }
    }

    /// The percentiles every report shows.
    public static let reportedPercentiles: [Double] = [50, 75, 90, 95, 99, 99.9, 99.99]
}
