import Foundation
import HitTarget
import HitTestSupport
import Testing

/// The edges of a run's time, checked against what hit did not produce: the server's own log of
/// arrivals (CLOCK_MONOTONIC, the clock of the report's `startUptimeNs`). The deadline, the first
/// and the last interval, what is in flight, dropped requests, and a run that did not apply the
/// load it asked for.
@Suite(.serialized) struct TimeEdgesTests {
    /// A target server that logs every arrival.
    private static func loggingServer() throws -> TargetServer {
        var configuration = TargetServer.Configuration()
        configuration.arrivalLogPath = NSTemporaryDirectory() + "hit-edges-arrivals-\(UUID().uuidString)"
        return try TargetServer(configuration)
    }

    private static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    private static func summary(_ report: [String: Any]) throws -> [String: Any] {
        try #require(report["summary"] as? [String: Any])
    }

    private static func intervals(_ report: [String: Any]) throws -> [[String: Any]] {
        try #require((report["timeline"] as? [String: Any])?["intervals"] as? [[String: Any]])
    }

    @Test func aPacedDeadlineSendsRateTimesDurationAndNothingDueAtOrAfterIt() throws {
        let server = try Self.loggingServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-z", "2s", "-rps", "100", "--interval", "500ms", "-q", "-o", "json", server.baseURL + "/"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let report = try Self.json(hit.stdout)
        let summary = try Self.summary(report)
        let arrivals = try #require(server.arrivals?.recorded).sorted()
        #expect(arrivals.count == 200, "the server received \(arrivals.count): 2 s × 100/s is 200")
        #expect(summary["started"] as? Int == 200 && summary["completed"] as? Int == 200)
        #expect(summary["abortedInFlight"] as? Int == 0, "every request was due 10 ms or more before the deadline")
        #expect(report["deadlineReached"] as? Bool == true)
        let start = try #require((report["startUptimeNs"] as? NSNumber)?.uint64Value)
        #expect(arrivals.allSatisfy { $0 < start + 2_000_000_000 }, "an arrival came after the deadline")

        // A request counts in the interval in which it was written, not where it was handed to
        // libcurl 1 ms before it was due (the first interval read 51 of 50). Checked at each
        // interval's end against the closed form and the server's log: no more were written than
        // were due before it (request k is due at k × 10 ms); none arrived before it was written;
        // and what was written but had not yet arrived arrived just after (a loaded machine delays
        // the server's reading, never hit's count).
        let timeline = try Self.intervals(report)
        let sent = timeline.compactMap { $0["sent"] as? Int }
        #expect(sent.reduce(0, +) == 200)
        for k in sent.indices {
            let end = start + UInt64(k + 1) * 500_000_000
            let writtenBefore = sent[...k].reduce(0, +)
            let arrivedBefore = arrivals.filter { $0 < end }.count
            let arrivedJustAfter = arrivals.filter { $0 >= end && $0 < end + 30_000_000 }.count
            #expect(writtenBefore <= 50 * (k + 1), "interval \(k): \(writtenBefore) written before its end, \(50 * (k + 1)) due")
            #expect(arrivedBefore <= writtenBefore, "interval \(k): \(arrivedBefore) arrived before its end, \(writtenBefore) written")
            #expect(writtenBefore - arrivedBefore <= arrivedJustAfter, "interval \(k): \(sent) sent, the server received \(arrivedBefore) by its end")
        }
    }

