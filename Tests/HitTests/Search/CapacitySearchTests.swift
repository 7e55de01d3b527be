@testable import Hit
import HitTarget
import HitTestSupport
import Testing

/// One search at a time: each measures latency against a server of known capacity, and two at once
/// on a machine of two cores measure each other.
@Suite(.serialized) struct CapacitySearchTests {
    @Test func itFindsTheTargetRoutesKnownCapacityWithinTenPercent() throws {
        try withTargetServer { server in
            // 4 slots of 50 ms: 80 requests a second, the rest queued.
            var search = CapacitySearch(targets: [Request(url: server.baseURL + "/capacity/4/50")], client: ClientOptions(),
                                        thresholds: try Threshold.parseList("p99>150ms"))
            search.startRate = 20
            search.step = .seconds(2)
            search.warmUp = .milliseconds(500)
            var seen: [CapacitySearch.Step] = []
            let outcome = try search.run { seen.append($0) }
            let found = try #require(outcome.maximumRate, "\(outcome.reason)")
            #expect((72...88).contains(found), "found \(found)/s for a capacity of 80/s: \(outcome.steps.map { ($0.askedRate, $0.passed) })")
            #expect(seen == outcome.steps)
            // The curve: passes below the answer, fails above it, and above capacity the completed rate stays at capacity.
            #expect(outcome.steps.filter(\.passed).allSatisfy { $0.askedRate <= found })
            #expect(outcome.steps.filter { !$0.passed }.allSatisfy { $0.askedRate > found })
            for step in outcome.steps where step.askedRate >= 100 {
                #expect(step.completedRate < 90, "\(step)")
                #expect(step.sentRate > 95, "hit sent the asked rate; the server did not keep up: \(step)")
            }
            // The server keeps no more than its capacity: no step above it passes, however its p99 looked.
            #expect(found <= 80 * 1.02, "found \(found)/s for a capacity of 80/s")
        }
    }

    @Test func aFixedConcurrencyTooSmallForTheRateIsNamedAsHitsLimit() throws {
        try withTargetServer { server in
            // One worker and 100 ms responses: 10 a second at most, whatever the server could do.
            var search = CapacitySearch(targets: [Request(url: server.baseURL + "/delay/100")], client: ClientOptions(),
                                        thresholds: try Threshold.parseList("p99>2s"))
            search.startRate = 20
            search.concurrency = 1
            search.step = .seconds(1)
            search.warmUp = .milliseconds(200)
            search.maximumRate = 40
            let outcome = try search.run()
            #expect(outcome.steps.contains { $0.limitedByHit && !$0.passed })
            #expect(outcome.limitedByHit)
            #expect(outcome.steps.contains { $0.limit == .workers })
            #expect(SearchReport.conclusion(outcome).contains("Try a larger -c"))
        }
    }

    @Test func aStepAboveCapacityFailsForItsGrowingQueueEvenWhenItsRulesPass() throws {
        try withTargetServer { server in
            // 4 slots of 50 ms: 80 a second. At 88 a second the queue grows by 8 a second, which a
            // two-second step never lets reach a p99 of 10 s: only the queue shows it.
            var search = CapacitySearch(targets: [Request(url: server.baseURL + "/capacity/4/50")], client: ClientOptions(),
                                        thresholds: try Threshold.parseList("p99>10s"))
            search.startRate = 88
            search.maximumRate = 88
            search.concurrency = 64
            search.step = .seconds(2)
            search.warmUp = .milliseconds(500)
            let outcome = try search.run()
            let step = try #require(outcome.steps.first)
            #expect(step.failedRules.isEmpty, "the rule alone passes: \(step)")
            #expect(step.reachedRate && !step.limitedByHit, "hit sent the asked rate: \(step)")
            #expect(!step.keptPace && !step.passed, "\(step)")
            #expect(step.sentRate > step.completedRate)
            #expect(step.inFlightAtEnd - step.inFlightAtStart >= 8, "\(step)")
            #expect(outcome.maximumRate == nil)
            #expect(SearchReport.row(step).contains("FAIL: the queue grew by"), "\(SearchReport.row(step))")
        }
    }

