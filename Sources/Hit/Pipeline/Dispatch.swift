import Dispatch
import FoundationEssentials
import Synchronization

extension Pipeline {
    /// Stage 3, dispatch: one of the stage's event loops (`TransferLoop`, over a libcurl multi
    /// handle) takes jobs while it has idle workers and hands finished requests on, in batches.
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

    /// One event loop per 256 workers up to one per core; beyond that, one per `workersPerLoop`
    /// whatever the cores. One loop drives some 60,000 requests a second, and every extra thread
    /// costs hand-offs. But libcurl 7.88 walks every connection of a multi handle each time a
    /// transfer is removed from it, so the cost per request grows with the connections per loop:
    /// at -c 5000, 8 loops send twice the requests a second of 2, for 20% less CPU each.
    static func defaultLoops(concurrency: Int) -> Int {
        let byCores = min(ProcessInfo.processInfo.activeProcessorCount, max(1, concurrency / 256))
        let byConnections = (concurrency + workersPerLoop - 1) / workersPerLoop
        return min(Options.maximumLoops, max(byCores, byConnections))
    }

    /// The most workers a loop gets by default once there are more workers than cores can drive.
    static let workersPerLoop = 640
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