    @Test func aShardSendsItsShareOfWhatIsDueBeforeTheDeadline() throws {
        let server = try Self.loggingServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["--shard", "1/3", "-z", "1s", "-rps", "100", "-q", "-o", "json", server.baseURL + "/"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        #expect(try Self.summary(Self.json(hit.stdout))["started"] as? Int == 33, "indices 1, 4, … 97 of the 100 due")
        #expect(server.stats.requestsSeen == 33)
    }

    @Test func stagesCutByTheDeadlineSendWhatIsDueBeforeIt() throws {
        let server = try Self.loggingServer()
        defer { server.shutdown() }
        // 0 → 400/s over 4 s, cut at 1 s: ∫ = 50.
        let hit = try HitProcess.run(["--stages", "4s:400", "-z", "1s", "-q", "-o", "json", server.baseURL + "/"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let summary = try Self.summary(Self.json(hit.stdout))
        #expect(server.arrivals?.recorded.count == 50)
        #expect(summary["started"] as? Int == 50 && summary["dropped"] as? Int == 0)
        #expect(summary["neverStarted"] == nil || summary["neverStarted"] is NSNull, "what the deadline cut off was never due")
    }

    @Test func aRequestAbortedAtTheDeadlineIsOneTheServerHadNotAnswered() throws {
        let server = try Self.loggingServer()
        defer { server.shutdown() }
        // Requests due at 0, 0.1 … 0.9 s, each answered after 300 ms: those due at 0.8 and 0.9 s
        // are still waiting at the 1 s deadline.
        let hit = try HitProcess.run(["-z", "1s", "-rps", "10", "-q", "-o", "json", server.baseURL + "/delay/300"])
        let summary = try Self.summary(Self.json(hit.stdout))
        #expect(server.arrivals?.recorded.count == 10)
        #expect(summary["started"] as? Int == 10)
        let completed = try #require(summary["completed"] as? Int)
        let aborted = try #require(summary["abortedInFlight"] as? Int)
        #expect(completed + aborted == 10)
        #expect((2...3).contains(aborted), "only those whose answer was still 300 ms off: \(aborted)")
    }

    @Test func inFlightNeverExceedsTheWorkers() throws {
        let server = try Self.loggingServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-z", "1500ms", "-c", "4", "--interval", "100ms", "-q", "-o", "json", server.baseURL + "/delay/2"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let inFlight = try Self.intervals(Self.json(hit.stdout)).compactMap { $0["inFlight"] as? Int }
        #expect(inFlight.count >= 15)
        #expect(inFlight.allSatisfy { $0 <= 4 }, "in flight above -c 4: \(inFlight)")
    }

    @Test func aShortClosingIntervalHasNoRates() throws {
        let server = try Self.loggingServer()
        defer { server.shutdown() }
        // 40 requests of 500 ms on 20 workers: about 1.01 s, the second interval a few ms long.
        let hit = try HitProcess.run(["-n", "40", "-c", "20", "-q", "-o", "json", server.baseURL + "/delay/500"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let timeline = try Self.intervals(Self.json(hit.stdout))
        let last = try #require(timeline.last)
        try #require(timeline.count == 2, "\(timeline)")
        #expect(last["partial"] as? Bool == true)
        #expect(last["completedRate"] is NSNull && last["sendRate"] is NSNull, "a rate over a few ms would read thousands a second")
        #expect(timeline.first?["partial"] as? Bool == false)
    }

    @Test func droppedRequestsHaveNoLatencyAndFailTheRun() throws {
        let server = try Self.loggingServer()
        defer { server.shutdown() }
        // 2 workers at 50 ms hold 40/s; the stages ask for ∫ = 150 in 1.5 s.
        let hit = try HitProcess.run(["--stages", "1500ms:200", "-c", "2", "-q", "-o", "json", server.baseURL + "/delay/50"])
        #expect(hit.exitStatus == 1)
        #expect(hit.stderr.contains("requests due were dropped, never sent: every worker was busy; raise -c"), "\(hit.stderr)")
        let report = try Self.json(hit.stdout)
        let summary = try Self.summary(report)
        let started = try #require(summary["started"] as? Int)
        let dropped = try #require(summary["dropped"] as? Int)
        #expect(started + dropped == 150, "planned = started + dropped, each once")
        #expect(server.arrivals?.recorded.count == started)
        #expect(summary["neverStarted"] == nil || summary["neverStarted"] is NSNull)
        let corrected = try #require(report["correctedLatency"] as? [String: Any])
        #expect(corrected["count"] as? Int == started, "a dropped request is given no latency")
        #expect(corrected["dropped"] as? Int == dropped)
        let percentiles = try #require(corrected["percentilesUs"] as? [String: Any])
        #expect(percentiles["99"] is NSNull, "p99 falls among the dropped")
        #expect(corrected["minUs"] as? Int ?? 0 >= 50_000, "no made-up latency below a real response")
    }

    @Test func aRunThatDidNotApplyItsRateFails() throws {
        let server = try Self.loggingServer()
        defer { server.shutdown() }
        // One worker at 20 ms holds under 50/s.
        let hit = try HitProcess.run(["-n", "60", "-rps", "200", "-c", "1", server.baseURL + "/delay/20"])
        #expect(hit.exitStatus == 1)
        #expect(hit.stdout.contains("of the 200/s asked: every worker was busy; raise -c"), "\(hit.stdout)")
    }

    @Test func withoutCTheWorkersFollowTheSchedule() throws {
        let server = try Self.loggingServer()
        defer { server.shutdown() }
        // Today's example: 200/s at 20 ms needs 4 in flight; one worker managed 48/s.
        let hit = try HitProcess.run(["-z", "2s", "-rps", "200", "-q", "-o", "json", server.baseURL + "/delay/20"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let summary = try Self.summary(Self.json(hit.stdout))
        #expect(summary["started"] as? Int == 400 && summary["dropped"] as? Int == 0)
        #expect(server.arrivals?.recorded.count == 400)
    }
}
