import Dispatch
import Foundation
import Synchronization

/// The running stages of one load test: produce → throttle (only with a rate) → dispatch, each
/// on its own Dispatch queue, joined by bounded channels. Its `results` channel is what the
/// aggregator reads; it is closed once every dispatch loop has returned.
///
/// Every stage checks `cancellation` before it sends anything downstream and every send is a
/// choice between the send and cancellation, so no stage can block forever. Each stage closes the
/// channel it owns exactly once, after all of its senders have returned.
public final class Pipeline: Sendable {
    /// Results of finished requests, in the order they finished.
    public let results: Channel<RequestResult>
    public let cancellation: CancellationToken
    private let counters = PipelineCounters()
    private let stages = DispatchGroup()

    /// Stage threads (producer, throttle, dispatch loops) that have not yet returned.
    public var liveStages: Int { counters.liveStages.load(ordering: .acquiring) }
    /// Requests handed to libcurl so far.
    public var started: Int { counters.started.load(ordering: .relaxed) }
    /// Requests that were in flight when the run was cancelled, and were aborted.
    public var abandoned: Int { counters.abandoned.load(ordering: .relaxed) }
    /// Requests sent a second time because the server closed a kept-alive connection under them.
    public var retried: Int { counters.retried.load(ordering: .relaxed) }

    /// A pipeline with a single target.
    public convenience init(request: Request, options: Options, client: ClientOptions = ClientOptions(),
                            cancellation: CancellationToken, loops: Int? = nil) throws(SetupError) {
        try self.init(targets: [request], options: options, client: client, cancellation: cancellation, loops: loops)
    }

    /// Sets up every libcurl handle (so that set-up errors surface before anything is sent),
    /// then starts the stages. `loops` is how many dispatch threads share the workers
    /// (default: `options.loops`, else `defaultLoops(concurrency:)`).
    public init(targets: [Request], options: Options, client: ClientOptions = ClientOptions(),
                cancellation: CancellationToken, loops: Int? = nil) throws(SetupError) {
        guard !targets.isEmpty else { throw SetupError("a run needs at least one target") }
        try OpenFileLimit.ensure(concurrency: options.concurrency)
        var curlTargets: [CurlTarget] = []
        for target in targets { curlTargets.append(try CurlTarget(target)) }
        let loopCount = max(1, min(options.concurrency, loops ?? options.loops ?? Self.defaultLoops(concurrency: options.concurrency)))
        var transferLoops: [TransferLoop] = []
        for share in Self.split(options.concurrency, into: loopCount) {
            var workers: [CurlEasy] = []
            for _ in 0..<share { workers.append(try CurlEasy(client: client)) }
            transferLoops.append(try TransferLoop(workers: workers, targets: curlTargets))
        }
        // Every target is applied once here, so that a refused option is reported now.
        let probe = try CurlEasy(client: client)
        for target in curlTargets { try probe.use(target) }

        self.cancellation = cancellation
        // Buffers: a worker that frees up should find its next job waiting, so the channels hold at
        // least one job per worker. Unpaced, the producer's queue is deeper still, so that it is
        // woken once per hundreds of jobs; paced, the throttle's queue stays at one per worker, so
        // that a job released on time waits for a worker no longer than it must. Queued jobs are
        // simply dropped on cancellation. Results come in batches of up to TransferLoop.flushCount.
        let capacity = options.concurrency
        results = Channel(capacity: max(capacity, 4 * TransferLoop.flushCount))

        let produced = Channel<Job>(capacity: options.rate == nil ? max(capacity, 512) : capacity)
        startStage("produce") {
            Self.produce(options.requests, targets: targets.count, into: produced, cancellation: cancellation)
        }
        var jobs = produced
        if let rate = options.rate {
            let paced = Channel<Job>(capacity: capacity)
            startStage("throttle") {
                Self.throttle(produced, into: paced, rate: rate, cancellation: cancellation)
            }
            jobs = paced
        }

        // The results channel has one closer, by structure: the last loop to return. (Not a
        // `DispatchGroup.notify` on a global queue: that pool is shared and may have no thread free.)
        let loopsRunning = LoopCountdown(transferLoops.count)
        // Offsets in results count from here, when the stages start: after the set-up above.
        let runStart = DispatchTime.now()
        for (index, loop) in transferLoops.enumerated() {
            startStage("dispatch.\(index)") { [jobs, results, counters] in
                loop.run(jobs: jobs, results: results, cancellation: cancellation, counters: counters, runStart: runStart)
                if loopsRunning.finishOne() { results.close() }
            }
        }
    }

    /// Waits until every stage has returned. Returns `false` if `deadline` came first.
    @discardableResult
    public func wait(until deadline: DispatchTime = .distantFuture) -> Bool {
        stages.wait(timeout: deadline) == .success
    }

    // MARK: - Stages

    /// Sends jobs 0..<count (or without end, for `nil`), round-robin over the targets, then
    /// closes `out`; stops early on cancellation.
    static func produce(_ count: Int?, targets: Int, into out: Channel<Job>, cancellation: CancellationToken) {
        defer { out.close() }
        var index = 0
        while index < count ?? .max {
            let job = Job(index: index, target: index % targets)
            guard !cancellation.isCancelled, out.send(job, cancellation: cancellation) else { return }
            index += 1
        }
    }

    /// Passes each job on at its place in an absolute schedule, start + index / rate, so that
    /// delays never accumulate as a ticker's do; a late job goes at once. Closes `out` when done.
    static func throttle(_ input: Channel<Job>, into out: Channel<Job>, rate: Double, cancellation: CancellationToken) {
        defer { out.close() }
        let start = DispatchTime.now().uptimeNanoseconds
        while var job = input.receive(cancellation: cancellation) {
            let due = DispatchTime(uptimeNanoseconds: start + UInt64((Double(job.index) / rate * 1e9).rounded()))
            if cancellation.wait(until: due) { return }
            job.due = due
            guard out.send(job, cancellation: cancellation) else { return }
        }
    }

    // MARK: - Plumbing

    /// Runs `body` on a queue of its own, counted as a live stage until it returns.
    private func startStage(_ name: String, _ body: @escaping @Sendable () -> Void) {
        counters.liveStages.add(1, ordering: .releasing)
        DispatchQueue(label: "hit.\(name)").async(group: stages) { [counters] in
            defer { counters.liveStages.subtract(1, ordering: .releasing) }
            body()
        }
    }

    /// One event loop per 256 workers, at most one per core. One loop drives some 60,000 requests a
    /// second, and every extra thread costs hand-offs; but a loop's poll() scans all of its
    /// sockets, which at a thousand connections costs more than a second thread does.
    static func defaultLoops(concurrency: Int) -> Int {
        min(ProcessInfo.processInfo.activeProcessorCount, max(1, concurrency / 256))
    }

    /// Splits `total` into `parts` shares that differ by at most one.
    static func split(_ total: Int, into parts: Int) -> [Int] {
        (0..<parts).map { total / parts + ($0 < total % parts ? 1 : 0) }
    }
}

/// Counters the stages update and the pipeline reports.
final class PipelineCounters: Sendable {
    let liveStages = Atomic<Int>(0)
    let started = Atomic<Int>(0)
    let abandoned = Atomic<Int>(0)
    let retried = Atomic<Int>(0)
}

/// Counts running dispatch loops down; exactly one caller of `finishOne` sees the last one finish.
final class LoopCountdown: Sendable {
    private let remaining: Atomic<Int>

    init(_ count: Int) {
        remaining = Atomic(count)
    }

    /// Returns `true` for the caller that finished the last loop.
    func finishOne() -> Bool {
        remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0
    }
}
