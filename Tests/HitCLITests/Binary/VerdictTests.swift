import Foundation
import HitTarget
import HitTestSupport
import Testing

/// Each exit status, produced by a real run of the `hit` binary.
@Suite struct VerdictTests {
    static func run(_ arguments: [String]) throws -> (HitProcess, TargetServer) {
        let server = try TargetServer()
        let hit = try HitProcess.run(arguments, against: server)
        return (hit, server)
    }

    @Test func passingRulesExitZero() throws {
        let (hit, server) = try Self.run(["-n", "20", "-c", "4", "--fail-if", "p99>500ms", "--fail-if", "errors>0,status5xx>0", "{URL}/delay/50"])
        defer { server.shutdown() }
        #expect(hit.exitStatus == 0)
        #expect(hit.stdout.contains("p99>500ms"))
        #expect(hit.stdout.contains("pass"))
        #expect(hit.stdout.contains("Verdict: pass"))
    }

    @Test func aSlowEndpointFailsALatencyRule() throws {
        let (hit, server) = try Self.run(["-n", "8", "-c", "4", "--fail-if", "p99>20ms", "{URL}/delay/50"])
        defer { server.shutdown() }
        #expect(hit.exitStatus == 1)
        #expect(hit.stdout.contains("FAIL"))
        #expect(hit.stdout.contains("Verdict: FAIL (1 of 1 rule failed)"))
    }

    /// Without rules a failed request fails the run, and the report's last line says so, as the
    /// exit status does; a run that passes without rules has no verdict line.
    @Test func aFailedRunWithoutRulesSaysWhyItFailed() throws {
        let (failed, server) = try Self.run(["-n", "3", "{URL}/status/500"])
        defer { server.shutdown() }
        #expect(failed.exitStatus == 1)
        #expect(failed.stdout.hasSuffix("\nVerdict: FAIL (3 of 3 requests failed: 3 by status (500 ×3))\n"), "\(failed.stdout)")
        let passed = try HitProcess.run(["-n", "3", "{URL}/"], against: server)
        #expect(passed.exitStatus == 0)
        #expect(!passed.stdout.contains("Verdict"))
    }

    @Test func a503FailsAStatusRule() throws {
        let (hit, server) = try Self.run(["-n", "10", "--fail-if", "status5xx>0", "{URL}/status/503"])
        defer { server.shutdown() }
        #expect(hit.exitStatus == 1)
    }

    @Test func rulesAloneDecide() throws {
        let (hit, server) = try Self.run(["-n", "10", "--fail-if", "status5xx>50%", "{URL}/status/503", "{URL}/", "{URL}/"])
        defer { server.shutdown() }
        #expect(hit.exitStatus == 0, "a third of the requests failed, but the rule allows half")
    }

    @Test func withoutRulesAnyFailedRequestFailsTheRun() throws {
        let (hit, server) = try Self.run(["-n", "10", "{URL}/", "{URL}/status/500"])
        defer { server.shutdown() }
        #expect(hit.exitStatus == 1)
    }

    @Test func anUnreachableTargetHasItsOwnStatus() throws {
        // A port held closed: a stopped server's port may be taken by a test running beside this one.
        let url = "http://127.0.0.1:\(try closedPort())/"
        let hit = try HitProcess.run(["-n", "5", "--fail-if", "p99>10s", url])
        #expect(hit.exitStatus == 69)
        #expect(hit.stdout.contains("UNREACHABLE"))
        let noRules = try HitProcess.run(["-n", "5", url])
        #expect(noRules.exitStatus == 69)
    }

    @Test func aMalformedRuleIsAUsageError() throws {
        let (hit, server) = try Self.run(["--fail-if", "p99>>250ms", "{URL}/"])
        defer { server.shutdown() }
        #expect(hit.exitStatus == 64)
        #expect(hit.stderr.contains("'>250ms'"))
        #expect(server.stats.requestsSeen == 0)
    }

    @Test func anInterruptedRunWithRulesExits130() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess(["-n", "100", "-c", "5", "--fail-if", "errors>0", server.baseURL + "/hang"])
        #expect(eventually { server.stats.requestsInFlight == 5 })
        #expect(hit.interrupt().status == 130)
        #expect(hit.stdout.contains("Verdict: interrupted"))
    }

    @Test func theJSONCarriesTheRulesAndTheVerdict() throws {
        let (hit, server) = try Self.run(["-n", "6", "-o", "json", "--fail-if", "p99>1s,status404>0", "{URL}/status/404"])
        defer { server.shutdown() }
        #expect(hit.exitStatus == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(hit.stdout.utf8)) as? [String: Any])
        #expect(document["verdict"] as? String == "failed")
        let rules = try #require(document["thresholds"] as? [[String: Any]])
        #expect(rules.count == 2)
        #expect(rules[0]["rule"] as? String == "p99>1s")
        #expect(rules[0]["failed"] as? Bool == false)
        #expect(rules[1]["rule"] as? String == "status404>0")
        #expect(rules[1]["measured"] as? Double == 6)
        #expect(rules[1]["failed"] as? Bool == true)
    }

    @Test func theHelpDocumentsRulesAndStatuses() throws {
        let hit = try HitProcess.run(["--help-all"])
        let words = hit.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("--fail-if <rule>"))
        #expect(words.contains("Operators: < <= > >= == !="))
        #expect(words.contains("69 unreachable"))
    }
}
