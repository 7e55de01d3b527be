import Hit
import Testing

@Suite struct TallyTests {
    @Test func eachOutcomeIsCountedOnce() {
        var tally = Tally()
        tally.record(RequestResult(status: 200, bytes: 0, latency: .milliseconds(10)))
        tally.record(RequestResult(status: 503, bytes: 0, latency: .milliseconds(30)))
        tally.record(RequestResult(status: 0, bytes: 0, latency: .milliseconds(99), error: TransferError(kind: .reset, message: "x")))
        #expect(tally.completed == 3)
        #expect(tally.succeeded == 1)
        #expect(tally.failed == 1)
        #expect(tally.errored == 1)
        #expect(tally.meanLatency == .milliseconds(20), "the mean is over responses only")
    }

    @Test func theSummaryKeepsOneTallyInAllAndOnePerTarget() {
        var summary = Summary(requested: 3, targets: 2)
        summary.record(RequestResult(status: 200, bytes: 0, latency: .milliseconds(1), target: 0))
        summary.record(RequestResult(status: 404, bytes: 0, latency: .milliseconds(1), target: 1))
        summary.record(RequestResult(status: 200, bytes: 0, latency: .milliseconds(1), target: 1))
        #expect(summary.total.completed == 3)
        #expect(summary.perTarget.map(\.completed) == [1, 2])
        #expect(summary.perTarget.map(\.failed) == [0, 1])
        #expect(summary.failed == 1)
    }
}

@Suite struct DroppedRequestTests {
    /// 90 responses of 1…90 ms and 10 requests dropped: 100 due.
    private func summaryWithDropped() -> Summary {
        var summary = Summary(requested: nil, rate: 100)
        for ms in 1...90 {
            summary.record(RequestResult(status: 200, bytes: 0, latency: .milliseconds(Int64(ms)), correctedLatency: .milliseconds(Int64(ms))))
        }
        summary.started = 90
        summary.dropped = 10
        return summary
    }

    @Test func droppedRequestsRankAboveEveryResponseInCorrectedPercentiles() {
        let summary = summaryWithDropped()
        #expect(summary.correctedLatency.count == 90, "a dropped request has no latency: it is in no histogram")
        // Each within its HDR bucket (three digits): 50 ms reads as 50.015 ms.
        func near(_ value: Duration?, _ ms: Int64) -> Bool { value.map { abs(($0 - .milliseconds(ms)).seconds) < 0.0001 } ?? false }
        #expect(near(summary.correctedPercentile(50), 50), "the 50th of 100 due is the 50th response")
        #expect(summary.correctedPercentile(90) == .milliseconds(90), "the 90th of 100 is the slowest response")
        #expect(summary.correctedPercentile(90.5) == nil && summary.correctedPercentileIsDropped(99), "beyond it: the dropped")
        #expect(summary.correctedLatency.min == .milliseconds(1), "min is of the responses, untouched")
        #expect(summary.latency.percentile(99) == .milliseconds(89) || summary.latency.percentile(99) == .milliseconds(90),
                "uncorrected percentiles ignore the dropped")
    }

    @Test func withoutDroppedRequestsCorrectedPercentilesAreTheHistograms() {
        var summary = summaryWithDropped()
        summary.dropped = 0
        for p in Summary.reportedPercentiles {
            #expect(summary.correctedPercentile(p) == summary.correctedLatency.percentile(p))
        }
    }

    @Test func aLatencyRuleThatReachesTheDroppedFails() throws {
        let summary = summaryWithDropped()
        let p99 = try Threshold.parseList("p99>10s")[0].evaluate(summary)
        #expect(p99.failed && p99.amongDropped && p99.measured == nil)
        #expect(p99.measuredText.hasPrefix("dropped"))
        let p50 = try Threshold.parseList("p50>60ms")[0].evaluate(summary)
        #expect(!p50.failed && p50.measured.map { abs($0 - 50_000) < 100 } == true, "a percentile below the dropped is measured as usual")
        let uncorrected = try Threshold.parseList("uncorrected:p99>1s")[0].evaluate(summary)
        #expect(!uncorrected.failed, "uncorrected latency knows nothing of the dropped")
    }

    @Test func aRunThatDroppedRequestsDoesNotPass() {
        var summary = summaryWithDropped()
        summary.allWorkersWereBusy = true
        let verdict = Verdict(summary, thresholds: [])
        #expect(verdict.outcome == .failed)
        #expect(verdict.reason == "10 of 100 requests due were dropped, never sent: every worker was busy; raise -c")
    }

    @Test func aRunThatSentBelowTheAskedRateDoesNotPass() {
        var summary = Summary(requested: nil, rate: 200)
        // 48 a second: one request every 20.8 ms for 3 s.
        for k in 0..<144 {
            var result = RequestResult(status: 200, bytes: 0, latency: .milliseconds(20))
            result.offset = .microseconds(Int64(k) * 20_833)
            summary.record(result)
        }
        summary.allWorkersWereBusy = true
        let verdict = Verdict(summary, thresholds: [])
        #expect(verdict.outcome == .failed)
        #expect(verdict.reason == "sent 48.0/s of the 200/s asked: every worker was busy; raise -c")
    }

    @Test func aRunWithinTheToleranceOrTheSlackPasses() {
        var summary = Summary(requested: nil, rate: 100)
        for k in 0..<100 {
            var result = RequestResult(status: 200, bytes: 0, latency: .milliseconds(1))
            result.offset = .microseconds(Int64(k) * 10_400)  // 96.2/s: within 5%
            summary.record(result)
        }
        #expect(Verdict(summary, thresholds: []).outcome == .passed)
        var short = Summary(requested: nil, rate: 1000)
        for k in 0..<5 {
            var result = RequestResult(status: 200, bytes: 0, latency: .milliseconds(1))
            result.offset = .microseconds(Int64(k) * 1_000 + (k == 4 ? 5_000 : 0))  // the last 5 ms late
            short.record(result)
        }
        #expect(Verdict(short, thresholds: []).outcome == .passed, "a few ms at the end of a short run is no shortfall")
    }

    @Test func errorExamplesLoseTheSecretsLibcurlQuotes() {
        var summary = Summary(requested: 1)
        summary.record(RequestResult(status: 0, bytes: 0, latency: .zero,
                                     error: TransferError(kind: .dns, message: "Unsupported proxy syntax in 'http://u:PrxSECRET@127.0.0.1:3128x'")))
        summary.scrubErrorExamples(of: ["PrxSECRET"])
        #expect(summary.errorCounts[.dns]?.example == "Unsupported proxy syntax in 'http://u:[redacted]@127.0.0.1:3128x'")
    }
}
