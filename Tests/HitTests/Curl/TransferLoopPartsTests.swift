import Dispatch
@testable import Hit
import Testing

/// The transfer loop's parts that decide without libcurl or a clock: paced jobs kept until due,
/// the ramp, the pacing leads and cut-off, and the results' batches.
@Suite struct TransferLoopPartsTests {
    private func job(_ index: Int, due: UInt64?) -> Job {
        Job(index: index, target: 0, due: due.map { DispatchTime(uptimeNanoseconds: $0) })
    }

    @Test func earlyJobsComeOutInOrderOfDueTime() {
        var early = EarlyJobs()
        for (index, due) in [(0, 300), (1, 100), (2, 200), (3, 100), (4, 400)] { early.keep(job(index, due: UInt64(due))) }
        #expect(early.count == 5 && early.firstDue == 100)
        #expect(early.next(dueBy: 99)?.index == nil)
        var taken: [Int] = []
        while let next = early.next(dueBy: 300) { taken.append(next.index) }
        // Jobs due at the same time keep the order they came in.
        #expect(taken == [1, 3, 2, 0])
        #expect(early.firstDue == 400)
        early.removeAll()
        #expect(early.isEmpty && early.firstDue == nil)
    }

    @Test func theRampStartsTheKthOfNWorkersAtKOverNOfIt() {
        #expect(RampUp<Int>.starts(of: 4, from: 1_000, over: 400) == [1_000, 1_100, 1_200, 1_300])
        #expect(RampUp<Int>.starts(of: 0, from: 1_000, over: 400) == [])
        var ramp = RampUp([10, 11, 12, 13], from: 1_000, over: 400)
        #expect(ramp.nextStart == 1_100)
        #expect(ramp.started(by: 1_099) == [])
        #expect(ramp.started(by: 1_250) == [11, 12])
        #expect(ramp.nextStart == 1_300)
        #expect(ramp.removeAll() == [13])
        #expect(ramp.isEmpty && ramp.nextStart == nil)
    }

    @Test func pacingWakesThenHandsOnThenDropsPastTheCutOff() {
        var pacing = Pacing(rate: 1_000)  // a request every ms: leads of 60 µs and 120 µs
        #expect(pacing.handOffLead == 60_000 && pacing.wakeLead == 120_000)
        #expect(!pacing.isTimeToWake(for: 1_000_000, now: 879_999))
        #expect(pacing.isTimeToWake(for: 1_000_000, now: 880_000))
        #expect(!pacing.isTimeToHandOff(1_000_000, now: 939_999))
        #expect(pacing.isTimeToHandOff(1_000_000, now: 940_000))
        // At 40 000/s, a quarter of the 25 µs between requests each.
        let fast = Pacing(rate: 40_000)
        #expect(fast.handOffLead == 6_250 && fast.wakeLead == 12_500)
        #expect(!pacing.dropsJobs(at: .max))
        pacing.cutoff = 5_000
        #expect(!pacing.dropsJobs(at: 5_000) && pacing.dropsJobs(at: 5_001))
    }

    @Test func resultsGoInBatchesByCountOrAge() {
        var batch = ResultBatch()
        #expect(!batch.isDue(now: .max))
        #expect(batch.millisecondsUntilDue(now: 0) == 1000)
        batch.append(RequestResult(status: 200, bytes: 0, latency: .milliseconds(1)), handedOff: 1_000_000)
        #expect(!batch.isDue(now: 10_999_999))
        #expect(batch.isDue(now: 11_000_000), "10 ms after the first one's hand-off")
        #expect(batch.millisecondsUntilDue(now: 4_000_000) == 7)
        #expect(batch.millisecondsUntilDue(now: 50_000_000) == 1, "overdue: as soon as possible, never a wrapped wait")
        // A later result does not move the batch's age.
        batch.append(RequestResult(status: 200, bytes: 0, latency: .milliseconds(1)), handedOff: 9_000_000)
        #expect(batch.since == 1_000_000)
        for _ in 2..<ResultBatch.flushCount {
            batch.append(RequestResult(status: 200, bytes: 0, latency: .milliseconds(1)), handedOff: 9_000_000)
        }
        #expect(batch.isDue(now: 1_000_000), "\(ResultBatch.flushCount) waiting")
        batch.removeAll()
        #expect(batch.isEmpty && !batch.isDue(now: .max))
    }
}
