import Dispatch
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Hit
import Synchronization

/// The live view: one line on stderr, redrawn four times a second while a run goes on, cut to the
/// terminal's width at every redraw (so it never wraps, and follows a resize), and cleared before
/// the report.
///
/// It shows, most important first, what fits: progress (done/total, or elapsed/duration); time
/// left; then from the last closed interval of the timeline, the send rate (against `-rps`),
/// completions per second, p50 and p99, and errors with the mix of status classes. Colour only
/// for errors, and only without `NO_COLOR` on a terminal that is not dumb.
///
/// `@unchecked Sendable`: its counters are atomics and its redraw state is under a mutex; the timer
/// (a Dispatch source, not marked Sendable) is touched only in `init` and `stop()`.
final class ProgressLine: @unchecked Sendable {
    private let completed = Atomic<Int>(0)
    private let errors = Atomic<Int>(0)
    private let total: Int?
    private let duration: Duration?
    private let rate: Double?
    private let colour: Bool
    private let started = ContinuousClock.now
    private let queue = DispatchQueue(label: "hit.progress")
    private let timer: any DispatchSourceTimer
    private let latest = Mutex<Timeline.Interval?>(nil)
    /// The previous redraw's count and time, for the rate before the first interval closes.
    private let previous = Mutex<(count: Int, at: ContinuousClock.Instant)?>(nil)

    /// A live view if stderr is a terminal and `quiet` is off; `nil` otherwise. Not when CSV rows
    /// go to the same terminal on stdout, or into a pipe that may lead there: the rows are the live
    /// view then, and a redrawn line would be glued into them.
    static func start(options: Options, quiet: Bool, csvOnTerminal: Bool) -> ProgressLine? {
        guard !quiet, isatty(STDERR_FILENO) == 1, !csvOnTerminal else { return nil }
        let colour = Terminal.takesColour(STDERR_FILENO)
        // A shard shows its own part: its share of the requests and of the rate. Under --stages
        // the rate changes along the run: no one rate to hold the send rate against.
        return ProgressLine(total: options.requests == nil ? nil : options.requestLimit, duration: options.duration,
                            rate: options.stages.isEmpty ? options.processRate : nil, colour: colour)
    }

    private init(total: Int?, duration: Duration?, rate: Double?, colour: Bool) {
        self.total = total
        self.duration = duration
        self.rate = rate
        self.colour = colour
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

    /// Takes the interval that just closed, for the figures of the next redraws.
    func interval(_ interval: Timeline.Interval) {
        latest.withLock { $0 = interval }
    }

    /// Stops redrawing and clears the line.
    func stop() {
        timer.cancel()
        queue.sync {}  // a redraw under way finishes first
        Self.write("\r\u{1B}[K")
    }

    private func redraw() {
        let line = Self.fit(segments(), width: Terminal.width(of: STDERR_FILENO) - 1)
        Self.write("\r\u{1B}[K" + line)
    }

    /// The segments, most important first: (plain text, the same with colour).
    private func segments() -> [(plain: String, shown: String)] {
        let now = ContinuousClock.now
        let done = completed.load(ordering: .relaxed)
        let elapsed = started.duration(to: now)
        let recentRate: Double = previous.withLock { previous in
            defer { previous = (done, now) }
            guard let (count, at) = previous else { return elapsed.seconds > 0 ? Double(done) / elapsed.seconds : 0 }
            let seconds = at.duration(to: now).seconds
            return seconds > 0 ? Double(done - count) / seconds : 0
        }
        let interval = latest.withLock { $0 }
        let completedRate = interval?.completedRate ?? recentRate
        var out: [(String, String)] = []
        func add(_ text: String, colour code: String? = nil) {
            out.append((text, code.map { colour ? "\u{1B}[\($0)m" + text + "\u{1B}[0m" : text } ?? text))
        }
        var left: Double?
        if let total {
            add("\(done)/\(total)")
            // Under a rate the schedule says how long the rest takes; without one, the recent pace.
            if let rate, rate > 0 {
                left = Double(max(0, total - done)) / rate
            } else if completedRate > 0 {
                left = Double(max(0, total - done)) / completedRate
            }
        }
        if let duration {
            add(Formatting.duration(elapsed) + "/" + Formatting.duration(duration))
            let remaining = max(0, (duration - elapsed).seconds)
            left = min(left ?? remaining, remaining)
        }
        if let left, let remaining = Duration(secondsValue: min(left, 1e12)) { add(Formatting.duration(remaining) + " left") }
        let failures = errors.load(ordering: .relaxed)
        add("\(failures) errors", colour: failures > 0 ? "31" : nil)
        if let sendRate = interval?.sendRate {
            if let rate {
                add(String(cFormat: "sent %.0f/s of %.0f", sendRate, rate), colour: sendRate < rate * 0.9 ? "33" : nil)
            } else {
                add(String(cFormat: "sent %.0f/s", sendRate))
            }
        }
        add(String(cFormat: "%.0f done/s", completedRate))
        if let interval, interval.inFlight > 0 { add("\(interval.inFlight) in flight") }
        // Under a rate the live latencies are corrected for coordinated omission (from each request's
        // intended send time): said, since the final report's first figures are uncorrected.
        if let latency = interval?.correctedLatency {
            add("corrected p50 " + Formatting.duration(latency.p50) + " p99 " + Formatting.duration(latency.p99))
        } else if let latency = interval?.latency {
            add("p50 " + Formatting.duration(latency.p50) + " p99 " + Formatting.duration(latency.p99))
        }
        if let interval, !interval.statusClasses.isEmpty || !interval.errorKinds.isEmpty {
            let mix = interval.statusClasses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                + interval.errorKinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            add(mix.joined(separator: " "))
        }
        return out
    }

    /// The segments that fit in `width` columns, in order, two spaces apart; the first one cut if
    /// even it does not fit.
    static func fit(_ segments: [(plain: String, shown: String)], width: Int) -> String {
        guard width > 0 else { return "" }
        var used = 0
        var shown: [String] = []
        for segment in segments {
            let needed = segment.plain.count + (shown.isEmpty ? 0 : 2)
            if used + needed > width {
                if shown.isEmpty { return String(segment.plain.prefix(width)) }
                continue
            }
            used += needed
            shown.append(segment.shown)
        }
        return shown.joined(separator: "  ")
    }

    private static func write(_ text: String) {
        _ = writeAll(text.utf8, to: STDERR_FILENO)
    }
}
