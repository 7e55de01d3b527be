import Dispatch
import Synchronization

/// The running stages of one load test, wired as the Go original's `runPipeline` is:
///
///     produce → throttle (with a rate or stages) → dispatch → results
///
/// Each stage runs on a Dispatch queue of its own; bounded channels join them. The `results`
/// channel is what the aggregate stage (`aggregate(into:onResult:)`) reads; the dispatch stage
/// closes it once its last event loop has returned.
///
/// Every stage checks `cancellation` before it sends anything downstream and every send is a
/// choice between the send and cancellation, so no stage can block forever. Each stage closes the
/// channel it owns exactly once, after all of its senders have returned.
final class Pipeline: Sendable {
    /// Results of finished requests, in the order they finished.
    let results: Channel<RequestResult>
    let cancellation: CancellationToken
    /// The run's origin on CLOCK_MONOTONIC, taken once after set-up, before any stage starts: the
    /// schedule is `runStart + index / rate`, and every result's offset counts from it.
    let runStart: DispatchTime
    /// Under `--start-at`: how long after the instant the pipeline was ready to start (0 when it
    /// was ready before and waited); `nil` without.
    let startedLate: Duration?
    private let counters = PipelineCounters()
    private let stages = DispatchGroup()
    /// Counts requests as they are written, by interval, and those in flight.
    let meter: SendMeter

    /// Stage threads (producer, throttle, dispatch loops) that have not yet returned.
    var liveStages: Int { counters.liveStages.load(ordering: .acquiring) }
    /// Requests handed to libcurl so far, less those aborted before they were written: once the
    /// run is over, the requests that completed or were aborted in flight.
    var started: Int { counters.started.load(ordering: .relaxed) }
    /// Requests that were in flight (written, no response yet) when the run was cancelled, and
    /// were aborted.
    var abandoned: Int { counters.abandoned.load(ordering: .relaxed) }
    /// Whether the throttle released every request due before `Options.duration` (the deadline
    /// ended the schedule, not `-n`): the next one was due at or after it.
    var scheduleCutAtDeadline: Bool { counters.cutAtDeadline.load(ordering: .acquiring) }
    /// Requests sent a second time because the server closed a kept-alive connection under them.
    var retried: Int { counters.retried.load(ordering: .relaxed) }
    /// Under `--stages`: requests dropped at the stages' end, never sent.
    var dropped: Int { counters.dropped.load(ordering: .relaxed) }
    /// Each event loop's busy share, once the loops have returned.
    var loopBusy: [Double] { counters.loopBusy.withLock { $0 } }
    /// Whether every worker (of an event loop) was busy at some moment: a paced request then waits.
    var allWorkersWereBusy: Bool { counters.allBusy.load(ordering: .relaxed) }

    /// A pipeline with a single target.
    convenience init(request: Request, options: Options, client: ClientOptions = ClientOptions(),
                     cancellation: CancellationToken, loops: Int? = nil) throws(SetupError) {
        try self.init(targets: [request], options: options, client: client, cancellation: cancellation, loops: loops)
    }

    /// Sets up every libcurl handle (so that set-up errors surface before anything is sent),
    /// then starts the stages. `loops` is how many dispatch threads share the workers
    /// (default: `options.loops`, else `defaultLoops(concurrency:)`).
    init(targets: [Request], options: Options, client: ClientOptions = ClientOptions(),
         cancellation: CancellationToken, loops: Int? = nil) throws(SetupError) {
        // With --connections, no more loops than connections: each loop opens its own.
        let workers = options.workers
        let loopCount = max(1, min(workers, client.connectionsPerOrigin ?? .max,
                                   loops ?? options.loops ?? Self.defaultLoops(concurrency: workers)))
        let meter = try SendMeter(interval: options.interval)
        self.meter = meter
        let transferLoops = try TransferLoop.prepare(targets: targets, concurrency: workers,
                                                     loops: loopCount, client: client, meter: meter, checks: options.checks)
        let render = try Self.renderer(targets: targets, templating: options.templating)
        let mix: TargetMix
        do {
            mix = try TargetMix(weights: targets.map(\.weight))
        } catch {
            throw SetupError("the targets' weights: \(error)")
        }
        self.cancellation = cancellation
        // Buffers: a worker that frees up should find its next job waiting, so the channels hold at
        // least one job per worker. Unpaced, the producer's queue is deeper still, so that it is
        // woken once per hundreds of jobs; paced, the throttle's queue stays at one per worker, so
        // that a job released on time waits for a worker no longer than it must. Queued jobs are
        // simply dropped on cancellation. Results come in batches of up to ResultBatch.flushCount.
        let capacity = workers
        results = Channel(capacity: max(capacity, 4 * ResultBatch.flushCount))

        // The one origin of the run, after the set-up above: the schedule and every offset count
        // from here.
        let runStart: DispatchTime
        (runStart, startedLate) = Self.awaitOrigin(of: options, cancellation: cancellation)
        self.runStart = runStart
        meter.start(at: runStart.uptimeNanoseconds)
        let schedule = options.schedule
        let produced = Channel<Job>(capacity: schedule == nil ? max(capacity, 512) : capacity)
        let (jobCount, endsAtDeadline) = Self.jobCount(of: options)
        startStage("produce") {
            Self.produce(jobCount, shard: options.shard ?? .whole, mix: mix, into: produced,
                         cancellation: cancellation, render: render)
        }
        var jobs = produced
        if let schedule {
            let paced = Channel<Job>(capacity: capacity)
            startStage("throttle") { [counters] in
                let releasedAll = Self.throttle(produced, into: paced, schedule: schedule, runStart: runStart, cancellation: cancellation)
                if releasedAll, endsAtDeadline { counters.cutAtDeadline.store(true, ordering: .releasing) }
            }
            jobs = paced
        }
        let loopsRunning = LoopCountdown(transferLoops.count)
        let pacing = Self.pacing(of: options, runStart: runStart)
        for (index, loop) in transferLoops.enumerated() {
            startStage("dispatch.\(index)") { [jobs, results, counters, pacing] in
                Self.dispatch(jobs, through: loop, into: results, cancellation: cancellation, counters: counters,
                              runStart: runStart, pacing: pacing, loopsRunning: loopsRunning)
            }
        }
    }

