@testable import Hit
import Testing

/// The pass rule of a capacity-search step, on requests whose times are given: no network.
@Suite struct StepPaceTests {
    /// A step at `rate` for `warmUp + length`: request i is written at i ÷ rate (or `late` of
    /// them are never sent), served first come first served by `slots` slots of `service` each,
    /// as the target server's /capacity route does.
    static func pace(rate: Double, capacity slots: Int, service: Duration, warmUp: Duration = .milliseconds(500),
                     length: Duration = .seconds(2), sendShare: Double = 1) -> StepPace {
        var pace = StepPace(start: warmUp, length: length, rate: rate)
        let end = warmUp + length
        var free = Array(repeating: Duration.zero, count: slots)
        var unfinished = 0
        var index = 0
        while true {
            let due = Duration(secondsValue: Double(index) / rate)!
            guard due < end else { break }
            index += 1
            // Only `sendShare` of the requests go out (hit could not send the rest).
            if sendShare < 1, index % Int((1 / (1 - sendShare)).rounded()) == 0 { continue }
            let slot = free.indices.min { free[$0] < free[$1] }!
            let ended = max(due, free[slot]) + service
            free[slot] = ended
            if ended >= end { unfinished += 1 } else { pace.record(sentAt: due, endedAt: ended) }
        }
        pace.recordUnfinished(unfinished)
        return pace
    }

    @Test func aServerThatKeepsUpPasses() {
        let pace = Self.pace(rate: 40, capacity: 4, service: .milliseconds(50))
        #expect(pace.sent == 80 && pace.due == 80)
        #expect(pace.completed == 80 || pace.completed == 79)
        #expect(pace.reachedRate && pace.keptPace)
        #expect(pace.sentRate == 40)
    }

    @Test func aQueueGrowingByThreePercentFailsThoughNoPercentileWouldShowIt() {
        // The audit's case: 82.5/s asked of a service of 80/s, two seconds after half a second.
        let pace = Self.pace(rate: 82.5, capacity: 4, service: .milliseconds(50))
        #expect(pace.reachedRate)
        #expect(pace.queueGrowth >= 4, "\(pace)")
        #expect(!pace.keptPace, "\(pace)")
        #expect(pace.completedRate < pace.sentRate)
        // And 10% over: far out.
        #expect(!Self.pace(rate: 88, capacity: 4, service: .milliseconds(50)).keptPace)
    }

    @Test func sendsAndCompletionsDifferByExactlyTheQueuesGrowth() {
        for rate in [10.0, 40, 79, 82.5, 120] {
            let pace = Self.pace(rate: rate, capacity: 4, service: .milliseconds(50))
            #expect(pace.sent - pace.completed == pace.queueGrowth, "\(rate): \(pace)")
        }
    }

    @Test func sendsShortOfTheAskedRateFail() {
        let short = Self.pace(rate: 100, capacity: 8, service: .milliseconds(10), sendShare: 0.9)
        #expect(!short.reachedRate, "\(short)")
        #expect(short.keptPace, "the server kept up with what it got")
        let nearly = Self.pace(rate: 100, capacity: 8, service: .milliseconds(10), sendShare: 0.97)
        #expect(nearly.reachedRate, "\(nearly)")
    }

    @Test func aFewRequestsOfJitterAreAllowedAndRequestsLeftInFlightCountAsGrowth() {
        var pace = StepPace(start: .seconds(1), length: .seconds(1), rate: 10)
        // 10 sent and answered in the measured part, 3 left in flight: within the allowance of 3.
        for i in 0..<10 { pace.record(sentAt: .milliseconds(1000 + 100 * i), endedAt: .milliseconds(1000 + 100 * i + 20)) }
        pace.recordUnfinished(3)
        #expect(pace.sent == 13 && pace.completed == 10 && pace.queueGrowth == 3)
        #expect(pace.keptPace)
        pace.recordUnfinished(1)
        #expect(!pace.keptPace)
        // A request answered before the measured part counts nowhere; one answered in it after
        // being sent before it was in flight at its start.
        var edges = StepPace(start: .seconds(1), length: .seconds(1), rate: 10)
        edges.record(sentAt: .milliseconds(100), endedAt: .milliseconds(200))
        edges.record(sentAt: .milliseconds(900), endedAt: .milliseconds(1100))
        #expect(edges.sent == 0 && edges.completed == 1 && edges.inFlightAtStart == 1 && edges.queueGrowth == -1)
    }
}
