import Synchronization

/// The run's metrics as an exporter sends them, kept as the results come: latency histograms per
/// attribute set (target, status or error, HTTP version), corrected latency and lateness under a
/// rate, the phases, and the counters. Two copies are kept: since the run's start (cumulative
/// temporality) and since the last push (delta). Bounded: at most `maximumSeries` attribute sets;
/// later ones go to one set marked `otel.metric.overflow`, as OpenTelemetry's SDKs do.
final class MetricsRecorder: Sendable {
    /// What tells one series of `http.client.request.duration` from another.
    struct SeriesKey: Hashable, Sendable {
        /// The target's index; -1 for the overflow set.
        var target: Int
        /// The status, or 0 with an error.
        var status: Int
        /// The error kind (`TransferError.Kind.rawValue`), or "" with a status.
        var error: String
        /// "1.1", "2", "3", or "" when no response came.
        var version: String
    }

    struct Figures: Sendable {
        var duration: [SeriesKey: LatencyHistogram] = [:]
        var corrected = LatencyHistogram()
        var lateness = LatencyHistogram()
        var phases: [Phase: LatencyHistogram] = [:]
        var completed = 0
        var sent = 0
        var inFlight = 0
        /// Each series' sum of latencies, exactly (µs): a histogram's buckets round them.
        var durationSum: [SeriesKey: Int64] = [:]

        /// The series of `duration`, in a stable order: by target, status, error and version.
        var durationKeys: [SeriesKey] {
            duration.keys.sorted { ($0.target, $0.status, $0.error, $0.version) < ($1.target, $1.status, $1.error, $1.version) }
        }

        mutating func record(_ result: RequestResult, key: SeriesKey) {
            duration[key, default: LatencyHistogram()].record(result.latency)
            durationSum[key, default: 0] += result.latency.microsecondsValue
            if let corrected = result.correctedLatency { self.corrected.record(corrected) }
            if let lateness = result.lateness { self.lateness.record(lateness) }
            for phase in Phase.allCases {
                if let value = result.phases[phase] { phases[phase, default: LatencyHistogram()].record(value) }
            }
            completed += 1
        }
    }

    static let maximumSeries = 200

    private let state = Mutex<(cumulative: Figures, delta: Figures)>((Figures(), Figures()))

    init() {}

    /// Counts `result`, on the aggregator's thread.
    func record(_ result: RequestResult) {
        var key = SeriesKey(target: result.target, status: result.error == nil ? result.status : 0,
                            error: result.error?.kind.rawValue ?? "", version: result.httpVersion.map(Self.version) ?? "")
        state.withLock { state in
            if state.cumulative.duration[key] == nil, state.cumulative.duration.count >= Self.maximumSeries {
                key = SeriesKey(target: -1, status: 0, error: "", version: "")
            }
            state.cumulative.record(result, key: key)
            state.delta.record(result, key: key)
        }
    }

    /// Counts an interval of the timeline as it closes: the requests sent in it, and those in
    /// flight at its end.
    func record(_ interval: Timeline.Interval) {
        state.withLock { state in
            state.cumulative.sent += interval.sent
            state.delta.sent += interval.sent
            state.cumulative.inFlight = interval.inFlight
            state.delta.inFlight = interval.inFlight
        }
    }

    /// The run has ended: `sent` requests were sent in all (the intervals closed at its end are
    /// not counted one by one), none is in flight.
    func finish(sent: Int) {
        state.withLock { state in
            state.delta.sent += max(0, sent - state.cumulative.sent)
            state.cumulative.sent = max(state.cumulative.sent, sent)
            state.cumulative.inFlight = 0
            state.delta.inFlight = 0
        }
    }

    /// What to push: since the start, or since the last push (which then starts again).
    func take(delta: Bool) -> Figures {
        state.withLock { state in
            guard delta else { return state.cumulative }
            let taken = state.delta
            state.delta = Figures()
            state.delta.inFlight = taken.inFlight
            return taken
        }
    }

    /// The version as OpenTelemetry's `network.protocol.version` writes it.
    static func version(_ version: HTTPVersion) -> String {
        switch version {
        case .http1_0: "1.0"
        case .http1_1: "1.1"
        case .http2: "2"
        case .http3: "3"
        }
    }
}
