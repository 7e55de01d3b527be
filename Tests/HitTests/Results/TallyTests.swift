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
    @Test func droppedRequestsCountInCorrectedLatencyFromWhenTheyWereDue() {
        var summary = Summary(requested: nil, rate: 100)
        summary.recordDropped(count: 10, firstOverdue: .milliseconds(100), rate: 100)
        #expect(summary.dropped == 10)
        #expect(summary.correctedLatency.count == 10)
        #expect(abs(summary.correctedLatency.max.seconds - 0.100) < 0.0002)
        #expect(abs(summary.correctedLatency.min.seconds - 0.010) < 0.0002, "the last one was due 10 ms before the end")
    }

    @Test func aFloodOfDroppedRequestsIsSampledWithItsWeight() {
        var summary = Summary(requested: nil, rate: 1e6)
        summary.recordDropped(count: 3_000_001, firstOverdue: .seconds(3), rate: 1e6)
        #expect(summary.dropped == 3_000_001)
        #expect(summary.correctedLatency.count == 3_000_001)
        #expect(abs(summary.correctedLatency.percentile(50).seconds - 1.5) < 0.01)
    }

    @Test func errorExamplesLoseTheSecretsLibcurlQuotes() {
        var summary = Summary(requested: 1)
        summary.record(RequestResult(status: 0, bytes: 0, latency: .zero,
                                     error: TransferError(kind: .dns, message: "Unsupported proxy syntax in 'http://u:PrxSECRET@127.0.0.1:3128x'")))
        summary.scrubErrorExamples(of: ["PrxSECRET"])
        #expect(summary.errorCounts[.dns]?.example == "Unsupported proxy syntax in 'http://u:[redacted]@127.0.0.1:3128x'")
    }
}

@Suite struct DroppedRequestBoundsTests {
    @Test func anAbsurdNumberOfDroppedRequestsStaysRepresentable() {
        var summary = Summary(requested: nil, rate: 10_000_000)
        summary.recordDropped(count: 36_000_000_000, firstOverdue: .seconds(3600), rate: 10_000_000)
        #expect(summary.dropped == 36_000_000_000)
        #expect(summary.correctedLatency.mean > .zero, "the HDR sums do not overflow")
        #expect(summary.correctedLatency.percentile(99) <= .seconds(3601))
    }
}
