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
