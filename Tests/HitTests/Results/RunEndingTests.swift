@testable import Hit
import Testing

/// How a run ended: one value, from the reason its stop carried.
@Suite struct RunEndingTests {
    @Test func theStopsReasonSaysHowTheRunEnded() {
        #expect(LoadTest.ending(stoppedFor: nil, scheduleCutAtDeadline: false, completedAll: true) == .completed)
        #expect(LoadTest.ending(stoppedFor: .user, scheduleCutAtDeadline: false, completedAll: false) == .interrupted)
        // Stopped once everything asked for had completed: it ran its course.
        #expect(LoadTest.ending(stoppedFor: .user, scheduleCutAtDeadline: false, completedAll: true) == .completed)
        #expect(LoadTest.ending(stoppedFor: .deadline, scheduleCutAtDeadline: false, completedAll: false) == .deadline)
        // A paced schedule that ended before the first request due at the deadline reached it.
        #expect(LoadTest.ending(stoppedFor: nil, scheduleCutAtDeadline: true, completedAll: false) == .deadline)
        let csv = StopReason.caller(cause: "the reader of the CSV rows went away", fails: false)
        #expect(LoadTest.ending(stoppedFor: csv, scheduleCutAtDeadline: false, completedAll: false)
            == .stopped(cause: "the reader of the CSV rows went away", fails: false))
    }

    @Test func aSummaryReadsItsEndingFourWays() {
        var summary = Summary(requested: 10)
        #expect(!summary.interrupted && !summary.deadlineReached && summary.stopCause == nil && !summary.stopFails)
        summary.ending = .stopped(cause: "certificates", fails: true)
        #expect(summary.interrupted && !summary.deadlineReached && summary.stopCause == "certificates" && summary.stopFails)
        summary.ending = .deadline
        #expect(!summary.interrupted && summary.deadlineReached && summary.stopCause == nil)
    }

    @Test func aShardStoppedEarlyStopsTheMerge() {
        let order: [RunEnding] = [.completed, .deadline, .interrupted, .stopped(cause: "c", fails: false)]
        for (i, a) in order.enumerated() {
            for (j, b) in order.enumerated() {
                #expect(a.merged(with: b) == order[max(i, j)], "\(a) with \(b)")
            }
        }
    }
}
