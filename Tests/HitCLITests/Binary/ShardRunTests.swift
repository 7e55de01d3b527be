import Foundation
import HitTarget
import HitTestSupport
import Testing

/// Shards of one run as separate `hit` processes, started together with `--start-at`, and
/// `hit merge` of their JSON reports, checked against the server and against HdrHistogram's own
/// Python library.
@Suite struct ShardRunTests {
    static let pythonReady = ExternalTool.exists("python3") && ((try? ExternalTool.python("import hdrh.histogram"))?.status == 0)

    /// `@SECONDS.mmm`, `ahead` seconds from now.
    static func startAt(in ahead: Double) -> String {
        String(format: "@%.3f", Date().timeIntervalSince1970 + ahead)
    }

    /// Starts `count` shards of `arguments` side by side, waits for them, and returns them in order
    /// of their index.
    static func runShards(_ count: Int, _ arguments: [String], seconds: Double = 60) throws -> [HitProcess] {
        let shards = try (0..<count).map { try HitProcess(["--shard", "\($0)/\(count)"] + arguments) }
        for shard in shards where shard.wait(seconds: seconds) == nil {
            throw HitProcess.TimedOut(arguments: arguments, seconds: seconds)
        }
        return shards
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func threeShardsStartedTogetherArriveAsOneRunAtTheGlobalRate() throws {
        var configuration = TargetServer.Configuration()
        configuration.arrivalLogPath = NSTemporaryDirectory() + "hit-shard-arrivals-\(UUID().uuidString)"
        let server = try TargetServer(configuration)
        defer { server.shutdown() }
        let rate = 100.0, requests = 300
        let shards = try Self.runShards(3, ["--start-at", Self.startAt(in: 1.5), "-n", "\(requests)", "-c", "3",
                                            "-rps", "\(Int(rate))", "-q", "-o", "json", server.baseURL + "/"])
        for shard in shards { try #require(shard.exitStatus == 0, "\(shard.stderr)") }
        let reports = try shards.map { try Self.json($0.stdout) }
        #expect(reports.map { ($0["summary"] as? [String: Any])?["completed"] as? Int } == [100, 100, 100])
        #expect(server.stats.requestsSeen == requests)

        // Every shard counted its schedule from the same instant (one monotonic clock here).
        let starts = reports.compactMap { ($0["startUptimeNs"] as? NSNumber)?.uint64Value }
        try #require(starts.count == 3)
        #expect(starts.max()! - starts.min()! < 2_000_000, "the shards' origins differ by \(starts.max()! - starts.min()!) ns")

        // At the server the three streams interleave into one at the global rate: the k-th
        // arrival comes at the whole run's due time for k, never before it, not long after.
        let arrivals = try #require(server.arrivals?.recorded).sorted()
        try #require(arrivals.count == requests)
        let origin = starts.min()!
        let lateness = arrivals.enumerated().map { k, arrival in
            (Double(arrival) - Double(origin) - Double(k) * 1e9 / rate) / 1e6  // ms
        }
        #expect(lateness.min()! > -2, "an arrival came \(-lateness.min()!) ms before its due time")
        let sortedLateness = lateness.sorted()
        #expect(sortedLateness[requests / 2] < 5, "median lateness \(sortedLateness[requests / 2]) ms")
        let gaps = zip(arrivals.dropFirst(), arrivals).map { Double($0 - $1) / 1e6 }.sorted()
        #expect(abs(gaps[gaps.count / 2] - 1000 / rate) < 2, "median gap \(gaps[gaps.count / 2]) ms, not \(1000 / rate)")
        let span = Double(arrivals.last! - arrivals.first!) / 1e9
        #expect(span > 2.9 && span < 3.6, "the arrivals span \(span) s; one run at \(rate)/s spans 2.99 s")
        // Shards on schedules of their own (each from its own start) would arrive in clumps, one
        // from each shard within a few ms, then a gap of three intervals: two gaps in three would
        // be short. Interleaved into one stream, a short gap comes only from a stalled arrival
        // catching up (a loaded machine makes some).
        let short = gaps.filter { $0 < 1000 / rate / 3 }.count
        #expect(Double(short) < 0.25 * Double(gaps.count), "\(short) of \(gaps.count) gaps are under \(1000 / rate / 3) ms")
    }

    @Test(.enabled(if: pythonReady, "needs python3 and PyPI's hdrhistogram (scripts/setup hdrhistogram)"))
    func theMergeAddsTheShardsCountsAndHistogramsAsHdrHistogramDoes() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let targets = directory + "/targets"
        // Request j goes to target j mod 3, so shard j mod 3 meets one service time.
        let lines = ["/delay/1", "/delay/5", "/delay/12"].map { server.baseURL + $0 }
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: targets))
        let shards = try Self.runShards(3, ["--start-at", Self.startAt(in: 0.8), "-n", "240", "-c", "6", "-rps", "200",
                                            "-f", targets, "-q", "-o", "json"])
        var files: [String] = []
        for (index, shard) in shards.enumerated() {
            try #require(shard.exitStatus == 0, "\(shard.stderr)")
            files.append(directory + "/shard-\(index).json")
            try Data(shard.stdout.utf8).write(to: URL(fileURLWithPath: files.last!))
        }
        let merge = try HitProcess.run(["merge", "-o", "json"] + files)
        try #require(merge.exitStatus == 0, "\(merge.stderr)")
        let merged = try Self.json(merge.stdout)
        #expect(server.stats.requestsSeen == 240)

