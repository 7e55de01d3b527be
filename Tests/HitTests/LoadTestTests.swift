import Dispatch
import Hit
import HitTarget
import HitTestSupport
import Testing

/// Runs against the real target server on loopback, checked against what the server saw.
@Suite struct LoadTestTests {
    @Test(arguments: [(1, 1), (137, 7), (1000, 10), (64, 64)])
    func exactlyNRequestsArrive(requests: Int, concurrency: Int) throws {
        try withTargetServer { server in
            let summary = try LoadTest(request: Request(url: server.baseURL + "/"),
                                       options: Options(requests: requests, concurrency: concurrency)).run()
            #expect(server.stats.requestsSeen == requests)
            #expect(summary.completed == requests)
            #expect(summary.succeeded == requests)
            #expect(summary.started == requests)
            #expect(summary.bytes == requests * 11)
            #expect(summary.statusCounts == [200: requests])
            #expect(summary.allSucceeded)
            #expect(!summary.interrupted)
        }
    }

    /// The run ends when its last request ends, also when that request ends alone after the jobs
    /// ran out: the loop once waited up to a second more with nothing to wait for, which stretched
    /// the duration and cut the rate (`-n 3 -c 2 /delay/300` took 1.6 s, not 0.6 s).
    @Test(arguments: [(3, 2), (5, 4), (2, 1)])
    func theRunEndsWithItsLastRequest(requests: Int, concurrency: Int) throws {
        try withTargetServer { server in
            let summary = try LoadTest(request: Request(url: server.baseURL + "/delay/300"),
                                       options: Options(requests: requests, concurrency: concurrency)).run()
            #expect(summary.completed == requests)
            let lastEnd = try #require(summary.lastEnd)
            #expect(summary.duration - lastEnd < .milliseconds(250), "the run went on \(summary.duration - lastEnd) after its last request")
        }
    }

    @Test func neverMoreThanCInFlight() throws {
        try withTargetServer { server in
            let summary = try LoadTest(request: Request(url: server.baseURL + "/delay/5"),
                                       options: Options(requests: 240, concurrency: 8)).run()
            #expect(summary.completed == 240)
            #expect(server.stats.maxInFlight <= 8)
            #expect(server.stats.maxInFlight >= 4, "the workers do run side by side")
        }
    }

    @Test func workersKeepTheirConnectionsAlive() throws {
        try withTargetServer { server in
            _ = try LoadTest(request: Request(url: server.baseURL + "/"),
                             options: Options(requests: 200, concurrency: 4)).run()
            #expect(server.stats.requestsSeen == 200)
            #expect(server.stats.connectionsAccepted == 4)
        }
    }

    @Test func theRateIsTotalAcrossWorkers() throws {
        try withTargetServer { server in
            let start = DispatchTime.now()
            let summary = try LoadTest(request: Request(url: server.baseURL + "/"),
                                       options: Options(requests: 100, concurrency: 10, rate: 50)).run()
            let seconds = millisecondsSince(start) / 1000
            #expect(summary.completed == 100)
            // Request i goes at i/50 s: the last at 1.98 s. A rate applied per worker would end
            // in 0.2 s, one split among workers in 20 s; the upper bound leaves room for a
            // sanitizer build on a busy machine, which has taken 3 s.
            #expect(seconds >= 1.98, "took \(seconds) s")
            #expect(seconds < 8, "took \(seconds) s")
        }
    }

    @Test(arguments: [404, 500, 503])
    func statusesFrom400UpAreFailures(status: Int) throws {
        try withTargetServer { server in
            let summary = try LoadTest(request: Request(url: server.baseURL + "/status/\(status)"),
                                       options: Options(requests: 20, concurrency: 4)).run()
            #expect(summary.completed == 20)
            #expect(summary.failed == 20)
            #expect(summary.succeeded == 0)
            #expect(summary.statusCounts == [status: 20])
            #expect(!summary.allSucceeded)
        }
    }

