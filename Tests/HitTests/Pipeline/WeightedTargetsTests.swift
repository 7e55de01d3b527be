import Foundation
@testable import Hit
import HitTarget
import HitTestSupport
import Testing

/// Targets with weights and names against a server that counts every request by path: the mix is
/// exact over the run and across shards, and each target keeps latency of its own.
@Suite struct WeightedTargetsTests {
    static func targets(_ server: TargetServer, fast: Int = 3, slow: Int = 1) -> [Request] {
        [Request(url: server.baseURL + "/", name: "fast", weight: fast),
         Request(url: server.baseURL + "/delay/20", name: "slow", weight: slow)]
    }

    @Test func weightsAreExactOverTheRun() throws {
        try withTargetServer { server in
            let summary = try LoadTest(targets: Self.targets(server), options: Options(requests: 400, concurrency: 8)).run()
            #expect(summary.total.succeeded == 400)
            #expect(server.stats.requestsByPath == ["/": 300, "/delay/20": 100])
            #expect(summary.perTarget.map(\.completed) == [300, 100])
        }
    }

    @Test func oneWorkerSendsTheSmoothInterleaving() throws {
        try withTargetServer { server in
            let targets = [Request(url: server.baseURL + "/a", weight: 3), Request(url: server.baseURL + "/b", weight: 1)]
            _ = try LoadTest(targets: targets, options: Options(requests: 12, concurrency: 1)).run()
            #expect(server.stats.recentRequests.map(\.uri) == Array(repeating: ["/a", "/a", "/b", "/a"], count: 3).flatMap { $0 })
        }
    }

    @Test func shardsTogetherSendTheWholeRunsMix() throws {
        try withTargetServer { server in
            var shares: [[Int]] = []
            for index in 0..<3 {
                var options = Options(requests: 400, concurrency: 4)
                options.shard = try Shard(index: index, count: 3)
                let summary = try LoadTest(targets: Self.targets(server, fast: 5, slow: 2), options: options).run()
                shares.append(summary.perTarget.map(\.completed))
            }
            // 400 requests of a 5:2 mix: 57 whole turns (285 and 114) and one request of the next.
            #expect(server.stats.requestsByPath == ["/": 286, "/delay/20": 114])
            #expect(shares.map { $0.reduce(0, +) } == [134, 133, 133])
        }
    }

    @Test func eachTargetKeepsItsOwnLatency() throws {
        try withTargetServer { server in
            let summary = try LoadTest(targets: Self.targets(server), options: Options(requests: 200, concurrency: 8)).run()
            let fast = try #require(summary.perTarget[0].latency), slow = try #require(summary.perTarget[1].latency)
            #expect(fast.count == 150 && slow.count == 50)
            #expect(slow.min >= .milliseconds(20))
            #expect(fast.percentile(50) < .milliseconds(20))
            // The run's histogram holds both.
            #expect(summary.latency.count == 200)
            var both = fast
            both.merge(slow)
            #expect(both.sparseCounts == summary.latency.sparseCounts)

            // Rules on one target judge that target alone.
            let names = ["fast", "slow"]
            let rules = try Threshold.parseList("slow:p50>19ms,fast:errors>0")
            let verdict = Verdict(summary, thresholds: rules, targetNames: names)
            #expect(verdict.thresholds.map(\.failed) == [true, false])
            #expect(verdict.outcome == .failed)
            #expect(Verdict(summary, thresholds: try Threshold.parseList("slow:min<19ms"), targetNames: names).outcome == .passed)

            // Through the JSON report and back: the same histograms, the same verdict.
            let report = JSONReport(summary, configuration: LoadTest(targets: Self.targets(server), options: Options()).configuration,
                                    paced: false)
            let read = try Summary(report: report)
            #expect(read.perTarget.map { $0.latency?.sparseCounts } == summary.perTarget.map { $0.latency?.sparseCounts })
            #expect(Verdict(read, thresholds: rules, targetNames: names).thresholds.map(\.measured)
                == verdict.thresholds.map(\.measured))
        }
    }

    @Test func oneTargetsErrorRuleExcusesOnlyItsOwnFailures() throws {
        try withTargetServer { server in
            let targets = [Request(url: server.baseURL + "/", name: "ok"), Request(url: server.baseURL + "/status/503", name: "down")]
            let summary = try LoadTest(targets: targets, options: Options(requests: 20, concurrency: 2)).run()
            let names = targets.map(\.name)
            // down's failures are judged by its own rule, which allows them all.
            #expect(Verdict(summary, thresholds: try Threshold.parseList("down:errors>100%"), targetNames: names).outcome == .passed)
            // A rule on ok's errors does not judge down's: they still fail the run.
            let other = Verdict(summary, thresholds: try Threshold.parseList("ok:errors>0"), targetNames: names)
            #expect(other.outcome == .failed)
            #expect(other.reason.contains("no --fail-if rule judges the errors of every target"), "\(other.reason)")
        }
    }

    @Test func weightsThatCannotMakeAMixAreRefused() throws {
        let targets = [Request(url: "http://127.0.0.1:1/", weight: 0)]
        #expect(throws: SetupError.self) { try LoadTest(targets: targets, options: Options(requests: 1)).run() }
    }
}