        // Counters: the sums of the shards'.
        let summaries = try shards.map { try #require(try Self.json($0.stdout)["summary"] as? [String: Any]) }
        let mergedSummary = try #require(merged["summary"] as? [String: Any])
        for key in ["completed", "succeeded", "started", "bodyBytesReceived", "wireBytesSent", "wireBytesReceived", "errors"] {
            #expect(mergedSummary[key] as? Int == summaries.compactMap { $0[key] as? Int }.reduce(0, +), "\(key)")
        }
        #expect(mergedSummary["completed"] as? Int == 240)
        let shard = try #require(merged["shard"] as? [String: Any])
        #expect(shard["covered"] as? [Int] == [0, 1, 2])
        #expect(shard["missing"] as? [Int] == [])

        // Histograms: Python's hdrhistogram decodes each shard's V2 blob, adds them, and finds the
        // merged blob's counts and the merged report's percentiles.
        let script = """
        import sys, json
        from hdrh.histogram import HdrHistogram
        shards = [json.load(open(p)) for p in sys.argv[2:]]
        merged = json.load(open(sys.argv[1]))
        out = {}
        for name in ["latency", "correctedLatency"]:
            total = None
            for s in shards:
                h = HdrHistogram.decode(s[name]["histogram"]["encoded"])
                if total is None:
                    total = HdrHistogram(h.lowest_trackable_value, h.highest_trackable_value, h.significant_figures)
                total.add(h)
            m = HdrHistogram.decode(merged[name]["histogram"]["encoded"])
            out[name] = {
                "sumCount": total.get_total_count(), "mergedCount": m.get_total_count(),
                "sameCounts": all(m.get_count_at_value(i.value_iterated_to) == i.count_at_value_iterated_to
                                  for i in total.get_recorded_iterator())
                              and all(total.get_count_at_value(i.value_iterated_to) == i.count_at_value_iterated_to
                                      for i in m.get_recorded_iterator()),
                "percentiles": {str(p): [total.get_lowest_equivalent_value(total.get_value_at_percentile(p)),
                                         total.get_value_at_percentile(p)] for p in [50, 90, 99, 99.9]},
                "max": total.get_max_value(), "min": total.get_min_value(),
            }
        print(json.dumps(out))
        """
        let mergedFile = directory + "/merged.json"
        try Data(merge.stdout.utf8).write(to: URL(fileURLWithPath: mergedFile))
        let python = try ExternalTool.python(script, [mergedFile] + files)
        try #require(python.status == 0, "\(python.stderr)")
        let decoded = try Self.json(python.stdout)
        for name in ["latency", "correctedLatency"] {
            let figures = try #require(decoded[name] as? [String: Any])
            let report = try #require(merged[name] as? [String: Any])
            #expect(figures["sumCount"] as? Int == 240, "\(name)")
            #expect(figures["mergedCount"] as? Int == 240, "\(name)")
            #expect(figures["sameCounts"] as? Bool == true, "\(name): the merged blob holds the added counts")
            let percentiles = try #require(report["percentilesUs"] as? [String: Any])
            let expected = try #require(figures["percentiles"] as? [String: [Int]])
            for percentile in ["50", "90", "99", "99.9"] {
                let mine = try #require((percentiles[percentile] as? NSNumber)?.intValue)
                let bucket = try #require(expected[percentile])
                // The same bucket of the added histogram: hdrhistogram names its highest value,
                // hit the same except where that lies above the largest latency recorded.
                #expect(bucket[0] <= mine && mine <= bucket[1], "\(name) p\(percentile): hit \(mine) µs, hdrhistogram \(bucket) µs")
                if mine != bucket[1] { #expect(mine == (report["maxUs"] as? Int), "\(name) p\(percentile) is cut to the max") }
            }
        }
        // Each shard met one service time; the merged median lies among the shards' medians (the
        // exact value is the added histogram's, checked above), whatever a loaded machine adds.
        let p50 = try #require(((merged["latency"] as? [String: Any])?["percentilesUs"] as? [String: Any])?["50"] as? Int)
        let shardMedians = try shards.map { shard in
            try #require(((try Self.json(shard.stdout)["latency"] as? [String: Any])?["percentilesUs"] as? [String: Any])?["50"] as? Int)
        }.sorted()
        #expect(p50 >= shardMedians[0] && p50 <= shardMedians[2], "merged p50 \(p50) µs, the shards' \(shardMedians) µs")
        #expect(shardMedians[0] >= 1000 && shardMedians[2] >= 12000, "the shards met their service times: \(shardMedians) µs")
    }

    /// Named, weighted targets over three shards: together they send the whole run's mix, and the
    /// merge adds each target's histograms and judges rules on one target.
    @Test func theMergeKeepsEachTargetsFiguresAndJudgesItsRules() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let targets = directory + "/targets.jsonl"
        try """
        {"name": "fast", "url": "\(server.baseURL)/", "weight": 3}
        {"name": "slow", "url": "\(server.baseURL)/delay/20"}
        """.write(toFile: targets, atomically: true, encoding: .utf8)
        let shards = try Self.runShards(3, ["--start-at", Self.startAt(in: 0.8), "-n", "400", "-c", "8", "-f", targets, "-q", "-o", "json"])
        var files: [String] = []
        for (index, shard) in shards.enumerated() {
            try #require(shard.exitStatus == 0, "\(shard.stderr)")
            files.append(directory + "/shard-\(index).json")
            try Data(shard.stdout.utf8).write(to: URL(fileURLWithPath: files.last!))
        }
        #expect(server.stats.requestsByPath == ["/": 300, "/delay/20": 100])
        let merge = try HitProcess.run(["merge", "-o", "json", "--fail-if", "slow:p50>19ms", "--fail-if", "fast:errors>0"] + files)
        #expect(merge.exitStatus == 1, "\(merge.stderr)")
        let merged = try Self.json(merge.stdout)
        let mergedTargets = try #require(merged["targets"] as? [[String: Any]])
        #expect(mergedTargets.map { $0["completed"] as? Int } == [300, 100])
        let counts = mergedTargets.map { ($0["latency"] as? [String: Any])?["count"] as? Int }
        #expect(counts == [300, 100])
        let slowP50 = try #require(((mergedTargets[1]["latency"] as? [String: Any])?["percentilesUs"] as? [String: Any])?["50"] as? Int)
        #expect(slowP50 >= 20_000)
        let rules = try #require(merged["thresholds"] as? [[String: Any]])
        #expect(rules.map { $0["failed"] as? Bool } == [true, false])
        let passing = try HitProcess.run(["merge", "-q", "--fail-if", "slow:min<19ms,fast:errors>0"] + files)
        #expect(passing.exitStatus == 0, "\(passing.stdout)\(passing.stderr)")
    }

