/// What a run amounted to: the aggregate stage's running totals, in memory that does not grow
/// with the number of requests (latencies live in fixed-size HDR histograms).
@dynamicMemberLookup
public struct Summary: Sendable, Equatable {
    /// Requests the run was asked to send; `nil` for a run bounded by its duration alone.
    public var requested: Int?
    /// The rate the run was paced at (`-rps`), in requests per second; `nil` when unpaced. Under
    /// `--stages`, their peak (and `rateVaries`).
    public var rate: Double?
    /// Whether the rate followed stages (`--stages`) rather than staying at `rate`.
    public var rateVaries = false
    /// Requests handed to libcurl.
    public var started = 0
    /// The run's counts: completed, succeeded, failed, errored, and the latency they add up to.
    /// They read as the summary's own: `summary.completed` is `summary.total.completed`.
    public var total = Tally()
    /// The transport errors that were timeouts (a part of `errored`).
    public var timedOut = 0
    /// In flight when the run was interrupted or reached its deadline, and aborted.
    public var abandoned = 0
    /// Sent a second time, on a fresh connection, because the server closed a kept-alive
    /// connection as the request went out (idempotent methods only; counted once as requests).
    public var retried = 0
    /// How the run ended; the four views below read it.
    public var ending = RunEnding.completed
    /// Whether the run was stopped (Ctrl-C, or by its caller) before every request completed.
    public var interrupted: Bool {
        get { ending.isInterrupted }
        set { ending = newValue ? .interrupted : .completed }
    }
    /// Why an interrupted run was stopped, when it was not the user who stopped it (a stop signal)
    /// but its caller, for a reason of its own: "the reader of the CSV rows went away". Reports
    /// say "stopped" and this reason instead of "interrupted".
    public var stopCause: String? {
        if case .stopped(let cause, _) = ending { return cause }
        return nil
    }
    /// Whether the stop judges the run failed rather than interrupted: its caller stopped it because
    /// it could only fail (every request so far failed TLS certificate verification).
    public var stopFails: Bool {
        if case .stopped(_, let fails) = ending { return fails }
        return false
    }
    /// Whether the run ended because its duration (`-z`) was over.
    public var deadlineReached: Bool {
        get { ending == .deadline }
        set { ending = newValue ? .deadline : .completed }
    }
    /// Body bytes received, after any content decoding.
    public var bytes = 0
    /// Body bytes sent.
    public var bytesSent = 0
    /// Bytes received on the wire: response heads plus bodies as they came, before decoding.
    public var wireBytesReceived = 0
    /// Bytes sent on the wire: request heads plus bodies.
    public var wireBytesSent = 0
    /// When the run's clock starts, in nanoseconds of the system's monotonic clock (CLOCK_MONOTONIC,
    /// `DispatchTime.uptimeNanoseconds`): the origin of the schedule, of every offset and of the
    /// timeline. 0 until the run has started.
    public var startUptimeNanoseconds: UInt64 = 0
    /// Wall time from the start of the run to its end.
    public var duration: Duration = .zero
    /// The fastest and slowest response (exact to the microsecond, as `latency.min` and `.max`).
    public var fastest: Duration? { latency.isEmpty ? nil : latency.min }
    public var slowest: Duration? { latency.isEmpty ? nil : latency.max }
    /// Latencies of the requests that got a response.
    public var latency = LatencyHistogram()
    /// How long the requests that ended in a transport error took to fail (not merged from shards'
    /// reports: a merge leaves it empty).
    public var failureLatency = LatencyHistogram()
    /// In a paced run, the same latencies measured from each request's intended send time:
    /// corrected for coordinated omission. Empty in an unpaced run.
    public var correctedLatency = LatencyHistogram()
    /// In a paced run that ran its course (to its deadline, `-z`, or the stages' end), requests
    /// that were due before the end but never sent (`dropCause`: every worker was busy, or hit did
    /// not keep up): k6's dropped iterations. A dropped request has no latency: it is in no histogram, and corrected
    /// percentiles count it as worse than every response (`correctedPercentile(_:)`).
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
    /// Connections the run's transfers opened (redirects included).
    public var connectionsOpened = 0
    /// The most requests one connection carried (with HTTP/2, streams); 0 when not known.
    public var mostRequestsOnOneConnection = 0
    /// The same accounting per target.
    public var perTarget: [Tally]
    /// The run interval by interval.
    public var timeline = Timeline()
    /// Whether every worker (of an event loop) was busy at some moment: under a rate, requests due
    /// then waited for one, and hit rather than the server may have set the pace.
    public var allWorkersWereBusy = false

