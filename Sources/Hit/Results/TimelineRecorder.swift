import Dispatch
import Synchronization

/// Builds a run's `Timeline` as it goes: the aggregate stage records each result into the current
/// interval; a timer on the run's clock closes the interval at each boundary, and `finish` closes
/// the last one when the run ends. The requests sent in an interval and those in flight at its end
/// come from the run's `SendMeter`, which counts each request when it is written.
///
/// Memory stays bounded: the interval being filled holds two histograms (reset, not reallocated,
/// at each boundary); a closed interval keeps only its figures and encoded histograms.
final class TimelineRecorder: Sendable {
    private let state: Mutex<State>
    private let runStart: DispatchTime
    private let interval: Duration
    private let meter: SendMeter?

    private struct State {
        var timeline: Timeline
        var current: Timeline.Interval
        var latency = LatencyHistogram()
        var corrected = LatencyHistogram()
        var finished = false
    }

    /// `startUnixNanoseconds`: the wall-clock time at `runStart`; `meter`: what was sent when
    /// (without one, intervals count nothing sent).
    init(interval: Duration, runStart: DispatchTime, startUnixNanoseconds: Int64, meter: SendMeter? = nil) {
        self.interval = interval
        self.runStart = runStart
        self.meter = meter
        state = Mutex(State(timeline: Timeline(interval: interval, startUnixNanoseconds: startUnixNanoseconds),
                            current: Timeline.Interval(offset: .zero, length: interval)))
    }

    /// Counts `result` in the current interval.
    func record(_ result: RequestResult) {
        state.withLock(for: self) { state in
            guard !state.finished else { return }
            var current = state.current
            current.completed += 1
            current.bytes += result.bytes
            if let lateness = result.lateness, lateness > Summary.lateAfter {
                current.late += 1
                current.latenessMax = max(current.latenessMax ?? .zero, lateness)
            }
            if let error = result.error {
                current.transportErrors += 1
                if error.kind == .timeout { current.timeouts += 1 }
                current.errorKinds[error.kind.rawValue, default: 0] += 1
            } else {
                if result.succeeded { current.succeeded += 1 } else { current.failedByStatus += 1 }
                current.statusClasses[Self.statusClass(result.status), default: 0] += 1
                state.latency.record(result.latency)
                if let corrected = result.correctedLatency { state.corrected.record(corrected) }
            }
            state.current = current
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
            let before = state.timeline.intervals.count
            while state.current.offset + interval <= elapsed {
                close(&state, length: interval, inFlight: inFlight)
            }
            return state.timeline.intervals[before...]
        }
    }

    /// Closes the last interval at `end`, the run's end, and returns the timeline. `inFlight`: the
    /// requests in flight when the run ended (those aborted then).
    func finish(at end: DispatchTime, inFlight: Int) -> Timeline {
        let elapsed = end.elapsed(since: runStart)
        return state.withLock(for: self) { state in
            guard !state.finished else { return state.timeline }
            while state.current.offset + interval < elapsed {
                close(&state, length: interval, inFlight: inFlight)
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
        closing.partial = length < interval
        closing.hasRates = !closing.partial || length * 2 >= interval || state.timeline.intervals.isEmpty
        closing.sent = meter?.take(interval: state.timeline.intervals.count) ?? 0
        closing.inFlight = inFlight
        closing.latency = Timeline.Percentiles(state.latency)
        closing.correctedLatency = Timeline.Percentiles(state.corrected)
        if !state.latency.isEmpty { closing.encodedLatency = HdrHistogramV2(state.latency).base64Encoded() }
        if !state.corrected.isEmpty { closing.encodedCorrectedLatency = HdrHistogramV2(state.corrected).base64Encoded() }
        state.timeline.intervals.append(closing)
        state.latency.reset()
        state.corrected.reset()
        state.current = Timeline.Interval(offset: closing.offset + length, length: interval)
    }

    static func statusClass(_ status: Int) -> String {
        (100...599).contains(status) ? "\(status / 100)xx" : "other"
    }
}
