import Dispatch
@testable import Hit
import HitTarget
import HitTestSupport
import Testing

@Suite struct TimelineTests {
    // MARK: The recorder, on a clock of the test's choosing

    @Test func intervalsCloseAtTheirBoundariesEvenWhenEmpty() throws {
        let start = DispatchTime(uptimeNanoseconds: 1_000_000_000)
        let meter = try SendMeter(interval: .milliseconds(100))
        meter.start(at: start.uptimeNanoseconds)
        let recorder = TimelineRecorder(interval: .milliseconds(100), runStart: start, startUnixNanoseconds: 1_700_000_000_000_000_000,
                                        meter: meter)
        // Four requests written in the first interval, one of them at its last nanosecond.
        for offset in [0, 10_000_000, 50_000_000, 99_999_999] as [UInt64] { meter.countWrite(at: start.uptimeNanoseconds + offset) }
        recorder.record(RequestResult(status: 200, bytes: 11, latency: .milliseconds(3)))
        recorder.record(RequestResult(status: 503, bytes: 5, latency: .milliseconds(9)))
        recorder.record(RequestResult(status: 0, bytes: 0, latency: .milliseconds(1), error: TransferError(kind: .timeout, message: "t")))
        for _ in 0..<3 { meter.ended() }
        // One written at the second boundary itself: it belongs to the second interval.
        meter.countWrite(at: start.uptimeNanoseconds + 100_000_000)
        #expect(recorder.closeIntervals(endedBy: start + .milliseconds(99)).isEmpty, "nothing has ended yet")
        let first = recorder.closeIntervals(endedBy: start + .milliseconds(100))
        #expect(first.count == 1)
        let interval = first[first.startIndex]
        #expect(interval.offset == .zero && interval.length == .milliseconds(100) && !interval.partial)
        #expect(interval.sent == 4 && interval.completed == 3 && interval.inFlight == 2, "in flight: written and not ended")
        #expect(interval.succeeded == 1 && interval.failedByStatus == 1 && interval.transportErrors == 1 && interval.timeouts == 1)
        #expect(interval.statusClasses == ["2xx": 1, "5xx": 1] && interval.errorKinds == ["timeout": 1])
        #expect(interval.bytes == 16 && interval.errors == 2)
        // Within the histogram's three digits: 3 ms is in a bucket 2 µs wide.
        #expect((Duration.milliseconds(3)...Duration.microseconds(3001)).contains(interval.latency?.p50 ?? .zero))
        #expect(interval.latency?.max == .milliseconds(9))
        #expect(interval.sendRate == 40 && interval.completedRate == 30)
        #expect(interval.encodedLatency.map { try? LatencyHistogram(HdrHistogramV2(base64: $0)).count } == 2)
        // 350 ms later, with one more result: two empty intervals, then the result's.
        recorder.record(RequestResult(status: 200, bytes: 1, latency: .milliseconds(2)))
        meter.ended()
        let next = recorder.closeIntervals(endedBy: start + .milliseconds(450))
        #expect(next.map(\.offset) == [.milliseconds(100), .milliseconds(200), .milliseconds(300)])
        #expect(next.map(\.completed) == [1, 0, 0], "a result counts where it was recorded: in the first interval still open")
        #expect(next.map(\.sent) == [1, 0, 0] && next.map(\.inFlight) == [1, 1, 1], "5 written, 4 ended")
        #expect(next.last?.latency == nil && next.last?.encodedLatency == nil)
        // The run ends at 480 ms, the one in flight aborted: the last interval is 80 ms long, partial.
        let timeline = recorder.finish(at: start + .milliseconds(480), inFlight: 1)
        #expect(timeline.intervals.count == 5 && timeline.intervals.last?.length == .milliseconds(80))
        #expect(timeline.intervals.last?.partial == true && timeline.intervals.last?.sendRate == 0, "80 ms of 100: rates kept")
        #expect(timeline.intervals.last?.inFlight == 1)
        #expect(timeline.intervals.map(\.sent).reduce(0, +) == meter.written)
        #expect(timeline.startUnixNanoseconds == 1_700_000_000_000_000_000 && timeline.interval == .milliseconds(100))
        #expect(recorder.closeIntervals(endedBy: start + .seconds(5)).isEmpty, "nothing after the end")
    }

    @Test func aClosingIntervalShorterThanHalfAnIntervalHasNoRates() throws {
        let start = DispatchTime(uptimeNanoseconds: 1_000_000_000)
        let meter = try SendMeter(interval: .seconds(1))
        meter.start(at: start.uptimeNanoseconds)
        let recorder = TimelineRecorder(interval: .seconds(1), runStart: start, startUnixNanoseconds: 0, meter: meter)
        for k in 0..<100 { meter.countWrite(at: start.uptimeNanoseconds + UInt64(k) * 10_000_000) }
        _ = recorder.closeIntervals(endedBy: start + .seconds(1))
        meter.countWrite(at: start.uptimeNanoseconds + 1_000_000_000)
        recorder.record(RequestResult(status: 200, bytes: 0, latency: .milliseconds(1)))
        recorder.record(RequestResult(status: 200, bytes: 0, latency: .milliseconds(1)))
        // 2 ms into the second interval: 2 results would read 1,000/s.
        let timeline = recorder.finish(at: start + .milliseconds(1002), inFlight: 0)
        let last = try #require(timeline.intervals.last)
        #expect(last.partial && last.sent == 1 && last.completed == 2)
        #expect(last.sendRate == nil && last.completedRate == nil, "no rate from 2 ms")
        #expect(timeline.intervals.first?.sendRate == 100 && timeline.intervals.first?.partial == false)
    }

