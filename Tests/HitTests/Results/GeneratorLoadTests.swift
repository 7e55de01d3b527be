@testable import Hit
import Testing

@Suite struct GeneratorLoadTests {
    @Test func aLoopAtNinetyPercentIsSaturated() {
        #expect(!GeneratorLoad(loopBusy: [0.2, 0.899], cpuSeconds: 1, peakResidentBytes: 0).saturated)
        let busy = GeneratorLoad(loopBusy: [0.5, 0.97], cpuSeconds: 1, peakResidentBytes: 0)
        #expect(busy.saturated)
        #expect(busy.limitNote == "hit's 2 event loops were up to 97% busy: this throughput is hit's limit as much as the "
            + "server's; add --loops, cores or shards")
        #expect(GeneratorLoad(loopBusy: [], cpuSeconds: 0, peakResidentBytes: 0).limitNote == nil)
    }

    @Test func aThrottledHitIsSaturatedWhateverItsLoopsSay() {
        let throttled = GeneratorLoad(loopBusy: [0.3], cpuSeconds: 0.02, peakResidentBytes: 0, quotaThrottled: 0.97)
        #expect(throttled.saturated)
        #expect(throttled.limitNote?.hasPrefix("hit's CPU quota stopped it in 97% of the quota's periods") == true)
        #expect(!GeneratorLoad(loopBusy: [0.3], cpuSeconds: 0.02, peakResidentBytes: 0, quotaThrottled: 0.05).saturated)
        var merged = GeneratorLoad(loopBusy: [0.3], cpuSeconds: 1, peakResidentBytes: 0)
        merged.merge(throttled)
        #expect(merged.quotaThrottled == 0.97 && merged.saturated)
    }

    @Test func shardsAddTheirLoopsAndCPU() {
        var merged = GeneratorLoad(loopBusy: [0.5], cpuSeconds: 1.5, peakResidentBytes: 30)
        merged.merge(GeneratorLoad(loopBusy: [0.95], cpuSeconds: 2, peakResidentBytes: 20))
        #expect(merged == GeneratorLoad(loopBusy: [0.95, 0.5], cpuSeconds: 3.5, peakResidentBytes: 30))
        #expect(merged.saturated)
    }

    @Test func theOrderOfTheShardsDoesNotChangeTheSum() {
        let parts = [0.1, 0.2, 0.3].map { GeneratorLoad(loopBusy: [$0], cpuSeconds: $0, peakResidentBytes: 0) }
        func merged(_ parts: [GeneratorLoad]) -> GeneratorLoad {
            parts.dropFirst().reduce(into: parts[0]) { $0.merge($1) }
        }
        // In binary, 0.1 + 0.2 + 0.3 is not 0.3 + 0.2 + 0.1.
        #expect(merged(parts) == merged(parts.reversed()))
        #expect(merged(parts).cpuSeconds == 0.6)
    }

    @Test func aSummaryCarriesItThroughTheJSON() throws {
        var summary = Summary(requested: 1)
        summary.record(RequestResult(status: 200, bytes: 0, latency: .milliseconds(1)))
        summary.started = 1
        summary.generator = GeneratorLoad(loopBusy: [0.93], cpuSeconds: 0.25, peakResidentBytes: 12_000_000)
        let report = JSONReport(summary, test: LoadTest(request: Request(url: "http://127.0.0.1:1/"), options: Options(requests: 1)))
        #expect(report.generator?.saturated == true)
        #expect(TextReport(summary).description.contains("hit's event loop was 93% busy"))
        let back = try Summary(report: report)
        #expect(back.generator == summary.generator)
    }
}