    /// How many jobs this process makes (`nil`: until stopped), and whether the deadline, not the
    /// count, ends them. Paced with a duration, only the requests due before the deadline are made:
    /// at the deadline no new request starts, so a duration D at a rate R sends R × D (a shard,
    /// its share of them).
    static func jobCount(of options: Options) -> (count: Int?, endsAtDeadline: Bool) {
        let dueBeforeDeadline = options.schedule.flatMap { schedule in
            options.duration.map { options.processShare(ofRequests: schedule.count(dueBefore: $0)) }
        }
        let count = [options.requestLimit, dueBeforeDeadline].compactMap { $0 }.min()
        return (count, dueBeforeDeadline.map { $0 < options.requestLimit ?? .max } ?? false)
    }

    /// The run's origin: now, or under --start-at that wall-clock instant, waited for (cancelably)
    /// up to a little before it, so that the throttle releases the first job on time; and how late
    /// the wait ended, under --start-at.
    private static func awaitOrigin(of options: Options, cancellation: CancellationToken) -> (DispatchTime, Duration?) {
        guard let startAt = options.startAt else { return (DispatchTime.now(), nil) }
        let runStart = origin(at: startAt)
        let lead: UInt64 = options.schedule == nil ? 0 : 2 * releaseLead
        let wake = runStart.uptimeNanoseconds > lead ? runStart.uptimeNanoseconds - lead : 0
        _ = cancellation.wait(until: DispatchTime(uptimeNanoseconds: wake))
        return (runStart, DispatchTime.now().elapsed(since: runStart))
    }

    /// How the loops pace a run of `options` that starts at `runStart`. A paced request not
    /// started by the schedule's end (the stages', or the deadline) is dropped: due while every
    /// worker was busy, it never found one in time.
    private static func pacing(of options: Options, runStart: DispatchTime) -> Pacing {
        var pacing = Pacing(rate: options.processPeakRate)
        let schedule = options.schedule
        let ends = [options.stages.isEmpty ? nil : schedule?.end, schedule == nil ? nil : options.duration].compactMap { $0 }
        if let end = ends.min() {
            pacing.cutoff = runStart.uptimeNanoseconds &+ UInt64(end.nanoseconds) &+ Pacing.cutoffGrace
        }
        if let rampUp = options.rampUp { pacing.rampUp = UInt64(rampUp.nanoseconds) }
        return pacing
    }

    /// The monotonic-clock moment of `unixNanoseconds` on the wall clock (in the past, too).
    static func origin(at unixNanoseconds: Int64) -> DispatchTime {
        let now = DispatchTime.now().uptimeNanoseconds
        let ahead = unixNanoseconds - WallClock.unixNanoseconds()
        if ahead >= 0 { return DispatchTime(uptimeNanoseconds: now &+ UInt64(ahead)) }
        let behind = UInt64(ahead.magnitude)
        return DispatchTime(uptimeNanoseconds: now > behind ? now - behind : 1)
    }

    /// Waits until every stage has returned. Returns `false` if `deadline` came first.
    @discardableResult
    func wait(until deadline: DispatchTime = .distantFuture) -> Bool {
        stages.wait(timeout: deadline) == .success
    }

    /// Runs `body` on a queue of its own, counted as a live stage until it returns.
    private func startStage(_ name: String, _ body: @escaping @Sendable () -> Void) {
        counters.liveStages.add(1, ordering: .releasing)
        DispatchQueue(label: "hit.\(name)").async(group: stages) { [counters] in
            defer { counters.liveStages.subtract(1, ordering: .releasing) }
            body()
        }
    }
}
