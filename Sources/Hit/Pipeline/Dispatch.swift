import Dispatch
import FoundationEssentials
import Synchronization

extension Pipeline {
    /// Stage 3, dispatch: one of the stage's event loops (`TransferLoop`, over libcurl multi
    /// handles) takes jobs while it has idle workers and hands finished requests on, in batches.
    ///
    /// The results channel has one closer, by structure: the last loop to return. (Not a
    /// `DispatchGroup.notify` on a global queue: that pool is shared and may have no thread free.)
    static func dispatch(_ jobs: Channel<Job>, through loop: TransferLoop, into results: Channel<RequestResult>,
                         cancellation: CancellationToken, counters: PipelineCounters, runStart: DispatchTime,
                         pacing: Pacing, loopsRunning: LoopCountdown) {
        loop.run(jobs: jobs, results: results, cancellation: cancellation, counters: counters, runStart: runStart,
                 pacing: pacing)
        if loopsRunning.finishOne() { results.close() }
    }

    /// One event loop per 256 workers, up to one per core. One loop drives some 40,000–60,000
    /// requests a second, and every extra thread costs hand-offs; within a loop, workers are spread
    /// over small multi handles (`TransferLoop.workersPerMultiHandle`), so that libcurl's cost per
    /// request no longer grows with the workers a loop holds, and more loops than cores only add
    /// contention (at -c 5000 on 2 cores: 2 loops did 24,400 requests/s, 8 loops 18,400).
    static func defaultLoops(concurrency: Int) -> Int {
        min(Options.maximumLoops, ProcessInfo.processInfo.activeProcessorCount, max(1, concurrency / 256))
    }
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
