import Dispatch
import Foundation
@testable import Hit
import HitTarget
import HitTestSupport
import Synchronization
import Testing

/// Shards of one run, sent for real against the target server and merged from their JSON reports.
@Suite struct ShardMergeTests {
    /// Runs the shards `indices` of an `options` run spread over `count` side by side, starting
    /// together at a wall-clock instant just ahead, and returns each shard's JSON report as text
    /// (as `hit merge` reads it from a file) with its summary.
    static func runShards(_ indices: [Int], of count: Int, options: Options, targets: [Request], client: ClientOptions = ClientOptions())
        throws -> [(report: JSONReport, summary: Summary)] {
        var options = options
        options.startAt = WallClock.unixNanoseconds() + 300_000_000
        let results = Mutex<[Int: Result<(JSONReport, Summary), any Error>]>([:])
        let group = DispatchGroup()
        for index in indices {
            var shardOptions = options
            shardOptions.shard = try Shard(index: index, count: count)
            let test = LoadTest(targets: targets, options: shardOptions, client: client)
            // A thread each, as each shard has a process of its own: Dispatch's pool, which is as
            // wide as the machine has cores, would start the third shard only when one had ended.
            group.enter()
            Thread {
                let result = Result { () throws -> (JSONReport, Summary) in
                    let summary = try test.run()
                    // Through the text a file holds, as `hit merge` reads it.
                    return (try JSONReport.decode(Array(JSONReport(summary, test: test).encoded().utf8)), summary)
                }
                results.withLock { $0[index] = result }
                group.leave()
            }.start()
        }
        group.wait()
        return try indices.map { index in try results.withLock { $0[index]! }.get() }
    }

    static func targets(_ server: TargetServer) -> [Request] {
        // Request j goes to target j mod 3: with three shards, each shard meets one service time.
        ["/delay/1", "/delay/4", "/delay/9"].map { Request(url: server.baseURL + $0) }
    }

    @Test(arguments: [1, 2, 3, 5])
    func nShardsOfNRequestsSendExactlyNRequests(count: Int) throws {
        try withTargetServer { server in
            let shards = try Self.runShards(Array(0..<count), of: count,
                                            options: Options(requests: 101, concurrency: 7), targets: [Request(url: server.baseURL + "/")])
            #expect(server.stats.requestsSeen == 101)
            #expect(shards.map(\.summary.completed) == (0..<count).map { try! Shard(index: $0, count: count).share(of: 101) })
            let merged = try ShardMerge(shards.enumerated().map { ("shard-\($0.offset).json", $0.element.report) })
            #expect(merged.summary.completed == 101)
            #expect(merged.summary.succeeded == 101)
            #expect(merged.summary.statusCounts == [200: 101])
            #expect(merged.summary.latency.count == 101)
            #expect(merged.summary.shards?.isComplete == true)
        }
    }

    @Test func shardsOfStagesSendTheStagesScheduleOnce() throws {
        try withTargetServer { server in
            // 0 → 300 requests/s over 1 s, then 0.5 s at 300/s: 150 + 150 requests.
            // Ten workers a shard: a loaded machine (a sanitizer build beside other builds) that
            // holds a request for tens of ms still has a worker for it.
            var options = Options(requests: nil, concurrency: 30)
            options.stages = [Stage(duration: .seconds(1), target: 300), Stage(duration: .milliseconds(500), target: 300)]
            let shards = try Self.runShards([0, 1, 2], of: 3, options: options, targets: [Request(url: server.baseURL + "/")])
            // Every request of the schedule is sent by exactly one shard, or counted as dropped by
            // it: a loop that a loaded machine held past the stages' end drops what it had not sent,
            // as it should (3 to 7 in 300 under the AddressSanitizer build with the other tests in
            // parallel; 13 to 16 a shard, a stall of some 150 ms, on a CI machine under the debug build).
            let dropped = shards.map(\.summary.dropped), allDropped = dropped.reduce(0, +)
            #expect(zip(shards.map(\.summary.completed), dropped).map { $0 + $1 } == [100, 100, 100])
            #expect(server.stats.requestsSeen == 300 - allDropped)
            #expect(dropped.allSatisfy { $0 < 50 }, "each shard sends most of its schedule, stalled or not: \(dropped)")
            let merged = try ShardMerge(shards.enumerated().map { ("shard-\($0.offset).json", $0.element.report) }).summary
            #expect(merged.completed == 300 - allDropped)
            #expect(merged.dropped == allDropped)
            #expect(merged.rate == 300, "the shards' peak rates add up to the run's")
        }
    }