    @Test func theMergeIsJudgedAndRefusesWhatIsNotOneWholeRun() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func write(_ processes: [HitProcess], as prefix: String) throws -> [String] {
            try processes.enumerated().map { index, process in
                try #require(process.exitStatus == 0 || process.exitStatus == 1, "\(process.stderr)")
                let path = directory + "/\(prefix)-\(index).json"
                try Data(process.stdout.utf8).write(to: URL(fileURLWithPath: path))
                return path
            }
        }
        let files = try write(Self.runShards(3, ["--start-at", Self.startAt(in: 1), "-n", "30", "-c", "3", "-q", "-o", "json",
                                                 server.baseURL + "/status/503"]), as: "shard")
        let other = try write(Self.runShards(3, ["--start-at", Self.startAt(in: 1), "-n", "31", "-c", "3", "-q", "-o", "json",
                                                 server.baseURL + "/status/503"]), as: "other")
        let plain = try write([HitProcess.run(["-n", "3", "-q", "-o", "json", server.baseURL + "/"])], as: "plain")
        let name = { (path: String) in path }

        // The merged run is judged as a run is: 503s are failures, and --fail-if rules apply.
        let judged = try HitProcess.run(["merge"] + files)
        #expect(judged.exitStatus == 1)
        #expect(judged.stdout.contains("3 of 3 shards merged"))
        #expect(reportValue("Requests", in: judged.stdout) == "30")
        let rule = try HitProcess.run(["merge", "--fail-if", "errors>50%", "-o", "json"] + files)
        #expect(rule.exitStatus == 1)
        #expect(try Self.json(rule.stdout)["verdict"] as? String == "failed")