    /// Why requests due were dropped: every worker was busy, or (workers were free) hit itself
    /// did not keep up, its loops or the CPU late to take them before the cut-off.
    public var dropCause: String {
        allWorkersWereBusy ? "every worker was busy" : "hit did not keep up"
    }

    /// How hard hit itself worked: its event loops' busy share, its CPU time and peak memory;
    /// `nil` when not measured (a report from before it was).
    public var generator: GeneratorLoad?

    /// Which shards of a run spread over several processes this covers: one under `--shard`,
    /// several after `hit merge`; `nil` for a run in one process.
    public var shards: ShardCoverage?
    /// Under `--start-at`: the instant the schedule started from (nanoseconds since 1970), and how
    /// long after it this process was ready to send (zero when it was ready before and waited).
    /// After a merge, the latest of the shards'.
    public var startAt: Int64?
    public var startedLate: Duration?

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
    /// When the first and the last completed request ended, from the start of the run.
    public var firstEnd: Duration?
    public var lastEnd: Duration?

    /// The least share of a constant asked rate a run must send at to count as having applied its
    /// load (see `loadShortfall`).
    public static let sendRateTolerance = 0.05
    /// How much longer than the schedule a run's sends may take before a rate below
    /// `sendRateTolerance` counts: a stall of a few ms at the end of a short run is not a shortfall.
    public static let sendSpanSlack: Duration = .milliseconds(10)

    /// Why a paced run did not apply the load it asked for, in one line; `nil` when it did. It did
    /// not when any request was dropped (due, never sent), or, at a constant rate, when it sent at
    /// less than `1 − sendRateTolerance` of the rate (and took more than `sendSpanSlack` longer
    /// than the schedule). A run that did not apply its load does not pass: its latencies describe
    /// a lighter load than the one asked for. The send rate of shards merged though they did not
    /// start together (`ShardCoverage.unsynchronized`) spans the gap between their starts: it is
    /// not judged there, their dropped requests are.
    public var loadShortfall: String? {
        guard let rate else { return nil }
        let cause = allWorkersWereBusy ? "\(dropCause); raise -c" : "\(dropCause) (its event loops or this machine's CPU were the limit)"
        if dropped > 0 {
            return "\(dropped) of \(started + dropped) requests due were dropped, never sent: \(cause)"
        }
        guard !rateVaries, shards?.unsynchronized != true, let achieved = achievedSendRate, let firstSend, let lastSend, achieved < rate * (1 - Self.sendRateTolerance)
        else { return nil }
        let scheduled = Double(total.completed - 1) / rate
        guard (lastSend - firstSend).seconds - scheduled > Self.sendSpanSlack.seconds else { return nil }
        let asked = rate == rate.rounded() && rate < 1e15 ? String(Int(rate)) : String(cFormat: "%.2f", rate)
        return String(cFormat: "sent %.1f/s of the ", achieved) + asked + "/s asked: " + cause
    }

    /// Sends per second from the first send to the last, (completed − 1) ÷ (last send − first
    /// send): the rate the schedule achieved. `nil` with fewer than two sends.
    public var achievedSendRate: Double? {
        guard let firstSend, let lastSend, total.completed > 1, lastSend > firstSend else { return nil }
        return Double(total.completed - 1) / (lastSend - firstSend).seconds
    }

