#if canImport(Glibc)
import Glibc
#endif

/// `--find-max`: the highest request rate that the server keeps up with while every `--fail-if`
/// rule passes.
///
/// It runs steps of `step` at a constant rate (after a `warmUp` whose results are discarded),
/// raises the rate by `growth` until a step fails, then bisects between the last rate that passed
/// and the first that failed until they are within `resolution` of each other, bounded by
/// `maximumRate` and `timeLimit`. A step passes when the rules pass on its own results and the
/// server kept up (``StepPace``): hit sent the asked rate, and completions kept pace with sends.
///
/// It must not mistake its own limit for the server's: a step whose sends fell short of the asked
/// rate (requests dropped, or sent too late), or whose requests went late because every worker was
/// busy, is marked as limited by hit, with the cause (``Limit``). Without a fixed concurrency, workers grow between
/// steps (Little's law: rate × the last step's p99, twice over) and a limited step is run again
/// with more; a step still limited then was limited by hit's CPU, not its workers. With `-c`
/// fixed and every worker busy, the answer says that hit was the limit and suggests a larger
/// `-c`. After a step that failed, one request to each target must be answered before the next
/// step starts: an overloaded server's queue is worked off first.
///
/// Every wait of the search is bounded by what is left of `timeLimit`: a step (with its warm-up)
/// starts only if it can end in time, and the wait for the queue to drain ends when the time does.
public struct CapacitySearch: Sendable {
    public var targets: [Request]
    public var client: ClientOptions
    public var thresholds: [Threshold]
    public var startRate: Double = 10
    public var maximumRate: Double = 100_000
    public var step: Duration = .seconds(5)
    public var warmUp: Duration = .seconds(1)
    /// How close the last pass and the first fail must come, as a fraction of the pass.
    public var resolution: Double = 0.05
    public var timeLimit: Duration = .seconds(600)
    public var growth: Double = 2
    /// Fixed workers (`-c`); `nil` to size them for each step.
    public var concurrency: Int?
    public var interval: Duration = .seconds(1)

    public init(targets: [Request], client: ClientOptions, thresholds: [Threshold]) {
        self.targets = targets
        self.client = client
        self.thresholds = thresholds
    }

    /// One step of the search: a point of the latency–throughput curve.
    public struct Step: Sendable, Equatable {
        public var askedRate: Double
        public var workers: Int
        /// Requests written per second, after the warm-up (``StepPace/sentRate``).
        public var sentRate: Double
        /// Requests completed per second, after the warm-up (``StepPace/completedRate``).
        public var completedRate: Double
        /// Requests in flight when the measured part started, and when it ended.
        public var inFlightAtStart: Int
        public var inFlightAtEnd: Int
        public var p50: Duration?
        /// Corrected for coordinated omission (from each request's intended send time).
        public var p99: Duration?
        public var errorsPercent: Double
        public var passed: Bool
        /// Whether hit sent at least 95% of the asked rate (``StepPace/reachedRate``).
        public var reachedRate: Bool
        /// Whether completions kept pace with sends: the requests in flight did not grow
        /// (``StepPace/keptPace``).
        public var keptPace: Bool
        /// The sends fell short of the asked rate (requests dropped, or sent too late), or requests
        /// went late for want of a free worker: hit, not the server, may have been the limit.
        public var limitedByHit: Bool
        /// What in hit was the limit, when it was.
        public var limit: Limit?
        /// hit's CPU time during the step, as a share of what the cores it may run on could give
        /// (100 = every core busy throughout).
        public var cpuPercent: Double
        /// The rules that failed, as written.
        public var failedRules: [String]
    }

    /// What in hit held a step back.
    public enum Limit: String, Sendable, Equatable {
        /// Every worker was busy, with `-c` fixed (or at hit's most, ``Workers/maximumForSearch``):
        /// a larger `-c` lets more requests wait on the server at once.
        case workers
        /// hit sized its workers for the step and the requests still went late or were not sent:
        /// its event loops did not get the CPU they needed. More workers would not help.
        case cpu
    }

    public struct Outcome: Sendable, Equatable {
        public var steps: [Step]
        /// The highest rate that passed; `nil` when even the first step failed.
        public var maximumRate: Double?
        /// Whether the answer is bounded by hit rather than the server (see `Step.limitedByHit`).
        public var limitedByHit: Bool
        /// Why the search stopped, in one line.
        public var reason: String
        public var interrupted: Bool
    }

    /// Why a search cannot run.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// No rules: nothing says which rates pass.
        case noRules
        /// Rules no rate could fail (their texts).
        case rulesCannotFail([String])
        /// The rates do not run from a positive start up to at most `Options.maximumRate`.
        case ratesOutOfRange
        /// A step, the warm-up or the time limit is not positive, or the resolution not in (0, 1).
        case pacingOutOfRange

