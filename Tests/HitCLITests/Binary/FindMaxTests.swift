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
        #expect((search["reason"] as? String)?.contains("every step passed") == true)
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
}
