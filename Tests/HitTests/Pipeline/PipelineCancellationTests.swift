import Dispatch
@testable import Hit
import HitTarget
import HitTestSupport
import Synchronization
import Testing

/// The kata's self-checks ("the context-aware sender"), translated to hit's pipeline.
@Suite struct PipelineCancellationTests {
    /// The forgotten sender: 50 workers, consume one result, cancel: every stage returns quickly.
    @Test func forgottenSender() throws {
        try withTargetServer { server in
            let token = CancellationToken()
            let pipeline = try Pipeline(
                request: Request(url: server.baseURL + "/delay/20"),
                options: Options(requests: 1000, concurrency: 50),
                cancellation: token
            )
            #expect(pipeline.liveStages > 0)
            #expect(pipeline.results.receive(cancellation: nil) != nil)
            token.cancel()
            let cancelled = DispatchTime.now()
            #expect(pipeline.wait(until: .now() + 2), "every stage returns after a cancel")
            #expect(millisecondsSince(cancelled) < 1000)
            #expect(pipeline.liveStages == 0)
            #expect(eventually { pipeline.results.isClosed }, "the dispatch stage closes its channel")
            #expect(pipeline.started < 1000, "no request starts after the cancel")
        }
    }

    /// Cancellation before the first receive: nobody ever reads a result, and no stage stays
    /// blocked on a send.
    @Test func cancellationBeforeTheFirstReceive() throws {
        try withTargetServer { server in
            let token = CancellationToken()
            let pipeline = try Pipeline(
                request: Request(url: server.baseURL + "/"),
                options: Options(requests: 10_000, concurrency: 8),
                cancellation: token
            )
            token.cancel()
            #expect(pipeline.wait(until: .now() + 2))
            #expect(pipeline.liveStages == 0)
            #expect(eventually { pipeline.results.isClosed })
        }
    }

    /// Nobody reads the results at all: the workers fill the results channel, and a cancel still
    /// unblocks them.
    @Test func anUnreadResultsChannelDoesNotBlockCancellation() throws {
        try withTargetServer { server in
            let token = CancellationToken()
            let pipeline = try Pipeline(
                request: Request(url: server.baseURL + "/"),
                options: Options(requests: 10_000, concurrency: 4),
                cancellation: token
            )
            #expect(eventually { pipeline.started >= pipeline.results.capacity }, "the results channel fills up")
            #expect(!pipeline.wait(until: .now() + .milliseconds(100)), "blocked senders wait, not spin to the end")
            token.cancel()
            #expect(pipeline.wait(until: .now() + 2))
            #expect(pipeline.liveStages == 0)
        }
    }

    /// Close discipline: cancel from many threads at once, mid-run: no crash, no double close,
    /// and the run still ends with its partial summary.
    @Test func cancellingFromManyThreadsAtOnce() throws {
        try withTargetServer { server in
            let token = CancellationToken()
            let test = LoadTest(request: Request(url: server.baseURL + "/delay/5"),
                                options: Options(requests: 100_000, concurrency: 16))
            let seen = Atomic<Int>(0)
            let summary = try test.run(cancellation: token) { _ in
                if seen.add(1, ordering: .relaxed).newValue == 20 {
                    DispatchQueue(label: "hit.test").async {
                        DispatchQueue.concurrentPerform(iterations: 32) { _ in token.cancel() }
                    }
                }
            }
            #expect(summary.interrupted)
            #expect(summary.completed >= 20)
            #expect(summary.completed < 100_000)
        }
    }

    /// Partial results kept: what completed before the cancel is in the summary, and every
    /// started request is either completed or counted as abandoned.
    @Test func partialResultsAreKept() throws {
        try withTargetServer { server in
            let token = CancellationToken()
            let test = LoadTest(request: Request(url: server.baseURL + "/delay/10"),
                                options: Options(requests: 500, concurrency: 5))
            let seen = Atomic<Int>(0)
            let summary = try test.run(cancellation: token) { _ in
                if seen.add(1, ordering: .relaxed).newValue == 25 { token.cancel() }
            }
            #expect(summary.interrupted)
            #expect(summary.completed >= 25)
            #expect(summary.completed == summary.succeeded)
            #expect(summary.completed + summary.abandoned == summary.started)
            #expect(summary.started <= 25 + 5 + 5, "no new request starts once cancelled")
        }
    }

    /// Cancellation aborts transfers in flight at once, even on a server that never answers.
    @Test func cancellationAbortsHungTransfersAtOnce() throws {
        try withTargetServer { server in
            let token = CancellationToken()
            let test = LoadTest(request: Request(url: server.baseURL + "/hang"),
                                options: Options(requests: 100, concurrency: 20))
            DispatchQueue(label: "hit.test").async {
                _ = eventually { server.stats.requestsInFlight == 20 }
                token.cancel()
            }
            let summary = try test.run(cancellation: token)
            #expect(summary.interrupted)
            #expect(summary.completed == 0)
            #expect(summary.abandoned == 20)
            #expect(summary.started == 20)
            #expect(eventually { server.stats.requestsInFlight == 0 }, "the aborted transfers closed their connections")
        }
    }

    @Test func cancellingADurationlessPacedRunStopsTheThrottleAtOnce() throws {
        try withTargetServer { server in
            let token = CancellationToken()
            let test = LoadTest(request: Request(url: server.baseURL + "/"),
                                options: Options(requests: 1000, concurrency: 2, rate: 2))
            DispatchQueue(label: "hit.test").asyncAfter(deadline: .now() + .milliseconds(700)) { token.cancel() }
            let start = DispatchTime.now()
            let summary = try test.run(cancellation: token)
            #expect(millisecondsSince(start) < 1500, "the throttle's wait for the next tick is cancelable")
            #expect(summary.interrupted)
            #expect(summary.completed == 2, "requests at 0 s and 0.5 s")
        }
    }

    /// Many runs, completed and cancelled, in one process: every stage of every run returns.
    @Test func repeatedRunsLeaveNoStageRunning() throws {
        try withTargetServer { server in
            for round in 0..<20 {
                let token = CancellationToken()
                let pipeline = try Pipeline(
                    request: Request(url: server.baseURL + (round.isMultiple(of: 2) ? "/" : "/hang")),
                    options: Options(requests: 50, concurrency: 5, rate: round % 4 == 1 ? 1000 : nil),
                    cancellation: token
                )
                if round.isMultiple(of: 2) {
                    while pipeline.results.receive(cancellation: nil) != nil {}
                } else {
                    token.cancel()
                }
                #expect(pipeline.wait(until: .now() + 2))
                #expect(pipeline.liveStages == 0)
            }
        }
    }
}