        let refusals: [([String], String)] = [
            (Array(files.prefix(2)), "shard 2 of 3 missing (--partial merges the others"),
            (files + [files[0]], "\(name(files[0])) is given twice"),
            ([files[0], files[1], other[2]], "\(name(other[2])) is a shard of a different run than \(name(files[0]))"),
            (files + [other[0]], "is a shard of a different run"),
            (plain, "\(name(plain[0])) is not a shard's report"),
            ([], "missing the shards' JSON reports"),
            ([directory + "/none.json"], "cannot read '\(directory)/none.json': no such file"),
            (files + ["-o", "csv"], "a merge has no rows"),
            (files + ["--interval", "1s"], "--interval does not apply"),
        ]
        for (arguments, message) in refusals {
            let refused = try HitProcess.run(["merge"] + arguments)
            #expect(refused.exitStatus == 64, "\(arguments)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "one line: \(refused.stderr)")
            #expect(refused.stderr.hasPrefix("hit merge: "), "\(refused.stderr)")
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
            #expect(refused.stdout.isEmpty)
        }
        // Damaged or crafted reports: one line and 64, never a trap.
        let crafted: [(String, (inout [String: Any]) -> Void, String)] = [
            ("huge", { $0["summary"] = ($0["summary"] as! [String: Any]).merging(["started": Int.max]) { $1 } }, "summary.started is"),
            ("negative", { $0["shard"] = ($0["shard"] as! [String: Any]).merging(["count": -1]) { $1 } }, "shard.count is -1"),
            ("outside", { $0["shard"] = ($0["shard"] as! [String: Any]).merging(["covered": [7]]) { $1 } }, "shard.covered holds"),
            ("status", { $0["statusCodes"] = ["503": Int.max] }, "statusCodes.503 is"),
            ("offset", { report in
                var timeline = report["timeline"] as! [String: Any]
                var intervals = timeline["intervals"] as! [[String: Any]]
                intervals[0]["offsetUs"] = 1 << 62
                timeline["intervals"] = intervals
                report["timeline"] = timeline
            }, "timeline.intervals[0].offsetUs is"),
        ]
        for (name, change, message) in crafted {
            var report = try Self.json(try String(contentsOfFile: files[0], encoding: .utf8))
            change(&report)
            let path = directory + "/\(name).json"
            try JSONSerialization.data(withJSONObject: report).write(to: URL(fileURLWithPath: path))
            let refused = try HitProcess.run(["merge", path, files[1], files[2]])
            #expect(refused.exitStatus == 64, "\(name): \(refused.stderr)")
            #expect(refused.stderr.split(separator: "\n").count == 1 && refused.stderr.contains(message), "\(name): \(refused.stderr)")
        }
        let copy = directory + "/copy.json"
        try FileManager.default.copyItem(atPath: files[0], toPath: copy)
        let duplicate = try HitProcess.run(["merge", copy] + files)
        #expect(duplicate.exitStatus == 64)
        #expect(duplicate.stderr.contains("\(copy) and \(files[0]) both hold shard 0 of 3"), "\(duplicate.stderr)")

