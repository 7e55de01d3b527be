/// How to send: how many requests, how many at once, and how fast.
public struct Options: Sendable, Equatable {
    /// Requests to send in all (the Go original's `-n`).
    public var requests: Int
    /// Workers sending at the same time (`-c`); each keeps its own connection alive.
    public var concurrency: Int
    /// One rate limit for the whole run, in requests per second across all workers;
    /// `nil` sends as fast as the workers go.
    public var rate: Double?
    /// The longest one request may take before it counts as timed out; `nil` for no limit.
    public var timeout: Duration?

    public init(requests: Int = 100, concurrency: Int = 1, rate: Double? = nil, timeout: Duration? = .seconds(20)) {
        self.requests = requests
        self.concurrency = concurrency
        self.rate = rate
        self.timeout = timeout
    }
}

extension Options {
    /// Why a set of options cannot run.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case requestsNotPositive(Int)
        case concurrencyNotPositive(Int)
        case concurrencyAboveRequests(concurrency: Int, requests: Int)
        case rateNotPositive(Double)

        public var description: String {
            switch self {
            case .requestsNotPositive(let n): "-n must be a positive whole number, not \(n)"
            case .concurrencyNotPositive(let c): "-c must be a positive whole number, not \(c)"
            case .concurrencyAboveRequests(let c, let n): "-c \(c) is more than -n \(n): there would be more workers than requests"
            case .rateNotPositive(let r): "-rps must be a positive, finite number, not \(r == r.rounded(.towardZero) && r.isFinite ? String(Int(r)) : String(r)) (leave -rps out for no limit)"
            }
        }
    }

    /// Checks the options as the Go original does: positive numbers, and no more workers than requests.
    public func validate() throws(Problem) {
        guard requests > 0 else { throw .requestsNotPositive(requests) }
        guard concurrency > 0 else { throw .concurrencyNotPositive(concurrency) }
        guard concurrency <= requests else { throw .concurrencyAboveRequests(concurrency: concurrency, requests: requests) }
        if let rate, !(rate > 0 && rate.isFinite) { throw .rateNotPositive(rate) }
    }
}