    @Test func redirectsAreNotFollowedAndNotFailures() throws {
        try withTargetServer { server in
            let summary = try LoadTest(request: Request(url: server.baseURL + "/status/302"),
                                       options: Options(requests: 5, concurrency: 1)).run()
            #expect(summary.statusCounts == [302: 5])
            #expect(summary.succeeded == 5)
        }
    }

    /// A run of one request is over in a few milliseconds, all of them start-up: its loop's share
    /// is not measured, and it never claims that hit was its limit (one such run, refused or
    /// answered, said "hit's event loop was 100% busy" after 1.5 ms). Under the ThreadSanitizer
    /// build one took past the 100 ms from which a share is measured, and its loop was 5% busy.
    @Test func aRunOfOneRequestNeverClaimsHitWasItsLimit() throws {
        let port = try closedPort()
        try withTargetServer { server in
            for url in [server.baseURL + "/", "http://127.0.0.1:\(port)/"] {
                for _ in 0..<3 {
                    let summary = try LoadTest(request: Request(url: url), options: Options(requests: 1)).run()
                    #expect(summary.completed == 1)
                    let busy = try #require(summary.generator?.loopBusy)
                    if summary.duration < GeneratorLoad.shortestMeasured / 2 {
                        #expect(busy == [], "a run of \(summary.duration) is too short to measure")
                    }
                    #expect(busy.count <= 1 && busy.allSatisfy { $0 < GeneratorLoad.saturatedAt })
                    #expect(summary.generator?.saturated == false)
                    #expect(summary.generator?.limitNote == nil)
                }
            }
        }
    }

    @Test func aRefusedConnectionIsAnError() throws {
        let port = try closedPort()
        let summary = try LoadTest(request: Request(url: "http://127.0.0.1:\(port)/"),
                                   options: Options(requests: 10, concurrency: 2)).run()
        #expect(summary.completed == 10)
        #expect(summary.errored == 10)
        #expect(summary.succeeded == 0)
        #expect(summary.errorCounts[.connect]?.count == 10)
        #expect(summary.errorCounts[.connect]?.example.contains("127.0.0.1") == true)
        #expect(!summary.allSucceeded)
    }

    @Test func aTimeoutIsAnErrorOfItsOwnKind() throws {
        try withTargetServer { server in
            let summary = try LoadTest(request: Request(url: server.baseURL + "/hang"),
                                       options: Options(requests: 3, concurrency: 3), client: { var c = ClientOptions(); c.timeout = .milliseconds(200); return c }()).run()
            #expect(summary.errored == 3)
            #expect(summary.errorCounts[.timeout]?.count == 3)
        }
    }

    @Test func bodyBytesAreCounted() throws {
        try withTargetServer { server in
            let summary = try LoadTest(request: Request(url: server.baseURL + "/bytes/100000"),
                                       options: Options(requests: 10, concurrency: 2)).run()
            #expect(summary.bytes == 1_000_000)
        }
    }

    @Test func latencyReflectsTheServersDelay() throws {
        try withTargetServer { server in
            let summary = try LoadTest(request: Request(url: server.baseURL + "/delay/50"),
                                       options: Options(requests: 6, concurrency: 3)).run()
            let fastest = try #require(summary.fastest)
            let slowest = try #require(summary.slowest)
            #expect(fastest >= .milliseconds(50))
            #expect(slowest < .milliseconds(1000))
        }
    }

    @Test func theRequestCarriesTheConfiguredMethodAndHeaders() throws {
        try withTargetServer { server in
            let summary = try LoadTest(
                request: Request(url: server.baseURL + "/echo", method: "DELETE", headers: ["X-Hit-Test: yes"]),
                options: Options(requests: 1, concurrency: 1)
            ).run()
            #expect(summary.succeeded == 1)
            #expect(summary.bytes > 0)
        }
    }
}
