import Dispatch
import Foundation
@testable import Hit
import HitTarget
import HitTestSupport
import Testing

/// One clock and one origin: every result carries its place in the schedule, and the server's own
/// arrival times (same clock, CLOCK_MONOTONIC) show that no request went out before it was due.
@Suite struct ScheduleTests {
    @Test func everyResultCarriesItsPlaceInTheScheduleFromOneOrigin() throws {
        let path = NSTemporaryDirectory() + "hit-arrivals-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = TargetServer.Configuration()
        configuration.arrivalLogPath = path
        let server = try TargetServer(configuration)
        let rate = 400.0, requests = 200
        let before = DispatchTime.now().uptimeNanoseconds
        var results: [RequestResult] = []
        let summary = try LoadTest(request: Request(url: server.baseURL + "/"),
                                   options: Options(requests: requests, concurrency: 4, rate: rate))
            .run { results.append($0) }
        server.shutdown()

        #expect(summary.startUptimeNanoseconds >= before)
        #expect(results.count == requests)
        #expect(Set(results.map(\.index)) == Set(0..<requests))
        for result in results {
            let due = try #require(result.due)
            #expect(due == .nanoseconds(Int64((Double(result.index) / rate * 1e9).rounded())))
            #expect(result.lateness == max(.zero, result.offset - due), "lateness is measured at the write")
            let corrected = try #require(result.correctedLatency)
            #expect(corrected >= result.latency)
            #expect(corrected >= result.lateness!)
            #expect(result.offset >= due, "written no earlier than due")
        }

        // The server's arrivals, on the same clock: the k-th arrival comes no earlier than the
        // k-th due time nor the k-th write, so nothing was sent early and offsets share the origin.
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let arrivals = lines.compactMap { UInt64($0) }.sorted()
        #expect(arrivals.count == requests)
        let start = summary.startUptimeNanoseconds
        let dues = results.map { start + UInt64($0.due!.nanoseconds) }.sorted()
        let writes = results.map { start + UInt64($0.offset.nanoseconds) }.sorted()
        for (k, arrival) in arrivals.enumerated() where k < dues.count {
            #expect(arrival >= dues[k], "arrival \(k) came \(Int64(dues[k]) - Int64(arrival)) ns before it was due")
            #expect(arrival >= writes[k], "arrival \(k) came before its write")
        }
    }

    @Test func anUnpacedRunHasNoScheduleButKeepsItsIndices() throws {
        try withTargetServer { server in
            var results: [RequestResult] = []
            let summary = try LoadTest(request: Request(url: server.baseURL + "/"), options: Options(requests: 30, concurrency: 3))
                .run { results.append($0) }
            #expect(summary.startUptimeNanoseconds > 0)
            #expect(Set(results.map(\.index)) == Set(0..<30))
            #expect(results.allSatisfy { $0.due == nil && $0.lateness == nil && $0.correctedLatency == nil })
            #expect(results.allSatisfy { $0.offset > .zero && $0.offset <= summary.duration })
        }
    }

    @Test func theArrivalLogAppendsAtShutdown() throws {
        let path = NSTemporaryDirectory() + "hit-arrivals-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "1\n".write(toFile: path, atomically: true, encoding: .utf8)
        var configuration = TargetServer.Configuration()
        configuration.arrivalLogPath = path
        let server = try TargetServer(configuration)
        _ = try LoadTest(request: Request(url: server.baseURL + "/"), options: Options(requests: 5)).run()
        #expect(server.arrivals?.recorded.count == 5)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "1\n", "nothing written before shutdown")
        server.shutdown()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 6 && lines[0] == "1")
        #expect(lines.dropFirst().allSatisfy { (UInt64($0) ?? 0) > 1 })
    }
}
