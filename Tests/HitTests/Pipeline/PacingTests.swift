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

    /// The schedule itself: request i is due at exactly i / rate from the run's origin, none is
    /// written before it is due, and the run cannot end before its last request is due. How close
    /// to its due time each request goes out is a matter of timing, measured on the server's clock
    /// by `scripts/bench pacing`, not asserted here.
    @Test(arguments: [(20.0, 41), (500.0, 1001), (2000.0, 4001)])
    func theScheduleIsKept(rate: Double, requests: Int) throws {
        try withTargetServer { server in
            var results: [RequestResult] = []
            let summary = try LoadTest(request: Request(url: server.baseURL + "/"),
                                       options: Options(requests: requests, concurrency: 4, rate: rate)).run { results.append($0) }
            #expect(summary.completed == requests)
            #expect(Set(results.map(\.index)) == Set(0..<requests), "every request once")
            for result in results {
                let due = try #require(result.due)
                #expect(due == .nanoseconds(Int64((Double(result.index) / rate * 1e9).rounded())), "request \(result.index)")
                #expect(result.offset >= due, "request \(result.index) was written \(due - result.offset) early")
                #expect(result.lateness == result.offset - due)
                #expect(try #require(result.correctedLatency) >= result.latency)
            }
            #expect(summary.duration >= .seconds(Double(requests - 1) / rate), "the last request is due at \(Double(requests - 1) / rate) s")
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
