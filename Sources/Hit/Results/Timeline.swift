/// A run, interval by interval: what was sent, what came back and how fast, for each `interval`
/// of the run from its start (1 s unless `Options.interval` says otherwise).
///
/// Each interval holds the results the aggregate stage recorded during it (a result reaches it
/// within milliseconds of its response), and `sent` counts the requests written during it (as
/// the send meter counts them, at the write). Percentiles come from histograms that are reset at each interval's end; the run's own
/// histograms are not. An interval keeps no histogram, only its percentiles and its histograms'
/// compressed encodings (HdrHistogram V2, a few hundred bytes), so that memory grows by about a
/// half a kilobyte an interval: about 2 MB for an hour at 1 s (measured in TimelineTests).
public struct Timeline: Sendable, Equatable {
    /// The length of every interval but the last, which ends with the run.
    public var interval: Duration
    /// The run's start on the wall clock (UTC), in nanoseconds since 1970: every interval's start
    /// is this plus its offset, so that runs on several machines can be aligned.
    public var startUnixNanoseconds: Int64
    public var intervals: [Interval]

    public init(interval: Duration = .seconds(1), startUnixNanoseconds: Int64 = 0, intervals: [Interval] = []) {
        self.interval = interval
        self.startUnixNanoseconds = startUnixNanoseconds
        self.intervals = intervals
    }

    /// One interval's figures.
    public struct Interval: Sendable, Equatable {
        /// From the run's start.
        public var offset: Duration
        public var length: Duration
        /// Whether it is shorter than the timeline's interval: the run ended during it.
        public var partial = false
        /// Whether its rates mean something: not for a partial interval shorter than half an
        /// interval (a few ms at the end of a run would give thousands a second from a handful),
        /// unless it is the whole run. Every report reads the rates through `sendRate` and
        /// `completedRate`, which are `nil` then.
        public var hasRates = true
        /// Requests written to their connection during the interval (each counted once, when it
        /// went out: a paced request at its due time).
        public var sent = 0
        /// Results recorded during the interval, and how each ended.
        public var completed = 0
        public var succeeded = 0
        public var failedByStatus = 0
        public var transportErrors = 0
        public var timeouts = 0
        /// Responses by status class: "2xx" → count.
        public var statusClasses: [String: Int] = [:]
        /// Transport errors by kind ("connect", "timeout", ...).
        public var errorKinds: [String: Int] = [:]
        /// Body bytes received.
        public var bytes = 0
        /// Requests in flight when the interval ended: written, and not yet ended. Never more than
        /// the workers (with HTTP/2, the streams). For the run's last interval, those aborted at
        /// its end.
        public var inFlight = 0
        /// Under a rate: the requests of the interval that were sent late (more than
        /// `Summary.lateAfter` behind schedule), and the latest of them.
        public var late = 0
        public var latenessMax: Duration?
        /// Latency of the responses of the interval; `nil` when none came.
        public var latency: Percentiles?
        /// Under a rate: latency from each request's intended send time.
        public var correctedLatency: Percentiles?
        /// The interval's latency histograms (µs), HdrHistogram's V2 compressed encoding in base64:
        /// what an interval log (`.hlog`) carries.
        public var encodedLatency: String?
        public var encodedCorrectedLatency: String?

        public init(offset: Duration, length: Duration) {
            self.offset = offset
            self.length = length
        }

        /// Requests sent per second; `nil` without `hasRates`.
        public var sendRate: Double? { hasRates ? perSecond(sent) : nil }
        /// Results per second; `nil` without `hasRates`.
        public var completedRate: Double? { hasRates ? perSecond(completed) : nil }
        /// Completed requests that did not succeed.
        public var errors: Int { failedByStatus + transportErrors }

        private func perSecond(_ count: Int) -> Double {
            length > .zero ? Double(count) / length.seconds : 0
        }
    }

    /// The percentiles an interval keeps.
    public struct Percentiles: Sendable, Equatable {
        public var p50: Duration
        public var p90: Duration
        public var p99: Duration
        public var max: Duration

        public init(p50: Duration, p90: Duration, p99: Duration, max: Duration) {
            self.p50 = p50
            self.p90 = p90
            self.p99 = p99
            self.max = max
        }

        init?(_ histogram: LatencyHistogram) {
            guard !histogram.isEmpty else { return nil }
            let distribution = histogram.distribution
            self.init(p50: distribution.percentile(50), p90: distribution.percentile(90), p99: distribution.percentile(99), max: histogram.max)
        }
    }
}
