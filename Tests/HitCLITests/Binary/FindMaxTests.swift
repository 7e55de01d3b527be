import Foundation
import HitTarget
import HitTestSupport
import Testing

/// `--find-max` from the binary: exit statuses, the curve on stdout, Ctrl-C.
@Suite struct FindMaxTests {
    @Test func whenEvenTheFirstStepFailsTheExitStatusIsOne() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["--find-max", "--find-max-step", "1s", "--find-max-warm-up", "200ms", "-rps", "5",
                                      "--fail-if", "p99>10ms", server.baseURL + "/delay/50"])
        #expect(hit.exitStatus == 1, "\(hit.stderr)")
        let lines = hit.stdout.split(separator: "\n")
        #expect(lines.count == 5, "header, column names, one step, the answer, why it stopped: \(lines)")
        #expect(lines[0] == "Capacity search: the highest rate that keeps p99 ≤ 10ms")
        #expect(lines[1].contains("sent/s") && lines[1].contains("completed/s"))
        #expect(lines[2].contains("FAIL") && lines[2].contains("p99>10ms"))
        #expect(hit.stdout.contains("No rate passed.") && hit.stdout.contains("even the first step, 5/s, failed"))
    }

    @Test func jsonCarriesTheCurveAndTheAnswer() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["--find-max", "--find-max-step", "1s", "--find-max-warm-up", "200ms", "-rps", "20",
                                      "--find-max-rate", "40", "--fail-if", "p99>1s", "-o", "json", server.baseURL + "/"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(hit.stdout.utf8)) as? [String: Any])
        let search = try #require(document["findMax"] as? [String: Any])
        #expect(search["maximumRate"] as? Double == 40)
        let steps = try #require(search["steps"] as? [[String: Any]])
        #expect(steps.compactMap { $0["askedRate"] as? Double } == [20, 40])
        #expect(steps.allSatisfy { $0["passed"] as? Bool == true && $0["p99Us"] is Int })
        // Sends and completions are two figures, neither named as the pacing's achievedRate.
        for step in steps {
            let asked = try #require(step["askedRate"] as? Double)
            let sent = try #require(step["sentRate"] as? Double), completed = try #require(step["completedRate"] as? Double)
            #expect(abs(sent - asked) <= asked * 0.05 + 1 && abs(completed - asked) <= asked * 0.05 + 1, "\(step)")
            #expect(step["achievedRate"] == nil)
            #expect(step["reachedRate"] as? Bool == true && step["keptPace"] as? Bool == true)
            #expect(step["inFlightAtStart"] is Int && step["inFlightAtEnd"] is Int && step["cpuPercent"] is Double)
            #expect(step.keys.contains("limit") && step["limit"] is NSNull, "null when hit was not the limit")
        }
        #expect(search["keeps"] as? String == "p99 ≤ 1s")
        #expect((search["reason"] as? String)?.contains("every step passed") == true)
    }

    @Test func theDocumentAlsoGoesToTheJSONFileAndFilesASearchWouldNotWriteAreNeverCreated() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory("hit-find-max")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hit = try HitProcess.run(["--find-max", "--find-max-step", "1s", "--find-max-warm-up", "200ms", "-rps", "20",
                                      "--find-max-rate", "20", "--fail-if", "p99>1s", "--json-file", directory + "/search.json",
                                      server.baseURL + "/"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        #expect(hit.stdout.contains("Highest rate that passed: 20 requests/s"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/search.json"))) as? [String: Any])
        #expect((document["findMax"] as? [String: Any])?["maximumRate"] as? Double == 20)

        let refused = try HitProcess.run(["--find-max", "--fail-if", "p99>1s", "--csv-file", directory + "/rows.csv",
                                          "--json-file", directory + "/other.json", server.baseURL + "/"])
        #expect(refused.exitStatus == 64)
        #expect(refused.stderr.contains("--csv-file does not apply"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/rows.csv"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/other.json"))
        for bad in [["--shard", "0/2"], ["-n", "100"], ["-z", "5s"], ["--stages", "1s:10"]] {
            let refusedSearch = try HitProcess.run(["--find-max", "--fail-if", "p99>1s", "--html", directory + "/page.html",
                                                    "--json-file", directory + "/doc.json"] + bad + [server.baseURL + "/"])
            #expect(refusedSearch.exitStatus == 64, "\(bad): \(refusedSearch.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/page.html"), "\(bad)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/doc.json"), "\(bad)")
        }
        #expect(server.stats.requestsSeen > 0)
    }

    @Test func ctrlCPrintsTheCurveSoFarAndExits130() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess(["--find-max", "--find-max-step", "1s", "--find-max-warm-up", "100ms", "-rps", "10",
                                  "--fail-if", "p99>1s", server.baseURL + "/"])
        #expect(eventually(within: 20) { hit.stdout.split(separator: "\n").count >= 4 }, "two steps done")
        #expect(hit.interrupt().status == 130)
        #expect(hit.stdout.contains("Highest rate that passed") && hit.stdout.contains("Stopped: interrupted"), "\(hit.stdout)")
    }

    @Test func theTimeLimitHoldsWhileAHangingServersQueueDrains() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let began = ContinuousClock.now
        // Before, the wait for the queue to drain after the failed step took up to -t (20 s): 21 s in all.
        let hit = try HitProcess.run(["--find-max", "--find-max-time", "3s", "--find-max-step", "1s", "--find-max-warm-up", "200ms",
                                      "-rps", "5", "--fail-if", "p99>1s", server.baseURL + "/hang"])
        let took = began.duration(to: .now)
        #expect(hit.exitStatus == 1, "\(hit.stderr)")
        #expect(took < .seconds(10), "--find-max-time 3s took \(took)")
        #expect(hit.stdout.contains("Stopped: the time limit (--find-max-time) came while waiting for the server's queue to drain "
            + "after the step at 5/s failed."), "\(hit.stdout)")
    }

    @Test func ctrlCWhileTheQueueDrainsSaysWhatTheSearchWasWaitingFor() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory("hit-find-max-drain")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hit = try HitProcess(["--find-max", "--find-max-step", "1s", "--find-max-warm-up", "200ms", "-rps", "5", "-t", "60",
                                  "--fail-if", "p99>1s", "--json-file", directory + "/search.json", server.baseURL + "/hang"])
        // The failed step's row is printed as the wait for the queue begins; it lasts up to -t.
        #expect(eventually(within: 20) { hit.stdout.contains("FAIL") }, "the first step failed")
        #expect(hit.interrupt().status == 130)
        let waiting = "interrupted while waiting for the server's queue to drain after the step at 5/s failed"
        #expect(hit.stdout.contains("Stopped: \(waiting)."), "\(hit.stdout)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/search.json"))) as? [String: Any])
        let search = try #require(document["findMax"] as? [String: Any])
        #expect(search["reason"] as? String == waiting && search["interrupted"] as? Bool == true, "\(search)")
    }
}
