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

    /// A pipeline with a single target.
    public convenience init(request: Request, options: Options, client: ClientOptions = ClientOptions(),
                            cancellation: CancellationToken, loops: Int? = nil) throws(SetupError) {
        try self.init(targets: [request], options: options, client: client, cancellation: cancellation, loops: loops)
    }

    /// Sets up every libcurl handle (so that set-up errors surface before anything is sent),
    /// then starts the stages. `loops` is how many dispatch threads share the workers
    /// (default: one per core, never more than there are workers).
    public init(targets: [Request], options: Options, client: ClientOptions = ClientOptions(),
                cancellation: CancellationToken, loops: Int? = nil) throws(SetupError) {
        guard !targets.isEmpty else { throw SetupError("a run needs at least one target") }
        try OpenFileLimit.ensure(concurrency: options.concurrency)
        var curlTargets: [CurlTarget] = []
        for target in targets { curlTargets.append(try CurlTarget(target)) }
        let runStart = DispatchTime.now()
        let loopCount = max(1, min(options.concurrency, loops ?? options.loops ?? ProcessInfo.processInfo.activeProcessorCount))
        var transferLoops: [TransferLoop] = []
        for share in Self.split(options.concurrency, into: loopCount) {
            var workers: [CurlEasy] = []
            for _ in 0..<share { workers.append(try CurlEasy(client: client)) }
            transferLoops.append(try TransferLoop(workers: workers, targets: curlTargets, runStart: runStart))
        }
        // Every target is applied once here, so that a refused option is reported now.
        let probe = try CurlEasy(client: client)
        for target in curlTargets { try probe.use(target) }

        self.cancellation = cancellation
        // Buffers: a worker that frees up should find its next job waiting, so each channel holds
        // one job per worker; at most that many queued jobs are dropped on cancellation.
        let capacity = options.concurrency
        results = Channel(capacity: max(capacity, 64))

        let produced = Channel<Job>(capacity: capacity)
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
        for (index, loop) in transferLoops.enumerated() {
            startStage("dispatch.\(index)") { [jobs, results, counters] in
                loop.run(jobs: jobs, results: results, cancellation: cancellation, counters: counters)
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
