import Dispatch
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Hit
import Synchronization

/// One line on stderr, redrawn four times a second while a run goes on: done/total (or elapsed/
/// duration), the current rate, errors so far, time left. Only for a terminal; cleared before the
/// report.
/// `@unchecked Sendable`: its counters are atomics and its redraw state is under a mutex; the timer
/// (a Dispatch source, not marked Sendable) is touched only in `init` and `stop()`.
final class ProgressLine: @unchecked Sendable {
    private let completed = Atomic<Int>(0)
    private let errors = Atomic<Int>(0)
    private let total: Int?
    private let duration: Duration?
    private let started = ContinuousClock.now
    private let queue = DispatchQueue(label: "hit.progress")
    private let timer: any DispatchSourceTimer
    /// The previous redraw's count and time, for the current rate.
    private let previous = Mutex<(count: Int, at: ContinuousClock.Instant)?>(nil)

    /// A progress line if stderr is a terminal and `quiet` is off; `nil` otherwise.
    static func start(options: Options, quiet: Bool) -> ProgressLine? {
        guard !quiet, isatty(STDERR_FILENO) == 1 else { return nil }
        return ProgressLine(total: options.requests, duration: options.duration)
    }

    private init(total: Int?, duration: Duration?) {
        self.total = total
        self.duration = duration
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        timer.setEventHandler { [weak self] in self?.redraw() }
        timer.resume()
    }

    /// Counts one result; called on the aggregate stage's thread.
    func record(_ result: RequestResult) {
        completed.add(1, ordering: .relaxed)
        if !result.succeeded { errors.add(1, ordering: .relaxed) }
    }

    /// Stops redrawing and clears the line.
    func stop() {
        timer.cancel()
        queue.sync {}  // a redraw under way finishes first
        Self.write("\r\u{1B}[K")
    }

    private func redraw() {
        let now = ContinuousClock.now
        let done = completed.load(ordering: .relaxed)
        let elapsed = started.duration(to: now)
        let rate: Double = previous.withLock { previous in
            defer { previous = (done, now) }
            guard let (count, at) = previous else { return elapsed.seconds > 0 ? Double(done) / elapsed.seconds : 0 }
            let seconds = at.duration(to: now).seconds
            return seconds > 0 ? Double(done - count) / seconds : 0
        }
        var parts: [String] = []
        var left: Double?
        if let total {
            parts.append("\(done)/\(total)")
            if rate > 0 { left = Double(total - done) / rate }
        }
        if let duration {
            parts.append(Formatting.duration(elapsed) + "/" + Formatting.duration(duration))
            let remaining = max(0, (duration - elapsed).seconds)
            left = min(left ?? remaining, remaining)
        }
        parts.append(String(cFormat: "%.0f req/s", rate))
        parts.append("\(errors.load(ordering: .relaxed)) errors")
        if let left, let remaining = Duration(secondsValue: min(left, 1e12)) { parts.append(Formatting.duration(remaining) + " left") }
        Self.write("\r\u{1B}[K" + parts.joined(separator: "  "))
    }

    private static func write(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
