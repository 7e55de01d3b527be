/// Whether the server kept up during one step of a capacity search: hit sent at the asked rate,
/// and the server completed requests as fast as they were sent.
///
/// It counts the step's measured part, from the end of the warm-up (`start`) for `length`, from
/// each request's own times: a request is *sent* in it when it was written in it, and *completed*
/// in it when its response ended in it. A request still in flight when the step ended (aborted at
/// its deadline) counts as sent in it. So `sent − completed` is exactly how much the requests in
/// flight grew over the measured part: the queue that built up in the server (or on the way to it).
///
/// A step kept up when both hold:
/// - **the asked rate was sent**: at least `1 − rateTolerance` (95%) of the requests due in the
///   measured part were sent in it, give or take one request at its edges;
/// - **completions kept pace with sends**: the requests in flight grew by at most `queueTolerance`
///   (2%) of the requests sent, and at least `queueAllowance` (3) requests of jitter are allowed.
///   At a constant rate a server that keeps up holds as many requests in flight at the end as at
///   the start; one that falls behind by 3% of the rate grows its queue by 3% of the requests sent,
///   however short the step, long before the growing queue shows in a percentile.
///
/// A response slower than the warm-up is still filling the pipe when the measured part starts,
/// which counts as growth: give such a service a longer `--find-max-warm-up`.
public struct StepPace: Sendable, Equatable {
    /// Where the measured part starts, from the start of the step (the warm-up's length).
    public let start: Duration
    /// How long the measured part lasts.
    public let length: Duration
    /// The asked rate, requests per second.
    public let rate: Double
    /// Requests written during the measured part (and those still in flight at its end).
    public private(set) var sent = 0
    /// Responses (or transport errors) that ended during the measured part.
    public private(set) var completed = 0
    /// Requests in flight when the measured part started, and when it ended.
    public private(set) var inFlightAtStart = 0
    public private(set) var inFlightAtEnd = 0

    /// How far the sends may fall short of the asked rate: 5%.
    public static let rateTolerance = 0.05
    /// How far the requests in flight may grow, as a share of the requests sent: 2%.
    public static let queueTolerance = 0.02
    /// How far they may grow in any case, for the jitter of a few requests: 3.
    public static let queueAllowance = 3

    public init(start: Duration, length: Duration, rate: Double) {
        self.start = start
        self.length = length
        self.rate = rate
    }

    private var end: Duration { start + length }

    /// Counts one request, written at `sentAt` and ended at `endedAt` (from the start of the step).
    public mutating func record(sentAt: Duration, endedAt: Duration) {
        if sentAt >= start, sentAt < end { sent += 1 }
        if endedAt >= start, endedAt < end { completed += 1 }
        if sentAt < start, endedAt >= start { inFlightAtStart += 1 }
        if sentAt < end, endedAt >= end { inFlightAtEnd += 1 }
    }

    /// Counts one result of the step's run.
    public mutating func record(_ result: RequestResult) {
        // The end as the run measured it: due + corrected latency is the moment libcurl ended the transfer.
        let ended = result.due.flatMap { due in result.correctedLatency.map { due + $0 } } ?? result.offset + result.latency
        record(sentAt: result.offset, endedAt: ended)
    }

    /// Counts `count` requests that were still in flight when the step ended, and were aborted.
    public mutating func recordUnfinished(_ count: Int) {
        sent += count
        inFlightAtEnd += count
    }

    /// Requests due in the measured part: request i is due at i ÷ rate.
    public var due: Int {
        Int((end.seconds * rate).rounded(.up)) - Int((start.seconds * rate).rounded(.up))
    }

    /// Requests written per second during the measured part.
    public var sentRate: Double { length > .zero ? Double(sent) / length.seconds : 0 }
    /// Requests completed per second during the measured part.
    public var completedRate: Double { length > .zero ? Double(completed) / length.seconds : 0 }
    /// How much the requests in flight grew over the measured part (`sent − completed`).
    public var queueGrowth: Int { inFlightAtEnd - inFlightAtStart }

    /// Whether hit sent the asked rate: at least 95% of the requests due, give or take one.
    public var reachedRate: Bool {
        Double(sent + 1) >= Double(due) * (1 - Self.rateTolerance)
    }

    /// Whether completions kept pace with sends: the queue grew by at most 2% of the requests sent, or 3.
    public var keptPace: Bool {
        queueGrowth <= Swift.max(Self.queueAllowance, Int((Double(sent) * Self.queueTolerance).rounded(.down)))
    }
}