    @Test func aStepBelowCapacityKeepsPace() throws {
        try withTargetServer { server in
            var search = CapacitySearch(targets: [Request(url: server.baseURL + "/capacity/4/50")], client: ClientOptions(),
                                        thresholds: try Threshold.parseList("p99>10s"))
            search.startRate = 40
            search.maximumRate = 40
            search.concurrency = 64
            search.step = .seconds(2)
            search.warmUp = .milliseconds(500)
            let outcome = try search.run()
            let step = try #require(outcome.steps.first)
            #expect(step.passed && step.keptPace && step.reachedRate, "\(step)")
            #expect(abs(step.sentRate - 40) <= 1 && abs(step.completedRate - 40) <= 2, "\(step)")
            #expect(step.limit == nil)
            #expect(outcome.maximumRate == 40)
        }
    }

    /// hit's own limit is named by its cause: the workers only when their number was fixed (or at
    /// hit's most) and every one was busy; else the CPU, where a larger -c would not help.
    @Test func theLimitsCauseFollowsWhoSizedTheWorkers() throws {
        var search = CapacitySearch(targets: [Request(url: "http://127.0.0.1:1/")], client: ClientOptions(),
                                    thresholds: try Threshold.parseList("p99>50ms"))
        #expect(search.limit(allWorkersBusy: true, workers: 640) == .cpu, "hit sized them: not a matter of -c")
        #expect(search.limit(allWorkersBusy: false, workers: 640) == .cpu)
        #expect(search.limit(allWorkersBusy: true, workers: Workers.maximumForSearch) == .workers)
        search.concurrency = 4
        #expect(search.limit(allWorkersBusy: true, workers: 4) == .workers)
        #expect(search.limit(allWorkersBusy: false, workers: 4) == .cpu, "workers to spare")

        func outcome(_ limit: CapacitySearch.Limit) -> CapacitySearch.Outcome {
            let step = CapacitySearch.Step(askedRate: 1600, workers: 640, sentRate: 1400, completedRate: 1400, inFlightAtStart: 2,
                                           inFlightAtEnd: 2, p50: .milliseconds(1), p99: .milliseconds(4), errorsPercent: 0, passed: false,
                                           reachedRate: false, keptPace: true, limitedByHit: true, limit: limit, cpuPercent: 48,
                                           failedRules: [])
            return CapacitySearch.Outcome(steps: [step], maximumRate: 1550, limitedByHit: true, reason: "…", interrupted: false)
        }
        let cpu = SearchReport.conclusion(outcome(.cpu))
        #expect(!cpu.contains("Try a larger -c"), "\(cpu)")
        #expect(cpu.contains("CPU") && cpu.contains("48%") && cpu.contains("a larger -c would not help"), "\(cpu)")
        #expect(SearchReport.row(outcome(.cpu).steps[0]).contains("FAIL: hit was the limit (CPU)"))
        let workers = SearchReport.conclusion(outcome(.workers))
        #expect(workers.contains("Try a larger -c") && !workers.contains("CPU"), "\(workers)")
    }

    @Test func theHeadingSaysWhatAPassingStepKeeps() throws {
        let header = SearchReport.header(rules: try Threshold.parseList("p99>150ms"))
        #expect(header.hasPrefix("Capacity search: the highest rate that keeps p99 ≤ 150ms\n"), "\(header)")
        #expect(header.contains("sent/s") && header.contains("completed/s") && !header.contains("achieved"))
        let two = SearchReport.header(rules: try Threshold.parseList("p99>150ms,errors>1%"))
        #expect(two.hasPrefix("Capacity search: the highest rate that keeps p99 ≤ 150ms and errors ≤ 1%\n"), "\(two)")
    }

    @Test func rulesThatNoRateCouldFailAreRefused() throws {
        var search = CapacitySearch(targets: [Request(url: "http://127.0.0.1:1/")], client: ClientOptions(), thresholds: [])
        #expect(throws: CapacitySearch.Problem.noRules) { try search.validate() }
        search.thresholds = try Threshold.parseList("errors>100%,p99>9000s,rps<0")
        #expect(throws: CapacitySearch.Problem.self) { try search.validate() }
        search.thresholds = try Threshold.parseList("errors>100%,p99>50ms")
        #expect(throws: Never.self) { try search.validate() }
    }
}
