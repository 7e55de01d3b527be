@testable import Hit
import HitTarget
import HitTestSupport
import Testing

@Suite struct CapacitySearchTests {
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
            // The curve: passes below the answer, fails above it, and above capacity the achieved rate stays at capacity.
            #expect(outcome.steps.filter(\.passed).allSatisfy { $0.askedRate <= found })
            #expect(outcome.steps.filter { !$0.passed }.allSatisfy { $0.askedRate > found })
            for step in outcome.steps where step.askedRate >= 100 { #expect(step.achievedRate < 90, "\(step)") }
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
            #expect(SearchReport.conclusion(outcome).contains("Try a larger -c"))
        }
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
