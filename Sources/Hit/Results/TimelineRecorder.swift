import Dispatch
import Synchronization

/// Builds a run's `Timeline` as it goes: the aggregate stage records each result into the current
/// interval; a timer on the run's clock closes the interval at each boundary (with the pipeline's
/// count of requests sent by then), and `finish` closes the last one when the run ends.
///
/// Memory stays bounded: the interval being filled holds two histograms (reset, not reallocated,
/// at each boundary); a closed interval keeps only its figures and encoded histograms.
final class TimelineRecorder: Sendable {
    private let state: Mutex<State>
    private let runStart: DispatchTime
    private let interval: Duration

    private struct State {
        var timeline: Timeline
        var current: Timeline.Interval
        var latency = LatencyHistogram()
        var corrected = LatencyHistogram()
        /// Requests sent, and results recorded, up to the end of the last closed interval.
        var sentBefore = 0
        var completedBefore = 0
        var finished = false
    }

    /// `startUnixNanoseconds`: the wall-clock time at `runStart`.
    init(interval: Duration, runStart: DispatchTime, startUnixNanoseconds: Int64) {
        self.interval = interval
        self.runStart = runStart
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

    /// Closes every interval that has ended by `now`; `sent` is the requests handed to libcurl so
    /// far. Called by the boundary timer.
    /// Returns the intervals it closed.
    func closeIntervals(endedBy now: DispatchTime, sent: Int) -> ArraySlice<Timeline.Interval> {
        let elapsed = now.elapsed(since: runStart)
        return state.withLock(for: self) { state in
            guard !state.finished else { return [] }
            let before = state.timeline.intervals.count
            while state.current.offset + interval <= elapsed {
                close(&state, length: interval, sent: sent)
            }
            return state.timeline.intervals[before...]
        }
    }

    /// Closes the last interval at `end`, the run's end, and returns the timeline.
    func finish(at end: DispatchTime, sent: Int) -> Timeline {
        let elapsed = end.elapsed(since: runStart)
        return state.withLock(for: self) { state in
            guard !state.finished else { return state.timeline }
            while state.current.offset + interval < elapsed {
                close(&state, length: interval, sent: sent)
            }
            let length = elapsed - state.current.offset
            if length > .zero || state.timeline.intervals.isEmpty {
                close(&state, length: max(length, .zero), sent: sent)
            }
            state.finished = true
            return state.timeline
        }
    }

    private func close(_ state: inout State, length: Duration, sent: Int) {
        var closing = state.current
        closing.length = length
        closing.sent = max(0, sent - state.sentBefore)
        state.sentBefore = max(state.sentBefore, sent)
        state.completedBefore += closing.completed
        closing.inFlight = max(0, state.sentBefore - state.completedBefore)
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