    @Test func aRunShorterThanOneIntervalHasOneShortIntervalWithItsRates() {
        let start = DispatchTime(uptimeNanoseconds: 5_000_000)
        let recorder = TimelineRecorder(interval: .seconds(1), runStart: start, startUnixNanoseconds: 0)
        recorder.record(RequestResult(status: 200, bytes: 0, latency: .microseconds(700)))
        let timeline = recorder.finish(at: start + .milliseconds(20), inFlight: 0)
        #expect(timeline.intervals.count == 1)
        #expect(timeline.intervals.first?.length == .milliseconds(20) && timeline.intervals.first?.completed == 1)
        #expect(timeline.intervals.first?.partial == true && timeline.intervals.first?.completedRate == 50, "the whole run's rate")
    }

    @Test func aLongRunAtAShortIntervalCoarsensInsteadOfGrowing() throws {
        // 250 s at 10 ms: 25,000 intervals, more than a timeline keeps.
        let start = DispatchTime(uptimeNanoseconds: 1_000_000_000)
        let meter = try SendMeter(interval: .milliseconds(10))
        meter.start(at: start.uptimeNanoseconds)
        let recorder = TimelineRecorder(interval: .milliseconds(10), runStart: start, startUnixNanoseconds: 0, meter: meter)
        var emitted = 0
        for k in 0..<25_000 {
            meter.countWrite(at: start.uptimeNanoseconds + UInt64(k) * 10_000_000 + 1_000)
            recorder.record(RequestResult(status: 200, bytes: 1, latency: .microseconds(Int64(100 + k % 50))))
            meter.ended()
            emitted += recorder.closeIntervals(endedBy: start + .milliseconds(10 * (k + 1))).count
        }
        let timeline = recorder.finish(at: start + .seconds(250), inFlight: 0)
        #expect(emitted == 20_000 + 2_500, "10 ms intervals up to the 20,000th, then 20 ms ones")
        #expect(timeline.intervals.count <= TimelineRecorder.maximumIntervals)
        #expect(timeline.interval == .milliseconds(20))
        #expect(timeline.intervals.count == 12_500)
        #expect(timeline.intervals.map(\.sent).reduce(0, +) == 25_000 && timeline.intervals.map(\.completed).reduce(0, +) == 25_000)
        #expect(timeline.intervals.allSatisfy { $0.sent == 2 && $0.completed == 2 && $0.length == .milliseconds(20) })
        #expect(timeline.intervals.map(\.offset) == (0..<12_500).map { .milliseconds(20 * $0) })
        #expect(timeline.intervals[100].encodedLatency.map { try? LatencyHistogram(HdrHistogramV2(base64: $0)).count } == 2)
    }

    @Test func anHourAtOneSecondStaysSmall() {
        // What an hour of 1 s intervals keeps: each interval's figures and two encoded histograms.
        let start = DispatchTime(uptimeNanoseconds: 1)
        let recorder = TimelineRecorder(interval: .seconds(1), runStart: start, startUnixNanoseconds: 0)
        var bytes = 0
        for second in 0..<3600 {
            for index in 0..<20 {
                var result = RequestResult(status: 200, bytes: 11, latency: .microseconds(Int64(200 + index * 37 + second % 100)))
                result.correctedLatency = result.latency + .microseconds(Int64(index))
                recorder.record(result)
            }
            for interval in recorder.closeIntervals(endedBy: start + .seconds(second + 1)) {
                bytes += (interval.encodedLatency?.utf8.count ?? 0) + (interval.encodedCorrectedLatency?.utf8.count ?? 0)
                bytes += MemoryLayout<Timeline.Interval>.stride + 64  // figures and the two small dictionaries' entries
            }
        }
        let timeline = recorder.finish(at: start + .seconds(3600), inFlight: 0)
        #expect(timeline.intervals.count == 3600)
        #expect(timeline.intervals.map(\.completed).reduce(0, +) == 72_000)
        #expect(bytes < 4 << 20, "an hour at 1 s: \(bytes / 1024) KiB")  // 1.8 MiB when measured
    }

    // MARK: A real run

    @Test func aPacedRunsTimelineAddsUpToItsSummary() throws {
        try withTargetServer { server in
            var options = Options(requests: nil, concurrency: 2, rate: 100, duration: .milliseconds(2200))
            options.interval = .milliseconds(500)
            let before = WallClock.unixNanoseconds()
            let summary = try LoadTest(targets: [Request(url: server.baseURL + "/"), Request(url: server.baseURL + "/status/500")],
                                       options: options).run()
            let timeline = summary.timeline
            #expect(timeline.interval == .milliseconds(500))
            #expect(abs(timeline.startUnixNanoseconds - before) < 1_000_000_000)
            #expect(timeline.intervals.count == 5, "four whole intervals and the last 200 ms")
            #expect(timeline.intervals.map(\.offset) == (0..<5).map { .milliseconds(500 * $0) })
            #expect(timeline.intervals.map(\.completed).reduce(0, +) == summary.completed)
            #expect(timeline.intervals.map(\.sent).reduce(0, +) == summary.started)
            #expect(summary.started == 220 && summary.dropped == 0, "due before the deadline: 2.2 s × 100/s")
            #expect(timeline.intervals.map(\.failedByStatus).reduce(0, +) == summary.failed)
            for interval in timeline.intervals.dropLast() {
                // A loaded machine (the AddressSanitizer build beside other tests) writes a few of
                // an interval's requests after its boundary: 47 and 53 were seen.
                #expect((44...56).contains(interval.sent), "50 written in each 500 ms at 100/s: \(interval.sent)")
                #expect(interval.statusClasses["2xx"] != nil && interval.statusClasses["5xx"] != nil)
                #expect(interval.correctedLatency != nil, "paced: corrected latency per interval")
            }
        }
    }
}
