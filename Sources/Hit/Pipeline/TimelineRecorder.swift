import Dispatch
import Synchronization

/// Builds a run's `Timeline` as it goes: the aggregate stage records each result into the current
/// interval; a timer on the run's clock closes the interval at each boundary, and `finish` closes
/// the last one when the run ends. The requests sent in an interval and those in flight at its end
/// come from the run's `SendMeter`, which counts each request when it is written.
///
/// Memory stays bounded: the interval being filled holds two histograms (emptied
/// at each boundary); a closed interval keeps only its figures and encoded histograms, about half
/// a kilobyte; and once `maximumIntervals` have closed, every pair of neighbours is merged into
/// one interval twice as long (the timeline's interval doubles), so that a long run at a short
/// `--interval` keeps at most `maximumIntervals` of them: about 10 MB, whatever the run's length.
final class TimelineRecorder: Sendable {
    private let state: Mutex<State>
    private let runStart: DispatchTime
    private let meter: SendMeter?

    /// The most intervals a timeline keeps before it coarsens.
    static let maximumIntervals = 20_000

    private struct State {
        var timeline: Timeline
        var current: Timeline.Interval
        var latency = LatencyHistogram()
        var corrected = LatencyHistogram()
        /// Responses of the current interval by status class: 1xx to 5xx at 1 to 5, any other at 0.
        var statusClasses = [Int](repeating: 0, count: 6)
        var finished = false
        /// The length of an interval now: the base interval × `factor`.
        var interval: Duration
        var factor = 1
        /// The next base interval whose sends the meter holds.
        var nextBaseIndex = 0
    }

    /// `startUnixNanoseconds`: the wall-clock time at `runStart`; `meter`: what was sent when
    /// (without one, intervals count nothing sent).
    init(interval: Duration, runStart: DispatchTime, startUnixNanoseconds: Int64, meter: SendMeter? = nil) {
        self.runStart = runStart
        self.meter = meter
        state = Mutex(State(timeline: Timeline(interval: interval, startUnixNanoseconds: startUnixNanoseconds),
                            current: Timeline.Interval(offset: .zero, length: interval), interval: interval))
    }

    /// Counts `result` in the current interval. The interval is changed in place (a copy would
    /// copy its dictionaries at each result), and a status's class is counted by number, named
    /// only when the interval closes.
    func record(_ result: RequestResult) {
        state.withLock(for: self) { state in
            guard !state.finished else { return }
            state.current.completed += 1
            state.current.bytes += result.bytes
            if let lateness = result.lateness, lateness > Summary.lateAfter {
                state.current.late += 1
                state.current.latenessMax = max(state.current.latenessMax ?? .zero, lateness)
            }
            if let error = result.error {
                state.current.transportErrors += 1
                if error.kind == .timeout { state.current.timeouts += 1 }
                state.current.errorKinds[error.kind.rawValue, default: 0] += 1
            } else {
                if result.succeeded { state.current.succeeded += 1 } else { state.current.failedByStatus += 1 }
                state.statusClasses[Self.statusClassIndex(result.status)] += 1
                state.latency.record(result.latency)
                if let corrected = result.correctedLatency { state.corrected.record(corrected) }
            }
        }
    }

    /// Closes every interval that has ended by `now`. Called by the boundary timer, just after
    /// each boundary: the requests in flight then stand for those at the boundary.
    /// Returns the intervals it closed.
    func closeIntervals(endedBy now: DispatchTime) -> ArraySlice<Timeline.Interval> {
        let elapsed = now.elapsed(since: runStart)
        let inFlight = meter?.inFlight ?? 0
        return state.withLock(for: self) { state in
            guard !state.finished else { return [] }
            var closed: [Timeline.Interval] = []
            while state.current.offset + state.interval <= elapsed {
                close(&state, length: state.interval, inFlight: inFlight)
                if let last = state.timeline.intervals.last { closed.append(last) }
                coarsenIfFull(&state)
            }
            return closed[...]
        }
    }

    /// Closes the last interval at `end`, the run's end, and returns the timeline. `inFlight`: the
    /// requests in flight when the run ended (those aborted then).
    func finish(at end: DispatchTime, inFlight: Int) -> Timeline {
        let elapsed = end.elapsed(since: runStart)
        return state.withLock(for: self) { state in
            guard !state.finished else { return state.timeline }
            while state.current.offset + state.interval < elapsed {
                close(&state, length: state.interval, inFlight: inFlight)
                coarsenIfFull(&state)
            }
            let length = elapsed - state.current.offset
            if length > .zero || state.timeline.intervals.isEmpty {
                close(&state, length: max(length, .zero), inFlight: inFlight)
            }
            state.finished = true
            return state.timeline
        }
    }

    private func close(_ state: inout State, length: Duration, inFlight: Int) {
        var closing = state.current
        closing.length = length
        closing.partial = length < state.interval
        closing.hasRates = !closing.partial || length * 2 >= state.interval || state.timeline.intervals.isEmpty
        // The base intervals this one spans, up to the run's end for the last.
        var sent = 0
        while state.nextBaseIndex < (state.timeline.intervals.count + 1) * state.factor {
            sent += meter?.take(interval: state.nextBaseIndex) ?? 0
            state.nextBaseIndex += 1
        }
        closing.sent = sent
        closing.inFlight = inFlight
        for (index, count) in state.statusClasses.enumerated() where count > 0 {
            closing.statusClasses[Self.statusClassNames[index], default: 0] += count
        }
        for index in state.statusClasses.indices { state.statusClasses[index] = 0 }
        closing.latency = Timeline.Percentiles(state.latency)
        closing.correctedLatency = Timeline.Percentiles(state.corrected)
        if !state.latency.isEmpty { closing.encodedLatency = HdrHistogramV2(state.latency).base64Encoded() }
        if !state.corrected.isEmpty { closing.encodedCorrectedLatency = HdrHistogramV2(state.corrected).base64Encoded() }
        state.timeline.intervals.append(closing)
        state.latency.reset()
        state.corrected.reset()
        state.current = Timeline.Interval(offset: closing.offset + length, length: state.interval)
    }

    /// Once `maximumIntervals` have closed, merges every pair of neighbours into one interval twice
    /// as long, and makes the intervals to come as long.
    private func coarsenIfFull(_ state: inout State) {
        guard state.timeline.intervals.count >= Self.maximumIntervals else { return }
        let intervals = state.timeline.intervals
        state.timeline.intervals = stride(from: 0, to: intervals.count, by: 2).map { index in
            guard index + 1 < intervals.count else { return intervals[index] }
            return intervals[index].followed(by: intervals[index + 1])
        }
        state.interval = state.interval * 2
        state.factor *= 2
        state.timeline.interval = state.interval
        state.current.length = state.interval
    }

    /// A status's class as an index into `statusClassNames`.
    static func statusClassIndex(_ status: Int) -> Int {
        (100...599).contains(status) ? status / 100 : 0
    }

    static let statusClassNames = ["other", "1xx", "2xx", "3xx", "4xx", "5xx"]
}
