import Foundation
import HitTarget
import HitTestSupport
import PropertyBased
import Synchronization
import Testing

/// `hit report` and `hit merge` read reports from anywhere (CI artifacts of untrusted pull
/// requests): a crafted or damaged report is one line and exit 64, never a trap, a hang or memory
/// out of proportion to the file.
@Suite(.serialized) struct UntrustedReportTests {
    /// Real reports to craft from: a paced run with stages, a rule and phases, and two shards.
    final class Reports: Sendable {
        let directory: String
        let run: String
        let shards: [String]

        init() throws {
            let server = try TargetServer()
            defer { server.shutdown() }
            directory = try temporaryDirectory("hit-untrusted")
            run = directory + "/run.json"
            shards = [directory + "/s0.json", directory + "/s1.json"]
            let common = ["-n", "20", "-q", "--stages", "200ms:100", "-c", "2", "--interval", "100ms", "--fail-if", "p99>10s"]
            let whole = try HitProcess.run(common + ["--json-file", run, server.baseURL + "/"])
            try #require(whole.exitStatus == 0, "\(whole.stderr)")
            for (index, path) in shards.enumerated() {
                let shard = try HitProcess.run(common + ["--shard", "\(index)/2", "--json-file", path, server.baseURL + "/"])
                try #require(shard.exitStatus == 0, "\(shard.stderr)")
            }
        }
    }

    static let reports = Result { try Reports() }

    static func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    static func write(_ object: Any, to path: String) throws {
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
    }

    /// `report` with the value at `path` (keys, or array indices as numbers) replaced by `value`.
    static func setting(_ report: Any, _ path: [Any], to value: Any) -> Any {
        guard let first = path.first else { return value }
        if let key = first as? String, var object = report as? [String: Any] {
            object[key] = setting(object[key] as Any, Array(path.dropFirst()), to: value)
            return object
        }
        if let index = first as? Int, var array = report as? [Any], array.indices.contains(index) {
            array[index] = setting(array[index], Array(path.dropFirst()), to: value)
            return array
        }
        return report
    }

    /// A V2 histogram whose header says a lowest discernible value of 2^63.
    static let hostileHistogram: String = {
        var plain: [UInt8] = [0x1C, 0x84, 0x93, 0x13] + [0, 0, 0, 0] + [0, 0, 0, 0] + [0, 0, 0, 3]
        plain += [0x80, 0, 0, 0, 0, 0, 0, 0] + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + [0x3F, 0xF0, 0, 0, 0, 0, 0, 0]
        return Data(plain).base64EncodedString()
    }()

    /// The report with the issue's crafted values, each one alone: each was a trap or a growth of memory.
    static var crafted: [(name: String, path: [Any], value: Any, message: String)] { [
        ("measured", ["thresholds", 0, "measured"], 1e300, "thresholds[0].measured is"),
        ("stage start", ["configuration", "stages", 0, "startUs"], Int64.max, "configuration.stages[0].startUs is"),
        ("stage rate", ["configuration", "stages", 0, "targetRate"], -1e308, "configuration.stages[0].targetRate is"),
        ("rate", ["configuration", "rate"], 1e308, "configuration.rate is"),
        ("pacing rate", ["pacing", "rate"], -1e308, "pacing.rate is"),
        ("interval length", ["timeline", "intervals", 0, "durationUs"], Int64.max, "timeline.intervals[0].durationUs is"),
        ("interval errors", ["timeline", "intervals", 0, "transportErrors"], Int64.max - 1, "timeline.intervals[0].transportErrors is"),
        ("interval rate", ["timeline", "intervals", 0, "sendRate"], 1e308, "timeline.intervals[0].sendRate is"),
        ("start", ["startUnixNs"], Int64.max - 1000, "startUnixNs is"),
        ("shards", ["shard"], ["index": 0, "count": Int64.max, "covered": [0], "missing": [], "configurationHash": "x"], "shard.count is"),
        ("header", ["latency", "histogram", "encoded"], hostileHistogram, "impossible histogram parameters"),
        ("phase header", ["phases", "first byte", "encoded"], hostileHistogram, "impossible histogram parameters"),
        ("concurrency", ["configuration", "concurrency"], 0, "configuration.concurrency is 0"),
        ("loop share", ["generator", "loopBusy"], [1e308], "generator.loopBusy holds"),
        // A mean of 2^50 µs times 2^45 responses was beyond a Duration: a trap in hit merge.
        ("mean", ["latency", "meanUs"], 1 << 50, "latency.meanUs is"),
        ("target mean", ["targets", 0, "meanUs"], 1 << 50, "targets[0].meanUs is"),
        ("interval", ["timeline", "intervalUs"], 1, "timeline.intervalUs is 1"),
        // The version asked for is a typed value: only "1.1" and "2" are read back.
        ("http", ["configuration", "http"], "<b>3</b>", "configuration.http"),
    ] }