    @Test func theShardsShareTheRunsConnections() throws {
        var configuration = TargetServer.Configuration()
        configuration.http2 = true
        try withTargetServer(configuration) { server in
            var client = ClientOptions()
            client.httpVersion = .http2
            client.connectionsPerOrigin = 4
            client.streamsPerConnection = 10
            // 14, 13 and 13 workers at 10 streams a connection would take 2 connections each, 6 in
            // all; the shares of 4 connections are 2, 1 and 1.
            let shards = try Self.runShards([0, 1, 2], of: 3, options: Options(requests: 300, concurrency: 40),
                                            targets: [Request(url: server.baseURL + "/")], client: client)
            #expect(shards.map(\.summary.completed) == [100, 100, 100])
            #expect(shards.map(\.summary.connectionsOpened) == [2, 1, 1], "each shard opens its share of --connections 4")
            #expect(server.stats.connectionsAccepted == 4)
        }
    }

    @Test func theMergeAddsCountersAndHistogramsExactly() throws {
        try withTargetServer { server in
            let shards = try Self.runShards([0, 1, 2], of: 3, options: Options(requests: 150, concurrency: 6, rate: 300),
                                            targets: Self.targets(server))
            let merged = try ShardMerge(shards.enumerated().map { ("shard-\($0.offset).json", $0.element.report) }).summary
            let summaries = shards.map(\.summary)
            #expect(server.stats.requestsSeen == 150)
            #expect(merged.completed == summaries.map(\.completed).reduce(0, +))
            #expect(merged.started == 150)
            #expect(merged.bytes == summaries.map(\.bytes).reduce(0, +))
            #expect(merged.wireBytesSent == summaries.map(\.wireBytesSent).reduce(0, +))
            #expect(merged.connectionsOpened == summaries.map(\.connectionsOpened).reduce(0, +))
            // The histograms, carried as HdrHistogram V2 encodings, add up to the shards' own.
            var latency = LatencyHistogram(), corrected = LatencyHistogram(), lateness = LatencyHistogram()
            for summary in summaries {
                latency.merge(summary.latency)
                corrected.merge(summary.correctedLatency)
                lateness.merge(summary.lateness)
            }
            #expect(merged.latency == latency)
            #expect(merged.correctedLatency == corrected)
            // (The JSON keeps no exact minimum of the lateness, which no report shows: the buckets and the rest.)
            #expect(merged.lateness.sparseCounts == lateness.sparseCounts)
            #expect(merged.lateness.count == lateness.count)
            #expect(merged.lateness.max == lateness.max)
            for percentile in [50.0, 90, 99, 99.9] {
                #expect(merged.latency.percentile(percentile) == latency.percentile(percentile))
            }
            // Each shard met one service time; the merged run has all three, never an average.
            #expect(merged.latency.min == summaries.map(\.latency.min).min())
            #expect(merged.latency.max == summaries.map(\.latency.max).max())
            #expect(merged.latency.percentile(50) >= .milliseconds(4))
            #expect(merged.latency.percentile(99) >= .milliseconds(9))
            // One run on one wall clock: it lasts from the first shard's start to the last one's end.
            // (Durations travel in whole microseconds.)
            #expect(merged.duration + .microseconds(1) >= summaries.map(\.duration).max()!)
            #expect(merged.timeline.intervals.map(\.completed).reduce(0, +) == 150)
        }
    }

    @Test func theOrderOfTheFilesDoesNotMatterAndAMergeMergesAgain() throws {
        try withTargetServer { server in
            let shards = try Self.runShards([0, 1, 2], of: 3, options: Options(requests: 60, concurrency: 3),
                                            targets: Self.targets(server))
            let named = shards.enumerated().map { ("shard-\($0.offset).json", $0.element.report) }
            let forwards = try ShardMerge(named).summary
            let backwards = try ShardMerge(named.reversed()).summary
            #expect(forwards == backwards)
            let firstTwo = try ShardMerge(Array(named.prefix(2)), allowPartial: true)
            #expect(firstTwo.summary.shards?.covered == [0, 1])
            #expect(firstTwo.summary.shards?.missing == [2])
            #expect(firstTwo.summary.completed == 40)
            let again = try ShardMerge([("first-two.json", firstTwo.report()), named[2]]).summary
            #expect(again.shards?.isComplete == true)
            #expect(again.completed == 60)
            #expect(again.latency == forwards.latency)
        }
    }

