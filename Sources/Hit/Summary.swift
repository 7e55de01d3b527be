/// What a run amounted to: the aggregate stage's running totals, in memory that does not grow
/// with the number of requests.
public struct Summary: Sendable, Equatable {
    /// Requests the run was asked to send.
    public var requested: Int
    /// Requests handed to libcurl.
    public var started = 0
    /// Requests that ended with a result (a response or a transport error).
    public var completed = 0
    /// Completed with a status below 400.
    public var succeeded = 0
    /// Completed with a status of 400 or more.
    public var failed = 0
    /// Ended with a transport error (refused, reset, timed out, ...).
    public var errored = 0
    /// In flight when the run was interrupted, and aborted.
    public var abandoned = 0
    /// Whether the run was cancelled before every request completed.
    public var interrupted = false
    /// Body bytes received.
    public var bytes = 0
    /// Wall time from the start of the run to its end.
    public var duration: Duration = .zero
    public var fastest: Duration?
    public var slowest: Duration?
    /// Sum of all latencies, for the mean.
    public var totalLatency: Duration = .zero
    /// How many responses carried each status code.
    public var statusCounts: [Int: Int] = [:]
    /// Transport errors by kind: how many, and the first message seen.
    public var errorCounts: [TransferError.Kind: ErrorTally] = [:]

    public struct ErrorTally: Sendable, Equatable {
        public var count: Int
        public var example: String
    }

    public init(requested: Int) {
        self.requested = requested
    }

    /// Adds one result.
    public mutating func record(_ result: RequestResult) {
        completed += 1
        bytes += result.bytes
        if let error = result.error {
            errored += 1
            errorCounts[error.kind, default: ErrorTally(count: 0, example: error.message)].count += 1
            return
        }
        statusCounts[result.status, default: 0] += 1
        if result.succeeded { succeeded += 1 } else { failed += 1 }
        totalLatency += result.latency
        fastest = min(fastest ?? result.latency, result.latency)
        slowest = max(slowest ?? result.latency, result.latency)
    }

    /// Failed plus errored: every request that did not succeed.
    public var unsuccessful: Int { failed + errored }

    /// Share of completed requests that succeeded, from 0 to 100.
    public var successPercent: Double {
        completed == 0 ? 0 : Double(succeeded) * 100 / Double(completed)
    }

    /// Completed requests per second of wall time.
    public var requestsPerSecond: Double {
        let seconds = duration.seconds
        return seconds > 0 ? Double(completed) / seconds : 0
    }

    /// Mean latency of the requests that got a response.
    public var meanLatency: Duration? {
        let responses = succeeded + failed
        return responses == 0 ? nil : totalLatency / responses
    }

    /// Whether every requested request completed and succeeded.
    public var allSucceeded: Bool {
        !interrupted && completed == requested && succeeded == completed
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
