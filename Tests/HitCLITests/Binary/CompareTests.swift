import Foundation
import HitTarget
import HitTestSupport
import Testing

/// `hit compare` and `--baseline` on real runs against the target server's `/tuned`, whose latency
/// is changed between runs while its URL stays the same.
@Suite final class CompareTests {
    let directory: String

    init() throws {
        directory = try temporaryDirectory("hit-compare")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A run of 4 s from 4 workers, timeline intervals of 100 ms: 40 blocks of about 20 requests
    /// against a 20 ms service. (Unpaced: the tests' debug build, beside the other tests, sends
    /// too many requests over 1 ms late for a paced run to count as having kept its schedule.)
    static let shape = ["-c", "4", "-z", "4s", "--interval", "100ms", "-q"]

    /// Runs hit with `server` tuned as `setting`, and keeps its JSON report as `name`.
    func run(_ name: String, _ server: TargetServer, _ setting: TunedLatency.Setting, shape: [String] = CompareTests.shape,
             path: String = "/tuned") throws -> String {
        server.stats.tunedLatency.set(setting)
        let file = directory + "/" + name + ".json"
        let hit = try HitProcess.run(shape + ["--json-file", file, server.baseURL + path])
        try #require(hit.exitStatus == 0, "\(hit.stdout)\(hit.stderr)")
        return file
    }

    static func ms(_ delay: Double, tail: Double = 0, share: Double = 0) -> TunedLatency.Setting {
        TunedLatency.Setting(delayMicroseconds: Int64(delay * 1000), tailMicroseconds: Int64(tail * 1000), tailShare: share)
    }

    func compare(_ arguments: [String]) throws -> (status: Int32?, json: [String: Any], stderr: String) {
        let hit = try HitProcess.run(["compare", "-o", "json"] + arguments)
        let json = (try? JSONSerialization.jsonObject(with: Data(hit.stdout.utf8))) as? [String: Any] ?? [:]
        return (hit.exitStatus, json, hit.stderr)
    }

    func result(_ json: [String: Any], _ metric: String) -> String? {
        (json["gates"] as? [[String: Any]])?.first { $0["metric"] as? String == metric }?["result"] as? String
    }

    @Test func aTailOnlyChangeIsCaughtOnP99AndNotOnP50() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let base = try run("base", server, Self.ms(20))
        let same = try run("same", server, Self.ms(20))
        let tail = try run("tail", server, Self.ms(20, tail: 40, share: 0.03))

        // The same service: no regression on the median (the CI machine's noise may leave it
        // inconclusive, never regressed).
        let itself = try compare(["--gate", "p50:+10%", base, same])
        #expect(itself.status == 0 || itself.status == 3, "\(itself.json) \(itself.stderr)")
        #expect(result(itself.json, "p50") != "regressed")

        let compared = try compare(["--gate", "p50:+10%", "--gate", "p99:+10%", base, tail])
        #expect(compared.status == 1, "\(compared.stderr)")
        #expect(result(compared.json, "p99") == "regressed")
        #expect(result(compared.json, "p50") != "regressed")
        #expect(compared.json["verdict"] as? String == "regressed")
        #expect(compared.json["latency"] as? String == "uncorrected")
        #expect(compared.stderr.hasPrefix("hit compare: REGRESSED: p99 "))
        // The shift function: the median stayed, p99 moved by about 40 ms.
        let shift = try #require(compared.json["shift"] as? [[String: Any]])
        let p50 = try #require(shift.first { $0["quantile"] as? String == "p50" }?["change"] as? Double)
        let p99 = try #require(shift.first { $0["quantile"] as? String == "p99" }?["change"] as? Double)
        #expect(abs(p50) < 0.1 && p99 > 0.5, "p50 \(p50), p99 \(p99)")

        // The text ends with the verdict; markdown is a table for a pull request.
        let text = try HitProcess.run(["compare", "--gate", "p99:+10%", base, tail])
        #expect(text.exitStatus == 1)
        #expect(text.stdout.split(separator: "\n").last?.hasPrefix("Verdict: REGRESSED: p99 +") == true, "\(text.stdout)")
        let markdown = try HitProcess.run(["compare", "-o", "markdown", base, tail])
        #expect(markdown.stdout.contains("| metric | gate | base | new | change | 90% interval | result |"))
        #expect(markdown.stdout.contains("| p99 | +10% |"))
    }