    @Test func craftedReportsAreOneLineAnd64NeverATrap() throws {
        let reports = try Self.reports.get()
        let original = try Self.json(reports.run)
        for (name, path, value, message) in Self.crafted {
            let file = reports.directory + "/crafted.json"
            try Self.write(Self.setting(original, path, to: value), to: file)
            let html = reports.directory + "/crafted.html"
            let report = try HitProcess.run(["report", file, "--html", html], seconds: 30)
            #expect(report.exitStatus == 64, "\(name): \(report.exitStatus) \(report.stderr)")
            #expect(report.stderr.hasPrefix("hit report: ") && report.stderr.split(separator: "\n").count == 1, "\(name): \(report.stderr)")
            #expect(report.stderr.contains(message), "\(name): \(report.stderr)")
        }
        let shard = try Self.json(reports.shards[0])
        for (name, path, value, message) in Self.crafted where name != "shards" {
            let file = reports.directory + "/crafted-shard.json"
            try Self.write(Self.setting(shard, path, to: value), to: file)
            let merge = try HitProcess.run(["merge", file, reports.shards[1]], seconds: 30)
            #expect(merge.exitStatus == 64, "\(name): \(merge.exitStatus) \(merge.stderr)")
            #expect(merge.stderr.hasPrefix("hit merge: ") && merge.stderr.split(separator: "\n").count == 1, "\(name): \(merge.stderr)")
            #expect(merge.stderr.contains(message), "\(name): \(merge.stderr)")
        }
    }

    /// A digest copied onto a shard of another shape does not make it part of the run.
    /// A capacity search's document, as `--find-max --json-file` writes one (without configuration).
    static var searchDocument: [String: Any] { [
        "version": 3, "hit": "test",
        "findMax": [
            "rules": ["p99>50ms"], "keeps": "p99 ≤ 50ms", "maximumRate": 80.0, "limitedByHit": false, "interrupted": false,
            "reason": "the last pass and the first fail are within 10%",
            "steps": [[
                "askedRate": 80.0, "sentRate": 80.0, "completedRate": 80.0, "inFlightAtStart": 1, "inFlightAtEnd": 1, "workers": 8,
                "p50Us": 900, "p99Us": 2000, "errorsPercent": 0.0, "passed": true, "reachedRate": true, "keptPace": true,
                "limitedByHit": false, "limit": NSNull(), "cpuPercent": 3.5, "failedRules": [String](),
            ] as [String: Any]],
        ] as [String: Any],
    ] }