    @Test func aMissingShardADuplicateOrAnotherRunIsRefused() throws {
        try withTargetServer { server in
            let url = [Request(url: server.baseURL + "/")]
            let shards = try Self.runShards([0, 1, 2], of: 3, options: Options(requests: 30, concurrency: 3), targets: url)
            let other = try Self.runShards([2], of: 3, options: Options(requests: 31, concurrency: 3), targets: url)
            let twoShards = try Self.runShards([1], of: 2, options: Options(requests: 30, concurrency: 3), targets: url)
            let unsharded = try LoadTest(request: url[0], options: Options(requests: 5)).run()
            let a = ("a.json", shards[0].report), b = ("b.json", shards[1].report), c = ("c.json", shards[2].report)
            func refusal(_ reports: [(String, JSONReport)], partial: Bool = false) -> String? {
                do {
                    _ = try ShardMerge(reports, allowPartial: partial)
                    return nil
                } catch {
                    return error.description
                }
            }
            #expect(refusal([a, b])?.contains("shard 2 of 3 missing") == true)
            #expect(refusal([a, b, ("other.json", other[0].report)])?.contains("other.json is a shard of a different run than a.json") == true)
            #expect(refusal([a, b, c, ("half.json", twoShards[0].report)])?.contains("different run") == true)
            #expect(refusal([a, b, c, a])?.contains("a.json is given twice") == true)
            #expect(refusal([a, b, c, ("copy.json", shards[0].report)])?.contains("a.json and copy.json both hold shard 0 of 3") == true)
            #expect(refusal([a, b, c, ("plain.json", JSONReport(unsharded, test: LoadTest(request: url[0], options: Options(requests: 5))))])?
                .contains("plain.json is not a shard's report") == true)
            #expect(refusal([]) == "no reports to merge")
            #expect(refusal([a, c], partial: true) == nil)
            #expect(refusal([a, b, c]) == nil)
        }
    }

    /// Shards run one after the other, as shards without a shared --start-at may: their starts lie
    /// further apart than a merge lines timelines up across.
    @Test func shardsThatDidNotRunTogetherAreMergedOnlyWithConsentAndTheReportSaysHowFarApart() throws {
        try withTargetServer { server in
            var options = Options(requests: 20, concurrency: 2, rate: 40)
            options.interval = .milliseconds(200)  // lined up to within 100 ms
            var reports: [(name: String, report: JSONReport)] = []
            for index in 0..<2 {
                var shardOptions = options
                shardOptions.shard = try Shard(index: index, count: 2)
                let test = LoadTest(targets: [Request(url: server.baseURL + "/")], options: shardOptions)
                let summary = try test.run()
                reports.append(("shard-\(index).json", try JSONReport.decode(Array(JSONReport(summary, test: test).encoded().utf8))))
            }
            let apart = Duration.nanoseconds(reports[1].report.startUnixNs - reports[0].report.startUnixNs)
            #expect(apart >= .milliseconds(200), "shard 1 started once shard 0 had sent its 10 requests at 40/s")
            #expect(ShardMerge.synchronizationBound(interval: .milliseconds(200)) == .milliseconds(100))
            #expect(ShardMerge.synchronizationBound(interval: .seconds(10)) == .seconds(1))

            #expect(throws: ShardMerge.Problem.self) { try ShardMerge(reports) }
            let refusal = try #require(#expect(throws: ShardMerge.Problem.self) { try ShardMerge(reports.reversed()) })
            #expect(refusal.description.hasPrefix("shard-0.json and shard-1.json started "), "\(refusal)")
            #expect(refusal.description.contains("apart, more than the 100.0ms") && refusal.description.contains("--unsynchronized"),
                    "\(refusal)")

            let merged = try ShardMerge(reports, allowUnsynchronized: true)
            let coverage = try #require(merged.summary.shards)
            #expect(coverage.unsynchronized)
            #expect(coverage.startsApart == .microseconds(apart.microsecondsValue) || coverage.startsApart == apart, "\(coverage)")
            #expect(coverage.description.contains("(UNSYNCHRONIZED: started \(Formatting.duration(apart)) apart)"), "\(coverage.description)")
            let report = merged.report()
            #expect(report.shard?.unsynchronized == true)
            #expect(report.shard?.startsApartUs == apart.microsecondsValue)
            #expect(TextReport(merged.summary).description.contains("UNSYNCHRONIZED: started"))
            // Its send rate spans the gap between the starts: no shortfall of hit's is made of that.
            #expect(merged.summary.loadShortfall == nil)
            #expect(Verdict(merged.summary, thresholds: []).outcome == .passed)
            // Merged again with nothing else, it still needs the consent: its own shards did not run together.
            #expect(throws: ShardMerge.Problem.self) { try ShardMerge([("merged.json", report)]) }
            #expect(try ShardMerge([("merged.json", report)], allowUnsynchronized: true).summary.shards?.unsynchronized == true)
        }
    }

    @Test func shardsStartedTogetherAreNotMarked() throws {
        try withTargetServer { server in
            let shards = try Self.runShards([0, 1], of: 2, options: Options(requests: 10, concurrency: 2),
                                            targets: [Request(url: server.baseURL + "/")])
            let merged = try ShardMerge(shards.enumerated().map { ("shard-\($0.offset).json", $0.element.report) })
            #expect(merged.summary.shards?.startsApart == .zero, "one --start-at: one start")
            #expect(merged.summary.shards?.unsynchronized == false)
            #expect(merged.report().shard?.startsApartUs == 0)
        }
    }
}
