/// How many requests ended which way, and the latency of those that got a response: kept once for
/// the whole run (`Summary.total`) and once per target (`Summary.perTarget`).
public struct Tally: Sendable, Equatable {
    /// Requests that ended with a result (a response or a transport error).
    public var completed = 0
    /// Completed with a status below 400.
    public var succeeded = 0
    /// Completed with a status of 400 or more.
    public var failed = 0
    /// Ended with a transport error (connect, timeout, DNS, TLS, reset, ...).
    public var errored = 0
    /// Sum of the latencies of the requests that got a response, for the exact mean.
    public var totalLatency: Duration = .zero
    /// The latencies of the requests that got a response, when this tally keeps them: a target's
    /// does in a run of several targets (the first `Summary.targetsWithLatency`); the run's own
    /// are `Summary.latency`.
    public var latency: LatencyHistogram?
    /// Under a rate, the corrected latencies of the same responses, when this tally keeps latency.
    public var correctedLatency: LatencyHistogram?

    public init(keepingLatency: Bool = false) {
        latency = keepingLatency ? LatencyHistogram() : nil
    }

    /// Counts one result.
    public mutating func record(_ result: RequestResult) {
        completed += 1
        if result.error != nil {
            errored += 1
            return
        }
        if result.succeeded { succeeded += 1 } else { failed += 1 }
        totalLatency += result.latency
        // Through optional chaining, in place: comparing a histogram with nil copies it.
        guard latency?.record(result.latency) != nil else { return }
        if let corrected = result.correctedLatency {
            if correctedLatency?.record(corrected) == nil {
                correctedLatency = LatencyHistogram()
                correctedLatency?.record(corrected)
            }
        }
    }

    /// Mean latency of the requests that got a response.
    public var meanLatency: Duration? {
        succeeded + failed == 0 ? nil : totalLatency / (succeeded + failed)
    }
}

extension Tally {
    /// Adds `other`'s counts: the tally of both sets of requests.
    public mutating func add(_ other: Tally) {
        completed += other.completed
        succeeded += other.succeeded
        failed += other.failed
        errored += other.errored
        totalLatency += other.totalLatency
        if let theirs = other.latency {
            if latency == nil { latency = theirs } else { latency?.merge(theirs) }
        }
        if let theirs = other.correctedLatency {
            if correctedLatency == nil { correctedLatency = theirs } else { correctedLatency?.merge(theirs) }
        }
    }
}