        // A partial merge goes through only when asked, and says so.
        let partial = try HitProcess.run(["merge", "--partial", "-o", "json", files[0], files[2]])
        #expect(partial.exitStatus == 1)
        let shard = try #require(try Self.json(partial.stdout)["shard"] as? [String: Any])
        #expect(shard["covered"] as? [Int] == [0, 2])
        #expect(shard["missing"] as? [Int] == [1])
        let page = directory + "/partial.html"
        let partialText = try HitProcess.run(["merge", "--partial", "--html", page, files[0], files[2]])
        #expect(partialText.stdout.contains("2 of 3 shards merged (PARTIAL: shard 1 missing)"))
        #expect(partialText.stderr.contains("hit merge: warning: 2 of 3 shards merged (PARTIAL: shard 1 missing): the verdict judges only the shards given"))
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("<strong>2 of 3 shards merged (PARTIAL: shard 1 missing)</strong>"))
    }

    @Test(arguments: [
        (["JOB_COMPLETION_INDEX": "1", "HIT_SHARD_COUNT": "2"], 1, 2, "JOB_COMPLETION_INDEX and HIT_SHARD_COUNT"),
        (["SLURM_PROCID": "2", "SLURM_NTASKS": "3"], 2, 3, "SLURM_PROCID and SLURM_NTASKS"),
    ] as [([String: String], Int, Int, String)])
    func shardAutoReadsTheEnginesEnvironmentAndSaysWhich(variables: [String: String], index: Int, count: Int, named: String) throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SLURM_") && $0.key != "JOB_COMPLETION_INDEX" }
        environment.merge(variables) { $1 }
        let hit = try ExternalTool(HitProcess.binary, ["--shard", "auto", "-n", "30", "-c", "\(count)", "-o", "json", server.baseURL + "/"],
                                   environment: environment)
        #expect(hit.status == 0, "\(hit.stderr)")
        #expect(hit.stderr.contains("hit: shard \(index) of \(count), from \(named)"), "\(hit.stderr)")
        let shard = try #require(try Self.json(hit.stdout)["shard"] as? [String: Any])
        #expect(shard["index"] as? Int == index)
        #expect(shard["count"] as? Int == count)
        #expect(server.stats.requestsSeen == 30 / count)
        // Under -q the shard is named in the JSON only: stdout and stderr may be collected together.
        // A warning is still a warning: without --start-at the shards' timelines will not line up.
        let quiet = try ExternalTool(HitProcess.binary, ["--shard", "auto", "-n", "30", "-c", "\(count)", "-q", "-o", "json", server.baseURL + "/"],
                                     environment: environment)
        #expect(quiet.status == 0)
        #expect(quiet.stderr == "hit: warning: --shard \(index)/\(count) without --start-at: the shards' timelines will not line up: "
            + "give every shard the same --start-at\n", "\(quiet.stderr)")
        let started = try ExternalTool(HitProcess.binary, ["--shard", "auto", "--start-at", Self.startAt(in: 1.5), "-n", "30", "-c", "\(count)",
                                                           "-q", "-o", "json", server.baseURL + "/"], environment: environment)
        #expect(started.status == 0)
        #expect(started.stderr.isEmpty, "\(started.stderr)")
    }

    /// Shards without --start-at, run one after the other: each warns, runs, and the merge of the
    /// two is refused unless asked for, then says how far apart they started.
    @Test func shardsThatDidNotStartTogetherAreWarnedAndMergedOnlyWithConsent() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = (0..<2).map { directory + "/shard-\($0).json" }
        for index in 0..<2 {
            // 10 requests at 20/s each: shard 1 starts half a second after shard 0 did, at least.
            let shard = try HitProcess.run(["--shard", "\(index)/2", "-n", "20", "-c", "2", "-rps", "40", "--interval", "200ms",
                                            "-q", "-o", "json", "--output-file", files[index], server.baseURL + "/"])
            #expect(shard.exitStatus == 0, "\(shard.stderr)")
            #expect(shard.stderr == "hit: warning: --shard \(index)/2 without --start-at: the shards' timelines will not line up: "
                + "give every shard the same --start-at\n", "\(shard.stderr)")
        }
        #expect(server.stats.requestsSeen == 20, "the warning stops nothing")

        let refused = try HitProcess.run(["merge"] + files)
        #expect(refused.exitStatus == 64)
        #expect(refused.stderr.split(separator: "\n").count == 1, "one line: \(refused.stderr)")
        #expect(refused.stderr.hasPrefix("hit merge: \(files[0]) and \(files[1]) started "), "\(refused.stderr)")
        #expect(refused.stderr.contains(" apart, more than the 100.0ms") && refused.stderr.contains("--unsynchronized"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)

        let page = directory + "/merged.html"
        let merged = try HitProcess.run(["merge", "--unsynchronized", "--html", page] + files)
        #expect(merged.exitStatus == 0, "\(merged.stderr)")
        #expect(try String(contentsOfFile: page, encoding: .utf8).contains("<strong>2 of 2 shards merged (UNSYNCHRONIZED: started "))
        #expect(reportValue("Requests", in: merged.stdout) == "20")
        #expect(merged.stdout.contains("2 of 2 shards merged (UNSYNCHRONIZED: started "), "\(merged.stdout)")
        #expect(merged.stderr.contains("hit merge: warning: the shards started "), "\(merged.stderr)")
        let json = try HitProcess.run(["merge", "--unsynchronized", "-o", "json"] + files)
        let shard = try #require(try Self.json(json.stdout)["shard"] as? [String: Any])
        #expect(shard["unsynchronized"] as? Bool == true)
        let reports = try files.map { try Self.json(try String(contentsOfFile: $0, encoding: .utf8)) }
        let starts = try reports.map { try #require($0["startUnixNs"] as? Int) }
        #expect(shard["startsApartUs"] as? Int == (starts[1] - starts[0]) / 1000, "\(shard)")
        #expect((starts[1] - starts[0]) >= 400_000_000)
    }

    @Test func shardsFromDifferentLocalAddressesAreOneRun() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let start = Self.startAt(in: 0.5)
        let shards = try (0..<2).map { index in
            try HitProcess(["--shard", "\(index)/2", "--start-at", start, "-n", "20", "-c", "2", "--interface", "127.0.0.\(index + 2)",
                            "-q", "-o", "json", "--output-file", directory + "/shard-\(index).json", server.baseURL + "/"])
        }
        for shard in shards { #expect(shard.wait() == 0, "\(shard.stderr)") }
        let merge = try HitProcess.run(["merge", directory + "/shard-0.json", directory + "/shard-1.json"])
        #expect(merge.exitStatus == 0, "\(merge.stderr)")
        #expect(reportValue("Requests", in: merge.stdout) == "20")
        #expect(Set(server.stats.connectionsByPeerAddress.keys) == ["127.0.0.2", "127.0.0.3"])
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aStopWhileWaitingForTheStartEndsWithAReportAndNothingSent(signal: Int32) throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess(["--shard", "0/2", "--start-at", Self.startAt(in: 5), "-n", "10", "-c", "2", "-rps", "10",
                                  "-o", "json", server.baseURL + "/"])
        #expect(eventually(within: 10) { hit.stderr.contains("waiting for --start-at") }, "\(hit.stderr)")
        let stopped = hit.interrupt(with: signal)
        #expect(stopped.status == 130, "any stop signal ends hit with 130: \(hit.stderr)")
        #expect(!hit.stderr.contains("Fatal error") && !hit.stderr.contains("runtime failure"), "\(hit.stderr)")
        let report = try Self.json(hit.stdout)
        #expect(report["interrupted"] as? Bool == true)
        #expect((report["summary"] as? [String: Any])?["started"] as? Int == 0)
        #expect(server.stats.requestsSeen == 0)
    }

    @Test func aShardThatStartsAfterTheInstantWarnsAndCountsItsRequestsLate() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["--shard", "0/2", "--start-at", Self.startAt(in: -1), "-n", "40", "-c", "2",
                                      "-rps", "20", "-o", "json", server.baseURL + "/"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        #expect(hit.stderr.contains("hit: warning: --start-at"), "\(hit.stderr)")
        let report = try Self.json(hit.stdout)
        let lateBy = try #require(report["startedLateUs"] as? Int)
        #expect(lateBy >= 900_000, "started \(lateBy) µs late")
        let late = try #require((report["pacing"] as? [String: Any])?["late"] as? Int)
        #expect(late >= 9, "the requests due in the second before it started went late (\(late))")
        #expect(server.stats.requestsSeen == 20)
    }
}