    @Test func craftedSearchDocumentsAreOneLineAnd64() throws {
        let reports = try Self.reports.get()
        let file = reports.directory + "/search.json"
        try Self.write(Self.searchDocument, to: file)
        let valid = try HitProcess.run(["report", file])
        #expect(valid.exitStatus == 0 && valid.stdout.contains("Highest rate that passed: 80 requests/s"), "\(valid.stderr)")
        let noConfiguration = try HitProcess.run(["report", file, "--html", reports.directory + "/search.html"])
        #expect(noConfiguration.exitStatus == 64 && noConfiguration.stderr.contains("before a search recorded its configuration"))
        // The readers of runs name what they were given, and what reads it (with their own status:
        // hit compare and --baseline answer 65 for a report they cannot compare).
        for (arguments, status) in [(["merge", file, file], Int32(64)), (["compare", file, file], 65),
                                    (["--baseline", file, "-n", "1", "http://127.0.0.1:1/"], 65)] {
            let refused = try HitProcess.run(arguments)
            #expect(refused.exitStatus == status, "\(arguments)")
            #expect(refused.stderr.contains("is a capacity search's document (--find-max), not a run's report: hit report prints it"),
                    "\(arguments): \(refused.stderr)")
        }
        let crafted: [(path: [Any], value: Any, message: String)] = [
            (["findMax", "maximumRate"], 1e308, "findMax.maximumRate is"),
            (["findMax", "steps", 0, "askedRate"], -1.0, "findMax.steps[0].askedRate is"),
            (["findMax", "steps", 0, "p99Us"], Int64.max, "findMax.steps[0].p99Us is"),
            (["findMax", "steps", 0, "workers"], Int.max, "findMax.steps[0].workers is"),
            (["findMax", "steps", 0, "errorsPercent"], 250.0, "not a percentage"),
            (["findMax", "steps", 0, "limit"], "elsewhere", "neither 'workers' nor 'cpu'"),
            (["findMax", "rules"], ["p99>>"], "a rule hit does not read"),
            (["findMax", "reason"], String(repeating: "x", count: 20_000), "longer than 10000 bytes"),
            (["findMax", "steps"], [Any](repeating: (Self.searchDocument["findMax"] as! [String: Any])["steps"].map { ($0 as! [Any])[0] }!,
                                         count: 10_001), "more than 10000"),
            (["version"], 2, "version 2"),
            (["findMax", "steps", 0, "passed"], "yes", "wrong value at 'findMax.steps.0.passed'"),
        ]
        for (path, value, message) in crafted {
            try Self.write(Self.setting(Self.searchDocument, path, to: value), to: file)
            let hit = try HitProcess.run(["report", file], seconds: 30)
            #expect(hit.exitStatus == 64, "\(path): \(hit.exitStatus) \(hit.stderr)")
            #expect(hit.stderr.hasPrefix("hit report: ") && hit.stderr.split(separator: "\n").count == 1, "\(path): \(hit.stderr)")
            #expect(hit.stderr.contains(message), "\(path): \(hit.stderr)")
        }
    }

    @Test func shardsWithOtherIntervalsOrTargetsAreRefusedWhateverTheirDigest() throws {
        let reports = try Self.reports.get()
        let shard = try Self.json(reports.shards[1])
        let file = reports.directory + "/copied-digest.json"
        try Self.write(Self.setting(shard, ["timeline", "intervalUs"], to: 200_000), to: file)
        let intervals = try HitProcess.run(["merge", reports.shards[0], file])
        #expect(intervals.exitStatus == 64 && intervals.stderr.contains("has intervals of 200000 µs"), "\(intervals.stderr)")
        try Self.write(Self.setting(shard, ["configuration", "targets", 0, "url"], to: "http://elsewhere.test/"), to: file)
        let targets = try HitProcess.run(["merge", reports.shards[0], file])
        #expect(targets.exitStatus == 64 && targets.stderr.contains("list different targets"), "\(targets.stderr)")
        // Each within bounds, together beyond them: the merge could not be read back, and its sums
        // of latencies (an hour's mean times 2^45 responses each) would leave a Duration.
        var huge = Self.setting(shard, ["summary", "succeeded"], to: 1 << 45)
        huge = Self.setting(huge, ["latency", "meanUs"], to: 3_600_000_000)
        try Self.write(huge, to: file)
        var other = try Self.json(reports.shards[0])
        other = Self.setting(other, ["summary", "succeeded"], to: 1 << 45) as! [String: Any]
        let otherFile = reports.directory + "/huge-0.json"
        try Self.write(Self.setting(other, ["latency", "meanUs"], to: 3_600_000_000), to: otherFile)
        let sums = try HitProcess.run(["merge", otherFile, file])
        #expect(sums.exitStatus == 64 && sums.stderr.contains("add up to more than 2^45 responses"), "\(sums.stderr)")
        let whole = try HitProcess.run(["merge", "--unsynchronized", reports.shards[0], reports.shards[1]])
        #expect(whole.exitStatus == 0, "\(whole.stderr)")
    }

    /// Memory follows the file: a file beyond --max-input-size (64 MB by default) is refused
    /// before it is decoded, and an object of millions of keys before it is built.
    @Test func theInputIsBoundedInSizeAndKeys() throws {
        let reports = try Self.reports.get()
        var report = try Self.json(reports.run)
        report["statusCodes"] = Dictionary(uniqueKeysWithValues: (0..<200_000).map { ("\($0)", 1) })
        let keys = reports.directory + "/keys.json"
        try Self.write(report, to: keys)
        let manyKeys = try HitProcess.run(["report", keys, "--html", reports.directory + "/keys.html"])
        #expect(manyKeys.exitStatus == 64 && manyKeys.stderr.contains("more than 1000 keys"), "\(manyKeys.stderr)")
        #expect(manyKeys.peakMemoryKiB.map { $0 < 200_000 } ?? true, "peak RSS \(String(describing: manyKeys.peakMemoryKiB)) KiB")

        let small = try HitProcess.run(["report", reports.run, "--html", reports.directory + "/r.html", "--max-input-size", "1KB"])
        #expect(small.exitStatus == 64 && small.stderr.contains("larger than 1024 bytes") && small.stderr.contains("--max-input-size"),
                "\(small.stderr)")
        let raised = try HitProcess.run(["report", reports.run, "--html", reports.directory + "/r.html", "--max-input-size", "100MB"])
        #expect(raised.exitStatus == 0, "\(raised.stderr)")
        let bad = try HitProcess.run(["merge", reports.shards[0], reports.shards[1], "--max-input-size", "0x10"])
        #expect(bad.exitStatus == 64 && bad.stderr.contains("--max-input-size '0x10' is not a size"), "\(bad.stderr)")
    }

    /// Values that hurt, for any leaf of a report.
    static var hostile: [Any] { [
        Int64.max, Int64.min, -1, 0, UInt64(1) << 63, 1e308, -1e308, Double.leastNonzeroMagnitude, 1e300, "", "x", "HISTFAAA", hostileHistogram,
        String(repeating: "9", count: 400), [Any](), [String: Any](), NSNull(), true, [[1, 2, 3]], ["1": -1],
    ] }

    /// A plain V2 encoding with a random header (digits, lowest and highest values) and random
    /// payload bytes, in base64: what a fuzzer of the histogram blobs tries.
    static func randomBlob(seed: UInt64) -> String {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
        let payload = (0..<Int(next() % 64)).map { _ in UInt8(truncatingIfNeeded: next()) }
        let lowest = next() >> (next() % 64), highest = next() >> (next() % 64)
        let header = bytes(UInt32(0x1C84_9313)) + bytes(UInt32(payload.count)) + bytes(UInt32(0)) + bytes(UInt32(next() % 7))
            + bytes(lowest) + bytes(highest) + bytes((1.0 as Double).bitPattern)
        return Data(header + payload).base64EncodedString()
    }

    /// Every path to a leaf of `object`.
    static func leaves(_ object: Any, _ prefix: [Any] = []) -> [[Any]] {
        if let dictionary = object as? [String: Any] {
            return dictionary.keys.sorted().flatMap { leaves(dictionary[$0]!, prefix + [$0]) } + (prefix.isEmpty ? [] : [prefix])
        }
        if let array = object as? [Any] {
            return array.indices.flatMap { leaves(array[$0], prefix + [$0]) } + [prefix]
        }
        return [prefix]
    }

    /// Reports mutated at random (numbers to extremes, values of the wrong type, hostile blobs, a
    /// whole section replaced) through `hit report` and `hit merge`: the statuses are the
    /// documented ones (report: 0 or 64; merge: a run's, 0, 1, 64 or 69), a refusal is one line,
    /// and nothing traps (132, 133, 134, 139).
    @Test(.timeLimit(.minutes(10)))
    func mutatedReportsEndWithADocumentedStatus() async throws {
        let reports = try Self.reports.get()
        let run = try Self.json(reports.run), shard = try Self.json(reports.shards[0])
        let runLeaves = Self.leaves(run), shardLeaves = Self.leaves(shard)
        let isBlob = { (path: [Any]) in (path.last as? String).map { $0 == "encoded" || $0 == "latenessEncoded" } ?? false }
        let runBlobs = runLeaves.filter(isBlob), shardBlobs = shardLeaves.filter(isBlob)
        try #require(!runBlobs.isEmpty && !shardBlobs.isEmpty)
        // A value index past the list stands for a random blob: a V2 header with random fields and bytes.
        let mutation = zip(Gen.int(in: 0...1_000_000).array(of: 1...3), Gen.int(in: 0...(Self.hostile.count + 2)).array(of: 3...3))
        let counter = Counter()
        await propertyCheck(count: 80, input: mutation) { picks, values in
            let case_ = counter.next()
            var mutatedRun: Any = run, mutatedShard: Any = shard
            let hostile = values.enumerated().map { index, value in
                value < Self.hostile.count ? Self.hostile[value] : Self.randomBlob(seed: UInt64(picks[index % picks.count] &* 31 &+ value))
            }
            for (pick, value) in zip(picks, hostile) {
                mutatedRun = Self.setting(mutatedRun, runLeaves[pick % runLeaves.count], to: value)
                mutatedShard = Self.setting(mutatedShard, shardLeaves[pick % shardLeaves.count], to: value)
            }
            // And always one histogram encoding replaced by a random blob, where the decoder reads it.
            let blob = Self.randomBlob(seed: UInt64(picks[0]) &* 7 &+ UInt64(values[0]))
            mutatedRun = Self.setting(mutatedRun, runBlobs[picks[0] % runBlobs.count], to: blob)
            mutatedShard = Self.setting(mutatedShard, shardBlobs[picks[0] % shardBlobs.count], to: blob)
            let runFile = reports.directory + "/mutated-\(case_).json", shardFile = reports.directory + "/mutated-shard-\(case_).json"
            guard (try? Self.write(mutatedRun, to: runFile)) != nil, (try? Self.write(mutatedShard, to: shardFile)) != nil else { return }
            defer {
                try? FileManager.default.removeItem(atPath: runFile)
                try? FileManager.default.removeItem(atPath: shardFile)
            }
            let described = "\(picks.map { runLeaves[$0 % runLeaves.count] }) ← \(hostile)"
            if let report = try? HitProcess.run(["report", runFile, "--html", reports.directory + "/mutated.html"], seconds: 30) {
                #expect([0, 64].contains(report.exitStatus), "report \(described): \(report.exitStatus) \(report.stderr)")
                if report.exitStatus == 64 { #expect(report.stderr.split(separator: "\n").count == 1, "\(report.stderr)") }
            } else {
                Issue.record("hit report did not end: \(described)")
            }
            // The shards ran one after the other: --unsynchronized, so that the merge itself runs.
            if let merge = try? HitProcess.run(["merge", "--unsynchronized", shardFile, reports.shards[1], "-o", "json",
                                                "--html", reports.directory + "/merged.html"],
                                               seconds: 30) {
                #expect([0, 1, 64, 69].contains(merge.exitStatus), "merge \(described): \(merge.exitStatus) \(merge.stderr)")
                if merge.exitStatus == 64 { #expect(merge.stderr.split(separator: "\n").count == 1, "\(merge.stderr)") }
            } else {
                Issue.record("hit merge did not end: \(described)")
            }
        }
    }

    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func next() -> Int { value.add(1, ordering: .relaxed).newValue }
    }
}