        public var description: String {
            switch self {
            case .noRules: "a capacity search needs rules: the service level to keep, e.g. p99>50ms,errors>1%"
            case .rulesCannotFail(let rules): "no rate could fail \(rules.joined(separator: ",")): nothing to search for"
            case .ratesOutOfRange: "the rates must run from a positive start up to at most \(Int(Options.maximumRate)) requests/s"
            case .pacingOutOfRange: "steps, warm-up and time limit must be positive, the resolution between 0 and 100%"
            }
        }
    }

    public func validate() throws(Problem) {
        guard !thresholds.isEmpty else { throw .noRules }
        if thresholds.allSatisfy({ !$0.canFail }) { throw .rulesCannotFail(thresholds.map(\.text)) }
        guard startRate > 0, startRate.isFinite, maximumRate >= startRate, maximumRate <= Options.maximumRate else {
            throw .ratesOutOfRange
        }
        guard step > .zero, warmUp >= .zero, timeLimit > .zero, resolution > 0, resolution < 1 else {
            throw .pacingOutOfRange
        }
    }

    /// Runs the search; `onStep` sees each step as it ends. Cancellation ends it with the curve so far.
    public func run(cancellation: CancellationToken = CancellationToken(),
                    onStep: (Step) -> Void = { _ in }) throws(SetupError) -> Outcome {
        let deadline = ContinuousClock.now + timeLimit
        /// Whether a step and its warm-up still end before the time limit.
        func stepFits() -> Bool { ContinuousClock.now + warmUp + step <= deadline }
        var steps: [Step] = []
        var lastPass: Double?, firstFail: Double?
        var rate = startRate
        var workers = concurrency ?? Workers.forSearchStep(rate: rate, latency: nil)
        var reason = ""
        var limited = false
        var retriedWithMoreWorkers = Set<Double>()
        while true {
            if cancellation.isCancelled { reason = "interrupted"; break }
            if !stepFits() { reason = Self.timeLimitCame; break }
            var step = try runStep(rate: rate, workers: workers, cancellation: cancellation)
            if cancellation.isCancelled { reason = "interrupted"; break }
            // hit's own limit: with workers of its own choosing, try again with more, if time allows.
            if step.limitedByHit, concurrency == nil, workers < Workers.maximumForSearch, !retriedWithMoreWorkers.contains(rate),
               stepFits() {
                retriedWithMoreWorkers.insert(rate)
                workers = min(Workers.maximumForSearch, max(workers * 4, Workers.forSearchStep(rate: rate, latency: step.p99)))
                step = try runStep(rate: rate, workers: workers, cancellation: cancellation)
                if cancellation.isCancelled { reason = "interrupted"; break }
            }
            steps.append(step)
            onStep(step)
            // An overloaded server still works through the queue the step left; one request,
            // answered once that queue is through, keeps the backlog out of the next step.
            if !step.passed {
                switch try drain(until: deadline, cancellation: cancellation) {
                case .drained: break
                case .interrupted: reason = Self.interruptedWhileDraining(after: rate)
                case .timeLimit: reason = Self.timeLimitCame + " " + Self.whileDraining(after: rate)
                }
            }
            if step.passed {
                lastPass = max(lastPass ?? 0, rate)
            } else {
                firstFail = min(firstFail ?? .infinity, rate)
                if step.limitedByHit { limited = true }
            }
            if !reason.isEmpty { break }
            guard let fail = firstFail else {
                if rate >= maximumRate { reason = "every step passed, up to the highest rate (--find-max-rate)"; break }
                rate = min(rate * growth, maximumRate)
                if concurrency == nil { workers = max(workers, Workers.forSearchStep(rate: rate, latency: step.p99)) }
                continue
            }
            guard let pass = lastPass else { reason = "even the first step, \(Self.rate(startRate))/s, failed"; break }
            if (fail - pass) / pass <= resolution {
                reason = "the last pass and the first fail are within \(Self.rate(resolution * 100))%"
                break
            }
            rate = (pass + fail) / 2
            if concurrency == nil { workers = max(workers, Workers.forSearchStep(rate: rate, latency: step.p99)) }
        }
        return Outcome(steps: steps, maximumRate: lastPass, limitedByHit: limited,
                       reason: reason, interrupted: cancellation.isCancelled)
    }

    /// Why the search stopped when its time was up.
    static let timeLimitCame = "the time limit (--find-max-time) came"

    /// What the search was doing after the step at `rate` failed.
    static func whileDraining(after rate: Double) -> String {
        "while waiting for the server's queue to drain after the step at \(Self.rate(rate))/s failed"
    }

    static func interruptedWhileDraining(after rate: Double) -> String {
        "interrupted " + whileDraining(after: rate)
    }

    /// How the wait for an overloaded server's queue ended.
    enum Drain: Equatable {
        /// Every target answered (or its request failed within `-t`, at most a minute).
        case drained
        /// The search's time limit came first.
        case timeLimit
        case interrupted
    }

    /// Sends one request to each target and waits for the answers: at most `-t` (and a minute),
    /// and never past `deadline`.
    private func drain(until deadline: ContinuousClock.Instant, cancellation: CancellationToken) throws(SetupError) -> Drain {
        let left = ContinuousClock.now.duration(to: deadline)
        // libcurl counts in whole milliseconds: less than one left is no time at all.
        guard left >= .milliseconds(1) else { return .timeLimit }
        var client = self.client
        client.timeout = min(client.timeout ?? .seconds(60), .seconds(60))
        let summary = try LoadTest(targets: targets, options: Options(requests: targets.count, concurrency: targets.count, duration: left),
                                   client: client).run(cancellation: cancellation)
        if cancellation.isCancelled { return .interrupted }
        return summary.deadlineReached ? .timeLimit : .drained
    }

    private func runStep(rate: Double, workers: Int, cancellation: CancellationToken) throws(SetupError) -> Step {
        var options = Options(requests: nil, concurrency: workers, rate: rate, duration: warmUp + step)
        options.interval = interval
        let test = LoadTest(targets: targets, options: options, client: client)
        // The step's own results, after the warm-up: what the rules judge.
        var measured = Summary(requested: nil, targets: targets.count, rate: rate)
        var pace = StepPace(start: warmUp, length: step, rate: rate)
        let cpuBefore = ProcessCPU.used(), wallBefore = ContinuousClock.now
        let whole = try test.run(cancellation: cancellation) { result in
            pace.record(result)
            if let due = result.due, due >= warmUp { measured.record(result) }
        }
        let cpuPercent = ProcessCPU.percent(since: cpuBefore, over: wallBefore.duration(to: .now))
        pace.recordUnfinished(whole.abandoned)
        measured.duration = step
        measured.started = measured.completed
        measured.ending = whole.ending.isInterrupted ? whole.ending : .completed
        let verdict = Verdict(measured, thresholds: thresholds, targetNames: targets.map(\.name))
        // hit's limit: sends short of the asked rate (requests dropped or sent too late to count),
        // or late while every worker was busy (late alone may be the machine's scheduling; busy
        // alone is a server that takes its time, with workers to spare). A request or two dropped
        // at the step's deadline, when the machine is busy, leaves the rate reached.
        // An event loop saturated (GeneratorLoad.saturated) is hit's limit too, as in a run's report.
        let limitedByHit = !pace.reachedRate || whole.generator?.saturated == true
            || (whole.allWorkersWereBusy && whole.late * 20 > max(1, whole.completed) && whole.lateness.percentile(90) > .milliseconds(5))
        return Step(askedRate: rate, workers: workers, sentRate: pace.sentRate, completedRate: pace.completedRate,
                    inFlightAtStart: pace.inFlightAtStart, inFlightAtEnd: pace.inFlightAtEnd,
                    p50: measured.correctedLatency.isEmpty ? nil : measured.correctedLatency.percentile(50),
                    p99: measured.correctedLatency.isEmpty ? nil : measured.correctedLatency.percentile(99),
                    errorsPercent: measured.completed == 0 ? 0 : Double(measured.unsuccessful) * 100 / Double(measured.completed),
                    passed: verdict.outcome == .passed && !limitedByHit && pace.keptPace,
                    reachedRate: pace.reachedRate, keptPace: pace.keptPace, limitedByHit: limitedByHit,
                    limit: limitedByHit ? limit(allWorkersBusy: whole.allWorkersWereBusy, workers: workers) : nil,
                    cpuPercent: cpuPercent,
                    failedRules: verdict.thresholds.filter(\.failed).map(\.threshold.text))
    }

    /// What held back a step limited by hit: its workers when they were all busy and their number
    /// was fixed (`-c`) or at hit's most; else, since hit sized them for the step, its CPU.
    func limit(allWorkersBusy: Bool, workers: Int) -> Limit {
        allWorkersBusy && (concurrency != nil || workers >= Workers.maximumForSearch) ? .workers : .cpu
    }

    static func rate(_ value: Double) -> String {
        value >= 100 || value == value.rounded() ? String(cFormat: "%.0f", value) : String(cFormat: "%.1f", value)
    }
}