    public init(requested: Int?, targets: Int = 1, rate: Double? = nil) {
        self.requested = requested
        self.rate = rate
        perTarget = (0..<max(targets, 1)).map { Tally(keepingLatency: Self.keepsLatency(ofTarget: $0, among: targets)) }
    }

    /// The figures of target `index` alone, as a summary of their own, for rules that judge one
    /// target: its counts and its latency (corrected under a rate), over the run's duration and
    /// span of responses. `nil` when that target kept no latency (see `targetsWithLatency`).
    public func target(_ index: Int) -> Summary? {
        guard perTarget.indices.contains(index), let latency = perTarget[index].latency else { return nil }
        var view = Summary(requested: nil, rate: rate)
        view.rateVaries = rateVaries
        view.total = perTarget[index]
        view.latency = latency
        view.correctedLatency = perTarget[index].correctedLatency ?? LatencyHistogram()
        view.duration = duration
        (view.firstSend, view.lastSend, view.firstEnd, view.lastEnd) = (firstSend, lastSend, firstEnd, lastEnd)
        return view
    }

    /// How many targets (the first ones) keep a latency histogram of their own in a run of several:
    /// each holds about 200 kB, and a targets file may list thousands.
    public static let targetsWithLatency = 100

    /// Whether target `index` of a run of `targets` keeps a latency histogram of its own: in a
    /// run of several, the first `targetsWithLatency` do (a run of one has the run's).
    public static func keepsLatency(ofTarget index: Int, among targets: Int) -> Bool {
        targets > 1 && index < targetsWithLatency
    }

