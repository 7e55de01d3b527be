import FoundationEssentials

/// How much to send: how many requests, how many at once, how fast and for how long.
public struct Options: Sendable, Equatable {
    /// Requests to send in all (the Go original's `-n`); `nil` to send until `duration` ends.
    public var requests: Int?
    /// Workers sending at the same time (`-c`); each keeps its own connection alive.
    public var concurrency: Int
    /// One rate limit for the whole run, in requests per second across all workers;
    /// `nil` sends as fast as the workers go.
    public var rate: Double?
    /// How long to run; with `requests` as well, the run stops at whichever comes first.
    /// At the deadline no new request starts, and requests in flight are aborted and counted as
    /// cut off, neither completed nor failed.
    public var duration: Duration?
    /// Event-loop threads that drive the workers' transfers; `nil` for one per 256 workers up to
    /// one per core (see `Pipeline.defaultLoops(concurrency:)`).
    public var loops: Int?
    /// The length of each interval of the run's `Timeline` (and of the live view's figures).
    public var interval: Duration
    /// Stages of arrival rate (`--stages`): the rate moves linearly through them, starting from
    /// `rate` (or 0). They end the run unless `requests` or `duration` end it first. A request
    /// whose time comes while every worker is busy waits for one and is counted late; one still
    /// waiting at the stages' end is dropped, never sent, and counted as dropped.
    public var stages: [Stage] = []
    /// How the targets' `{{...}}` placeholders are filled for each request; `nil`: the targets
    /// are sent as written, braces and all.
    public var templating: Templating?
    /// What a response must be to succeed beyond arriving (`--expect-status`, `--expect-body`);
    /// `nil`: a status below 400.
    public var checks: ResponseChecks?
    /// Under the closed model (no rate): start the workers evenly over this time (`--ramp-up`).
    public var rampUp: Duration?
    /// This process's part of a run spread over several (`--shard I/N`): `requests`, `concurrency`,
    /// `rate` and `stages` then describe the whole run, and this process sends its share of it.
    public var shard: Shard?
    /// When the schedule starts, in nanoseconds since 1970 (`--start-at`): the run waits for that
    /// wall-clock instant, so that shards on several machines start together. A run that is ready
    /// only after it still counts its schedule from it: the requests due meanwhile go late.
    public var startAt: Int64?

    public init(requests: Int? = 100, concurrency: Int = 1, rate: Double? = nil, duration: Duration? = nil, loops: Int? = nil,
                interval: Duration = .seconds(1)) {
        self.requests = requests
        self.concurrency = concurrency
        self.rate = rate
        self.duration = duration
        self.loops = loops
        self.interval = interval
    }
}

extension Options {
    /// The most workers a run may have: far beyond what one machine's ports and files allow, and
    /// small enough that every count derived from it stays representable.
    public static let maximumConcurrency = 1_000_000
    /// The most event loops: each is a thread, and Dispatch's pool, which also runs the pipeline's
    /// other stages and timers, holds 255.
    public static let maximumLoops = 128
    /// The slowest rate: one request a day. Every due time of a run stays representable in
    /// nanoseconds for hundreds of years of requests.
    public static let minimumRate = 1.0 / 86_400
    /// The fastest rate: ten million requests a second, some hundred times what one machine sends.
    public static let maximumRate = 10_000_000.0
    /// When each request is due: along the stages, or at the constant rate; `nil` when unpaced.
    public var schedule: ArrivalSchedule? {
        if !stages.isEmpty { return ArrivalSchedule(stages: stages, initialRate: rate ?? 0) }
        return rate.map { ArrivalSchedule(rate: $0) }
    }

    /// The most requests the whole run sends (every shard together): `requests`, and at most what
    /// the stages schedule and a feed read once (`Templating.FeedOrder.once`) has rows.
    public var totalRequestLimit: Int? {
        [requests, stages.isEmpty ? nil : schedule?.totalRequests, templating?.requestLimit].compactMap { $0 }.min()
    }

    /// The most requests this process sends: its shard's share of `totalRequestLimit`.
    public var requestLimit: Int? {
        totalRequestLimit.map(processShare(ofRequests:))
    }

    /// This process's part of `total` requests of the whole run: its shard's share, else all.
    public func processShare(ofRequests total: Int) -> Int {
        shard?.share(of: total) ?? total
    }

    /// The constant rate this process sends at: its shard's share of `rate`.
    public var processRate: Double? {
        rate.map { $0 / Double(shard?.count ?? 1) }
    }

    /// The workers this process runs: its shard's share of `concurrency`.
    public var workers: Int {
        shard?.workers(of: concurrency) ?? concurrency
    }

    /// The highest rate this process sends at: its shard's share of the schedule's peak.
    public var processPeakRate: Double? {
        schedule.map { $0.peakRate / Double(shard?.count ?? 1) }
    }

    /// The shortest and longest timeline interval.
    public static let intervals: ClosedRange<Duration> = .milliseconds(10) ... .seconds(3600)

