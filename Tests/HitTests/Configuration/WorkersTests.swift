@testable import Hit
import Testing

/// The worker count's defaults, in one place: a run without -c, its shards, a search step.
@Suite struct WorkersTests {
    @Test func anUnpacedRunHasAWorkerPerProcess() {
        #expect(Workers.byDefault(requests: 100, peakRate: nil) == 1)
        #expect(Workers.byDefault(requests: 100, peakRate: nil, shards: 3) == 3)
        #expect(Workers.byDefault(requests: nil, peakRate: nil, shards: 4) == 4)
    }

    @Test func aPacedRunHasTheRateTimesASecondFrom10To1000() {
        #expect(Workers.byDefault(requests: nil, peakRate: 5) == 10)
        #expect(Workers.byDefault(requests: nil, peakRate: 200) == 200)
        #expect(Workers.byDefault(requests: nil, peakRate: 250.5) == 251)
        #expect(Workers.byDefault(requests: nil, peakRate: 50_000) == 1000)
        // Per process: three shards of 50 000/s have up to 3000 between them, 1000 each.
        #expect(Workers.byDefault(requests: nil, peakRate: 50_000, shards: 3) == 3000)
        #expect(Workers.byDefault(requests: nil, peakRate: .infinity) == 1)
    }

    @Test func connectionsTimesStreamsCarryTheRequestsInFlight() {
        #expect(Workers.byDefault(requests: nil, peakRate: 100, connections: 4, streams: 50) == 200)
        #expect(Workers.byDefault(requests: nil, peakRate: nil, connections: .max, streams: 2) == Options.maximumConcurrency)
        // One of the two alone does not say how many requests are in flight.
        #expect(Workers.byDefault(requests: nil, peakRate: 100, connections: 4) == 100)
    }

    @Test func neverMoreWorkersThanRequestsNorFewerThanAProcessEach() {
        #expect(Workers.byDefault(requests: 7, peakRate: 100) == 7)
        #expect(Workers.byDefault(requests: 20, peakRate: nil, connections: 4, streams: 50) == 20)
        #expect(Workers.byDefault(requests: 2, peakRate: nil, shards: 3) == 2)
        #expect(Workers.byDefault(requests: 5, peakRate: 1, shards: 3) == 5)
    }

    @Test func aSearchStepHasTwiceWhatLittlesLawAsks() {
        #expect(Workers.forSearchStep(rate: 100, latency: nil) == 10)  // 50 ms assumed
        #expect(Workers.forSearchStep(rate: 10, latency: nil) == 8)
        #expect(Workers.forSearchStep(rate: 1000, latency: .milliseconds(200)) == 400)
        #expect(Workers.forSearchStep(rate: 1_000_000, latency: .seconds(1)) == Workers.maximumForSearch)
    }
}