    @Test func aSlowerMedianIsCaughtAndAFasterServiceIsImproved() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let base = try run("base", server, Self.ms(20))
        let slower = try run("slower", server, Self.ms(30))
        let faster = try run("faster", server, Self.ms(10))
        let worse = try compare([base, slower])
        #expect(worse.status == 1)
        #expect(result(worse.json, "p50") == "regressed")
        // Gated on the median alone: a busy machine may leave the tail of 4-second runs inconclusive.
        let better = try compare(["--gate", "p50:+5%", base, faster])
        #expect(better.status == 0, "\(better.stderr)")
        #expect(result(better.json, "p50") == "improved")
        #expect(better.json["verdict"] as? String == "improved")
        // Another libcurl made the new run: compared, with a warning.
        let rebuilt = directory + "/rebuilt.json"
        var report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: slower))) as? [String: Any])
        var client = try #require(report["client"] as? [String: Any])
        client["libcurl"] = "8.14.1"
        client["cpus"] = 64
        report["client"] = client
        try JSONSerialization.data(withJSONObject: report).write(to: URL(fileURLWithPath: rebuilt))
        let warned = try HitProcess.run(["compare", base, rebuilt])
        #expect(warned.exitStatus == 1)
        #expect(warned.stdout.contains("Warning: \(base) and \(rebuilt): libcurl "), "\(warned.stdout)")
        #expect(warned.stdout.contains("CPUs against 64"))
        // Several runs per side.
        let base2 = try run("base2", server, Self.ms(20))
        let slower2 = try run("slower2", server, Self.ms(30))
        let repeated = try compare([base, base2, "--", slower, slower2])
        #expect(repeated.status == 1)
        #expect((repeated.json["base"] as? [String])?.count == 2 && (repeated.json["new"] as? [String])?.count == 2)
    }

    @Test func shortRunsAreInconclusiveAndSayHowLongTheyWouldNeedToBe() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        // Bounded by time, not by a count: 25 requests of 20–40 ms ran into an eighth 100 ms
        // interval whenever the machine was slow, and eight are enough for the bootstrap to judge.
        let short = ["-z", "500ms", "-c", "1", "--interval", "100ms", "-q"]
        let base = try run("base", server, Self.ms(20, tail: 20, share: 0.3), shape: short)
        let new = try run("new", server, Self.ms(21, tail: 21, share: 0.3), shape: short)
        let compared = try compare([base, new])
        #expect(compared.status == 3, "\(compared.json)")
        #expect(compared.json["verdict"] as? String == "inconclusive")
        let reason = compared.json["verdictReason"] as? String ?? ""
        #expect(reason.contains("runs of at least"), "\(reason)")
        #expect(try HitProcess.run(["compare", "--inconclusive", "pass", base, new]).exitStatus == 0)
    }

    @Test func whatCannotBeComparedIsRefused() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let short = ["-rps", "100", "-z", "1s", "-c", "5", "--interval", "100ms", "-q"]
        let base = try run("base", server, Self.ms(1), shape: short)
        let otherRate = try run("rate", server, Self.ms(1), shape: ["-rps", "50", "-z", "1s", "-c", "5", "--interval", "100ms", "-q"])
        // Each is given first (as the base), so that its own problem is the first found.
        let otherTarget = try run("target", server, Self.ms(1), shape: short, path: "/")
        let truncated = directory + "/truncated.json"
        let whole = try String(contentsOfFile: base, encoding: .utf8)
        try String(whole.prefix(whole.count / 2)).write(toFile: truncated, atomically: true, encoding: .utf8)
        let foreign = directory + "/foreign.json"
        try #"{"hello": "world"}"#.write(toFile: foreign, atomically: true, encoding: .utf8)
        // The same run against a service too slow for its 5 workers to keep 100 requests a second.
        let behind = directory + "/behind.json"
        server.stats.tunedLatency.set(Self.ms(200))
        let dropping = try HitProcess.run(short + ["--json-file", behind, server.baseURL + "/tuned"])
        #expect(dropping.exitStatus == 1, "a run that dropped requests fails")
        for (other, message) in [(otherRate, "another rate: -rps 50 against -rps 100"), (otherTarget, "other targets: GET "),
                                 (truncated, "is not a JSON report of hit's"), (foreign, "is not"),
                                 (behind, "behind.json cannot be compared: it dropped")] {
            let hit = try HitProcess.run(["compare", other, base])
            #expect(hit.exitStatus == 65, "\(other): \(hit.stderr)")
            #expect(hit.stdout.isEmpty)
            #expect(hit.stderr.hasPrefix("hit compare: ") && hit.stderr.contains(message), "\(hit.stderr)")
            #expect(hit.stderr.split(separator: "\n").count == 1)
        }
        for (arguments, message) in [([base], "missing the reports to compare"), ([base, base, base], "3 reports: give two"),
                                     ([base, directory + "/none.json"], "none.json"), (["--gate", "p99:5%", base, base], "--gate 'p99:5%'"),
                                     (["-o", "csv", base, base], "-o 'csv' is not text, json or markdown"),
                                     (["--inconclusive", "maybe", base, base], "--inconclusive 'maybe'")] {
            let hit = try HitProcess.run(["compare"] + arguments)
            #expect(hit.exitStatus == 64, "\(arguments): \(hit.stderr)")
            #expect(hit.stderr.contains(message), "\(hit.stderr)")
        }
    }

    /// `--baseline`: the run compared as it ends; an incomparable baseline refused before anything is sent.
    @Test func aRunComparedWithItsBaselineAsItEnds() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let base = try run("base", server, Self.ms(20))
        server.stats.tunedLatency.set(Self.ms(30))
        let hit = try HitProcess.run(Self.shape + ["--baseline", base, server.baseURL + "/tuned"])
        #expect(hit.exitStatus == 1, "\(hit.stderr)")
        #expect(hit.stdout.contains("Compared with the baseline:"))
        #expect(hit.stdout.split(separator: "\n").last?.hasPrefix("Verdict: REGRESSED: p50 +") == true, "\(hit.stdout)")
        let seen = server.stats.requestsSeen
        let refused = try HitProcess.run(["-rps", "50", "-z", "4s", "-q", "--baseline", base, server.baseURL + "/tuned"])
        #expect(refused.exitStatus == 65)
        #expect(refused.stderr.contains("is not comparable with this run: another rate"), "\(refused.stderr)")
        #expect(server.stats.requestsSeen == seen, "nothing was sent")
        let gateAlone = try HitProcess.run(["--gate", "p99:+5%", "-n", "1", server.baseURL + "/"])
        #expect(gateAlone.exitStatus == 64)
        #expect(gateAlone.stderr.contains("--gate and --inconclusive need --baseline"))
    }
}
