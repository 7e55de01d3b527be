import Dispatch
import Foundation
@testable import Hit
import HitTarget
import HitTestSupport
import Testing

/// Stages and ramps, run against the target server.
@Suite struct StagesTests {
    @Test func theServerSeesExactlyTheIntegralAndEachRequestAtItsDueTime() throws {
        try withTargetServer { server in
            var options = Options(requests: nil, concurrency: 8)
            options.stages = try Stage.parseList("1s:200,1s:200,500ms:0")  // 100 + 200 + 50
            let schedule = try #require(options.schedule)
            var results: [RequestResult] = []
            let summary = try LoadTest(request: Request(url: server.baseURL + "/"), options: options).run { results.append($0) }
            #expect(summary.completed == 350 && summary.requested == 350)
            #expect(server.stats.requestsSeen == 350, "the server's count is the integral")
            #expect(summary.dropped == 0)
            #expect(Set(results.map(\.index)) == Set(0..<350))
            for result in results {
                let due = try #require(result.due)
                #expect(due == .nanoseconds(Int64(((schedule.dueSeconds(Double(result.index)) ?? -1) * 1e9).rounded())))
                #expect(result.offset >= due, "written no earlier than due")
            }
            #expect(summary.timeline.intervals.count >= 3)
        }
    }

    @Test func requestsThatFindNoWorkerAreLateThenDroppedAtTheEnd() throws {
        try withTargetServer { server in
            // One worker, 100 ms a response, 50 requests a second for a second: about 10 can be sent.
            var options = Options(requests: nil, concurrency: 1)
            options.rate = 50
            options.stages = [Stage(duration: .seconds(1), target: 50)]
            let summary = try LoadTest(request: Request(url: server.baseURL + "/delay/100"), options: options).run()
            #expect(summary.completed + summary.dropped == 50, "every scheduled request is sent or dropped")
            #expect((8...13).contains(summary.completed), "\(summary.completed) completed")
            #expect(summary.late >= summary.completed - 1, "all but the first waited for the worker")
            #expect(server.stats.requestsSeen == summary.completed, "a dropped request is never sent")
        }
    }

    @Test func rampUpStartsTheWorkersEvenlyOverItsTime() throws {
        try withTargetServer { server in
            var options = Options(requests: nil, concurrency: 8, duration: .milliseconds(1600))
            options.rampUp = .milliseconds(800)
            var offsets: [Duration] = []
            _ = try LoadTest(request: Request(url: server.baseURL + "/delay/100"), options: options).run { offsets.append($0.offset) }
            // Worker k starts at k × 100 ms and then sends every ~100 ms: few requests early on.
            let first100 = offsets.filter { $0 < .milliseconds(90) }.count
            let first800 = offsets.filter { $0 < .milliseconds(790) }.count
            #expect(first100 <= 2, "\(first100) requests in the first 90 ms: one worker, then a second")
            #expect((24...44).contains(first800), "\(first800) requests in the ramp: about 8+7+…+1 = 36, not 64")
            #expect(offsets.filter { $0 >= .milliseconds(900) && $0 < .milliseconds(1300) }.count >= 24, "all 8 at work after it")
        }
    }
}
