import Hit
import HitTestSupport
import Testing

/// How rules and failed requests combine into a verdict.
@Suite struct VerdictTests {
    /// A paced run's summary whose requests were answered in 5 ms but held back 800 ms before they
    /// were sent: uncorrected latency looks fine, corrected latency does not.
    static func heldBack() -> Summary {
        var summary = Summary(requested: 10, rate: 100)
        for i in 0..<10 {
            summary.record(RequestResult(status: 200, bytes: 0, latency: .milliseconds(5), offset: .milliseconds(10 * i),
                                         lateness: .milliseconds(800)))
        }
        return summary
    }

    @Test func aLatencyRuleDoesNotHideFailedRequests() throws {
        try withTargetServer { server in
            let summary = try LoadTest(request: Request(url: server.baseURL + "/status/500"),
                                       options: Options(requests: 20, concurrency: 4)).run()
            let latencyOnly = Verdict(summary, thresholds: [try Threshold(parsing: "p99>1s")])
            #expect(latencyOnly.thresholds.allSatisfy { !$0.failed }, "the rule itself holds no failure")
            #expect(latencyOnly.outcome == .failed)
            #expect(latencyOnly.reason.contains("20 of 20 requests failed"), "\(latencyOnly.reason)")
            #expect(latencyOnly.reason.contains("500 ×20"))
            // A rule about errors or statuses decides alone.
            #expect(Verdict(summary, thresholds: try Threshold.parseList("p99>1s,status5xx>20")).outcome == .passed)
            #expect(Verdict(summary, thresholds: try Threshold.parseList("p99>1s,errors>50%")).outcome == .failed)
            #expect(Verdict(summary, thresholds: try Threshold.parseList("timeouts>0")).outcome == .failed,
                    "a rule on timeouts does not judge statuses")
        }
    }

    @Test func latencyRulesJudgeCorrectedLatencyUnderARate() throws {
        let summary = Self.heldBack()
        let byDefault = try Threshold(parsing: "p99>100ms").evaluate(summary)
        #expect(byDefault.judged == .corrected)
        #expect(byDefault.failed)
        #expect(byDefault.measuredText.hasSuffix("(corrected)"))
        let named = try Threshold(parsing: "uncorrected:p99>100ms").evaluate(summary)
        #expect(named.judged == .uncorrected)
        #expect(!named.failed)
        #expect(named.measuredText == "5.00ms (uncorrected)")
        for metric in ["min", "mean", "max", "p50"] {
            #expect(try Threshold(parsing: "\(metric)>100ms").evaluate(summary).failed, "\(metric) is corrected")
            #expect(try !Threshold(parsing: "uncorrected:\(metric)>100ms").evaluate(summary).failed)
        }
        #expect(Verdict(summary, thresholds: [try Threshold(parsing: "p99>100ms")]).outcome == .failed)
    }

    @Test func withoutARateLatencyIsAsMeasured() throws {
        var summary = Summary(requested: 1)
        summary.record(RequestResult(status: 200, bytes: 0, latency: .milliseconds(5)))
        let outcome = try Threshold(parsing: "corrected:p99>1ms").evaluate(summary)
        #expect(outcome.judged == .uncorrected, "an unpaced run has no schedule to correct for")
        #expect(outcome.failed)
    }

    @Test func latencyPrefixesParse() throws {
        #expect(try Threshold(parsing: "uncorrected:p99.9>1ms").latency == .uncorrected)
        #expect(try Threshold(parsing: "corrected:max>1s").latency == .corrected)
        #expect(try Threshold(parsing: "p99>1s").latency == nil)
        #expect(throws: Threshold.ParseError.self) { try Threshold(parsing: "corrected:errors>1") }
        do {
            _ = try Threshold(parsing: "raw:p99>1ms")
        } catch {
            #expect(error.part == "raw")
        }
    }

    @Test func nothingCompletedIsNotAPass() {
        var summary = Summary(requested: nil)
        summary.deadlineReached = true
        summary.abandoned = 4
        let verdict = Verdict(summary, thresholds: [])
        #expect(verdict.outcome == .failed)
        #expect(verdict.reason == "nothing completed: 4 requests in flight were aborted")
        #expect(Verdict(summary, thresholds: [try! Threshold(parsing: "errors>0")]).outcome == .failed)
    }

    @Test func everyOutcomeSaysWhy() throws {
        var clean = Summary(requested: 1)
        clean.record(RequestResult(status: 200, bytes: 0, latency: .milliseconds(1)))
        #expect(Verdict(clean, thresholds: []).reason == "every request succeeded")
        var refused = Summary(requested: 1)
        refused.record(RequestResult(status: 0, bytes: 0, latency: .zero, error: TransferError(kind: .connect, message: "refused")))
        #expect(Verdict(refused, thresholds: []).reason == "every request failed to connect (connect: refused)")
        var interrupted = Summary(requested: 10)
        interrupted.interrupted = true
        interrupted.started = 3
        #expect(Verdict(interrupted, thresholds: []).reason.hasPrefix("0 of 10 requests completed"))
    }
}
