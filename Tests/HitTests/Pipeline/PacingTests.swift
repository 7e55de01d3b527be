import Dispatch
@testable import Hit
import HitTarget
import HitTestSupport
import Testing

/// Exact pacing and coordinated omission.
@Suite(.serialized) struct PacingTests {
    /// A 50 rps run against a server that stalls once for a second: requests meant to go during
    /// the stall are held back (one worker), so only the corrected latency, measured from each
    /// request's intended send time, shows the stall.
    @Test func correctedLatencyShowsAStallThatUncorrectedLatencyHides() throws {
        try withTargetServer { server in
            DispatchQueue(label: "hit.test.stall").asyncAfter(deadline: .now() + .milliseconds(1000)) {
                server.stall(for: .seconds(1))
            }
            let summary = try LoadTest(request: Request(url: server.baseURL + "/"),
                                       options: Options(requests: 200, concurrency: 1, rate: 50)).run()
            #expect(summary.completed == 200)
            let corrected = summary.correctedLatency.percentile(99)
            let uncorrected = summary.latency.percentile(99)
            #expect(corrected >= .milliseconds(700), "corrected p99 \(corrected)")
            #expect(uncorrected < .milliseconds(300), "uncorrected p99 \(uncorrected)")
            #expect(summary.latency.max >= .milliseconds(900), "the one request that met the stall")
            #expect(summary.late >= 30, "the requests held back were sent late: \(summary.late)")
            #expect(summary.lateness.max >= .milliseconds(800))
        }
    }

    @Test func anUnpacedRunHasNoCorrectedLatency() throws {
        try withTargetServer { server in
            let summary = try LoadTest(request: Request(url: server.baseURL + "/"), options: Options(requests: 20)).run()
            #expect(summary.correctedLatency.isEmpty)
            #expect(summary.late == 0)
        }
    }

    /// Rates a debug build keeps with the target server in the same process on a 2-core machine;
    /// higher rates and the precision of each send are measured by `scripts/bench pacing`.
    @Test(arguments: [(20.0, 41), (500.0, 1001), (1000.0, 2001)])
    func theScheduleIsKept(rate: Double, requests: Int) throws {
        try withTargetServer { server in
            let start = DispatchTime.now()
            let summary = try LoadTest(request: Request(url: server.baseURL + "/"),
                                       options: Options(requests: requests, concurrency: 4, rate: rate)).run()
            let seconds = millisecondsSince(start) / 1000
            let achieved = try #require(summary.achievedSendRate)
            #expect(abs(achieved - rate) / rate < 0.02, "achieved \(achieved) for \(rate)")
            #expect(seconds >= 1.95 && seconds < 2.6, "took \(seconds) s for 2 s of schedule")
        }
    }

    @Test func aThousandWorkersOnAFewThreads() throws {
        var configuration = TargetServer.Configuration()
        configuration.threads = 2
        let server = try TargetServer(configuration)
        defer { server.shutdown() }
        let token = CancellationToken()
        let pipeline = try Pipeline(request: Request(url: server.baseURL + "/delay/500"),
                                    options: Options(requests: 2000, concurrency: 1000), cancellation: token)
        var completed = 0
        while let result = pipeline.results.receive(cancellation: nil) {
            if result.succeeded { completed += 1 }
        }
        #expect(pipeline.wait(until: .now() + 5))
        #expect(completed == 2000)
        #expect(server.stats.connectionsAccepted == 1000)
        #expect(server.stats.maxInFlight <= 1000)
        #expect(server.stats.maxInFlight >= 500, "the workers do run side by side")
    }
}
