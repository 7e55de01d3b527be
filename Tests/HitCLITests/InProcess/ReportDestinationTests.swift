import Foundation
@testable import HitCLI
import HitTarget
import HitTestSupport
import Testing

/// Where reports go, and what a machine-readable run says on stderr when it does not pass.
@Suite struct ReportDestinationTests {
    @Test func aFailedJSONRunSaysWhyOnOneLine() throws {
        try withTargetServer { server in
            let hit = try InProcessRun(["-q", "-n", "6", "-o", "json", "--fail-if", "p99>1s", server.baseURL + "/status/500"])
            #expect(hit.exitStatus == 1)
            #expect(hit.stderr.split(separator: "\n").count == 1, "\(hit.stderr)")
            #expect(hit.stderr.hasPrefix("hit: FAIL: 6 of 6 requests failed"), "\(hit.stderr)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(hit.stdout.utf8)) as? [String: Any])
            #expect(document["verdict"] as? String == "failed")
            #expect((document["verdictReason"] as? String)?.contains("500 ×6") == true)
        }
    }

    @Test func anUnreachableCSVRunSaysSo() throws {
        let hit = try InProcessRun(["-q", "-n", "2", "-o", "csv", "http://127.0.0.1:\(try closedPort())/"])
        #expect(hit.exitStatus == 69)
        #expect(hit.stderr.hasPrefix("hit: unreachable: every request failed to connect"), "\(hit.stderr)")
        #expect(hit.stderr.split(separator: "\n").count == 1)
    }

    @Test func aFailedTextReportOnStdoutNeedsNoStderrLine() throws {
        try withTargetServer { server in
            let hit = try InProcessRun(["-q", "-n", "2", server.baseURL + "/status/503"])
            #expect(hit.exitStatus == 1)
            #expect(hit.stderr.isEmpty, "\(hit.stderr)")
        }
    }

    @Test func aFailedRunWithItsReportInAFileSaysWhy() throws {
        try withTargetServer { server in
            let path = NSTemporaryDirectory() + "hit-report-\(UUID().uuidString).txt"
            defer { try? FileManager.default.removeItem(atPath: path) }
            let hit = try InProcessRun(["-q", "-n", "2", "--output-file", path, server.baseURL + "/status/503"])
            #expect(hit.exitStatus == 1)
            #expect(hit.stderr.hasPrefix("hit: FAIL: "), "\(hit.stderr)")
            #expect(try String(contentsOfFile: path, encoding: .utf8).contains("Summary:"))
        }
    }

    @Test func textOnStdoutAndJSONAndCSVInFilesFromOneRun() throws {
        try withTargetServer { server in
            let json = NSTemporaryDirectory() + "hit-\(UUID().uuidString).json"
            let csv = NSTemporaryDirectory() + "hit-\(UUID().uuidString).csv"
            defer {
                try? FileManager.default.removeItem(atPath: json)
                try? FileManager.default.removeItem(atPath: csv)
            }
            let hit = try InProcessRun(["-q", "-n", "7", "--json-file", json, "--csv-file", csv, server.baseURL + "/"])
            #expect(hit.exitStatus == 0)
            #expect(hit.stdout.hasPrefix("Summary:"))
            let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
            let counts = try #require(document["summary"] as? [String: Any])
            #expect(counts["completed"] as? Int == 7)
            #expect(try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").count == 8, "a header and 7 rows")
            #expect(server.stats.requestsSeen == 7, "one run, not two")
        }
    }

    @Test func anUnwritableExtraFileIsAUsageError() throws {
        let hit = try InProcessRun(["-n", "1", "--json-file", "/nonexistent/dir/x.json", "http://127.0.0.1:1/"])
        #expect(hit.exitStatus == 64)
        #expect(hit.stderr.contains("--json-file '/nonexistent/dir/x.json' cannot be written"))
    }
}