    /// The run's `Tally` counts, read and written as the summary's own.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<Tally, Value>) -> Value {
        get { total[keyPath: keyPath] }
        set { total[keyPath: keyPath] = newValue }
    }

    /// A corrected percentile (0 to 100) over every request that was due: those measured, and the
    /// dropped ones, which were still waiting when the run ended and so rank above every measured
    /// latency. `nil` when it falls among the dropped, or nothing was measured or dropped.
    /// Without dropped requests, `correctedLatency.percentile(_:)`.
    public func correctedPercentile(_ percentile: Double) -> Duration? {
        correctedPercentile(percentile, of: correctedLatency.distribution)
    }

    /// `correctedPercentile(_:)`, from `correctedLatency.distribution` taken once for several.
    public func correctedPercentile(_ percentile: Double, of corrected: LatencyHistogram.Distribution) -> Duration? {
        let measured = correctedLatency.count
        guard dropped > 0 else { return measured == 0 ? nil : corrected.percentile(percentile) }
        let all = Double(measured) + Double(dropped)
        let rank = Swift.max(1, (percentile / 100 * all).rounded(.up))
        guard rank <= Double(measured) else { return nil }
        // The same rank among the measured ones (a half below it, so that HDR's own rounding up
        // lands on it).
        return corrected.percentile(Swift.min(100, (rank - 0.5) / Double(measured) * 100))
    }

    /// Whether a corrected percentile falls among the dropped requests.
    public func correctedPercentileIsDropped(_ percentile: Double) -> Bool {
        dropped > 0 && correctedPercentile(percentile) == nil
    }

    /// Replaces `secrets` in the example messages of transport errors: libcurl's own text may quote
    /// a proxy URL or a header as it was given.
    public mutating func scrubErrorExamples(of secrets: [String]) {
        for (kind, tally) in errorCounts {
            errorCounts[kind]?.example = Redaction.scrub(tally.example, secrets: secrets)
        }
    }

    /// Under a feed read once (`FeedOrder.once`): its rows, when sending each of them once ended
    /// the run (before `-n`, a deadline or an interrupt); `nil` otherwise.
    public var feedUsedUp: Int?

    /// Responses that failed a check (`ResponseChecks`): among `errored`, as the error kind `check`.
    public var failedChecks: Int { errorCounts[.check]?.count ?? 0 }

    /// Adds one result.
    public mutating func record(_ result: RequestResult) {
        total.record(result)
        perTarget[perTarget.indices.contains(result.target) ? result.target : 0].record(result)
        bytes += result.bytes
        bytesSent += result.bytesSent
        wireBytesReceived += result.wireBytesReceived
        wireBytesSent += result.wireBytesSent
        connectionsOpened += result.connectionsOpened
        mostRequestsOnOneConnection = Swift.max(mostRequestsOnOneConnection, result.requestOnConnection)
        firstSend = min(firstSend ?? result.offset, result.offset)
        lastSend = max(lastSend ?? result.offset, result.offset)
        let end = result.offset + result.latency
        firstEnd = min(firstEnd ?? end, end)
        lastEnd = max(lastEnd ?? end, end)
        if let lateness = result.lateness, lateness > Self.lateAfter {
            self.lateness.record(lateness)
        }
        for phase in Phase.allCases {
            if let duration = result.phases[phase] { phases[phase, default: LatencyHistogram()].record(duration) }
        }
        if let error = result.error {
            if error.kind == .timeout { timedOut += 1 }
            // A failed check failed a response: its status and version are counted as every response's.
            if error.kind == .check {
                statusCounts[result.status, default: 0] += 1
                if let version = result.httpVersion { httpVersions[version, default: 0] += 1 }
            }
            errorCounts[error.kind, default: ErrorTally(count: 0, example: error.message)].count += 1
            failureLatency.record(result.latency)
            return
        }
        statusCounts[result.status, default: 0] += 1
        if let version = result.httpVersion { httpVersions[version, default: 0] += 1 }
        latency.record(result.latency)
        if let corrected = result.correctedLatency { correctedLatency.record(corrected) }
    }

    /// Every completed request that did not succeed: failed by status plus transport errors. The
    /// reports call these "errors".
    public var unsuccessful: Int { total.failed + total.errored }

    /// Share of completed requests that succeeded, from 0 to 100; `nil` when nothing completed.
    public var successPercent: Double? {
        total.completed == 0 ? nil : Double(total.succeeded) * 100 / Double(total.completed)
    }

    /// Completed requests per second. Unpaced, over the run's wall time: completed ÷ duration, as
    /// wrk and hey count. Paced, between the first completion and the last, (completed − 1) ÷
    /// (last end − first end), the same window as `achievedSendRate`, so that a run that kept its
    /// schedule shows the same figure for both.
    public var requestsPerSecond: Double {
        if rate != nil, total.completed > 1, let firstEnd, let lastEnd, lastEnd > firstEnd {
            return Double(total.completed - 1) / (lastEnd - firstEnd).seconds
        }
        return perSecond(total.completed)
    }
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

    /// Responses that came in HTTP/1.0 or HTTP/1.1.
    public var http1Responses: Int { responses(below: .http2) }

    /// Responses that came in an HTTP version older than `version`: with HTTP/2 or HTTP/3 asked
    /// for, those libcurl fell back for.
    public func responses(below version: HTTPVersion) -> Int {
        httpVersions.filter { $0.key < version }.values.reduce(0, +)
    }

    /// In an interrupted run of `-n` requests, those never sent: neither started nor dropped. So
    /// the run's requests add up: requested = started + dropped + never started, each counted once.
    /// `nil` for a run that was not interrupted (a deadline or the stages' end is the run's own
    /// end: what would have come after was never due).
    public var neverStarted: Int? {
        guard interrupted, let requested else { return nil }
        return Swift.max(0, requested - started - dropped)
    }

    /// The percentiles every report shows.
    public static let reportedPercentiles: [Double] = [50, 75, 90, 95, 99, 99.9, 99.99]
}