    /// Why a set of options cannot run.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case requestsNotPositive(Int)
        case concurrencyNotPositive(Int)
        case concurrencyAboveRequests(concurrency: Int, requests: Int)
        case rateNotPositive(Double)
        case durationNotPositive
        case unbounded
        case loopsNotPositive(Int)
        case concurrencyTooHigh(Int)
        case loopsTooMany(Int)
        case rateTooLow(Double)
        case rateTooHigh(Double)
        case intervalOutOfRange(Duration)
        case stagesScheduleNothing
        case rampUpWithRate
        case rampUpNotPositive
        case fewerWorkersThanShards(concurrency: Int, shards: Int)
        case fewerRequestsThanShards(requests: Int, shards: Int)

        /// The problem in the library's own terms; the command names the flags instead.
        public var description: String {
            switch self {
            case .requestsNotPositive(let n): "the number of requests must be positive, not \(n)"
            case .concurrencyNotPositive(let c): "the number of workers must be positive, not \(c)"
            case .concurrencyAboveRequests(let c, let n): "\(c) workers are more than the \(n) requests"
            case .rateNotPositive(let r): "the rate must be a positive, finite number of requests per second, not \(Self.plain(r))"
            case .durationNotPositive: "the duration must be positive"
            case .unbounded: "a run needs a number of requests or a duration to end"
            case .loopsNotPositive(let l): "the number of event loops must be positive, not \(l)"
            case .concurrencyTooHigh(let c): "\(c) workers are more than \(Options.maximumConcurrency)"
            case .loopsTooMany(let l): "\(l) event loops are more than \(Options.maximumLoops)"
            case .rateTooHigh(let r): "a rate of \(Self.plain(r)) requests per second is above \(Int(Options.maximumRate))"
            case .stagesScheduleNothing: "the stages schedule no request: every rate is 0"
            case .rampUpWithRate: "a ramp-up of workers (a closed model) does not go with a rate or stages, which set the pace"
            case .rampUpNotPositive: "the ramp-up must be positive"
            case .fewerWorkersThanShards(let c, let n): "\(c) workers are fewer than the \(n) shards: every shard needs one"
            case .fewerRequestsThanShards(let r, let n): "the run's \(r) requests are fewer than its \(n) shards: a shard would send nothing"
            case .intervalOutOfRange(let i): "an interval of \(Formatting.duration(i)) is not from 10ms to 1h"
            case .rateTooLow(let r): "a rate of \(Self.plain(r)) requests per second is below one a day"
            }
        }

        /// A rate as the messages write it: whole numbers without a fraction.
        package static func plain(_ value: Double) -> String {
            value.isFinite && value == value.rounded(.towardZero) && abs(value) < 1e15 ? String(Int(value)) : String(value)
        }
    }

    /// Checks the options as the Go original does: positive numbers, and no more workers than
    /// requests (a run bounded by a duration alone has no such limit).
    public func validate() throws(Problem) {
        try validateGiven()
        if !stages.isEmpty, (schedule?.totalRequests ?? 0) == 0 { throw .stagesScheduleNothing }
        // Under stages, workers only cap the requests in flight: more than the requests is harmless.
        if stages.isEmpty, let requests, concurrency > requests {
            throw .concurrencyAboveRequests(concurrency: concurrency, requests: requests)
        }
        if requests == nil && duration == nil && stages.isEmpty { throw .unbounded }
        if rampUp != nil, rate != nil || !stages.isEmpty { throw .rampUpWithRate }
        if let shard {
            // Too few requests first: -c then defaults to no more than there are.
            if let total = totalRequestLimit, total < shard.count { throw .fewerRequestsThanShards(requests: total, shards: shard.count) }
            if concurrency < shard.count { throw .fewerWorkersThanShards(concurrency: concurrency, shards: shard.count) }
        }
    }

    /// Checks each number as given, before anything is derived from it (the schedule, its
    /// requests, the default workers): every one finite and within its bounds.
    public func validateGiven() throws(Problem) {
        if let requests, requests <= 0 { throw .requestsNotPositive(requests) }
        guard concurrency > 0 else { throw .concurrencyNotPositive(concurrency) }
        if let rate, !(rate > 0 && rate.isFinite) { throw .rateNotPositive(rate) }
        if let duration, duration <= .zero { throw .durationNotPositive }
        if let rampUp, rampUp <= .zero { throw .rampUpNotPositive }
        if let loops, loops <= 0 { throw .loopsNotPositive(loops) }
        if concurrency > Self.maximumConcurrency { throw .concurrencyTooHigh(concurrency) }
        if let loops, loops > Self.maximumLoops { throw .loopsTooMany(loops) }
        if let rate, rate < Self.minimumRate { throw .rateTooLow(rate) }
        if let rate, rate > Self.maximumRate { throw .rateTooHigh(rate) }
        if !Self.intervals.contains(interval) { throw .intervalOutOfRange(interval) }
    }
}
