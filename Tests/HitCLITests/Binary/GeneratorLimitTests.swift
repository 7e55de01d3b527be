import Foundation
import HitTarget
import HitTestSupport
import Testing

/// A report that knows when hit itself was the limit: its event loops' busy share, measured as
/// the time their threads ran or waited to run.
@Suite struct GeneratorLimitTests {
    @Test(.enabled(if: CPUQuota.isAvailable, "needs root and the cgroup v1 cpu controller"))
    func aStarvedHitSaysItWasTheLimit() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let quota = try CPUQuota(percent: 1)
        defer { quota.remove() }
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let json = folder + "/run.json"
        let hit = try HitProcess(["-z", "2s", "-c", "10", "--json-file", json, server.baseURL + "/"])
        try quota.add(hit.pid)
        #expect(hit.wait(seconds: 60) == 0, "\(hit.stderr)")
        // Read as words: the report wraps its long lines at its width. Whether the kernel counts a
        // throttled thread as waiting to run varies: the quota's own periods say it either way.
        let words = hit.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("hit's limit as much as the server's"), "\(hit.stdout)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let generator = try #require(report["generator"] as? [String: Any])
        #expect(generator["saturated"] as? Bool == true)
        #expect((generator["quotaThrottled"] as? Double ?? 0) >= 0.5, "\(generator)")
    }

    @Test func aLightPacedRunNeverClaimsIt() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-n", "50", "-rps", "100", "-o", "json", server.baseURL + "/"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(hit.stdout.utf8)) as? [String: Any])
        let generator = try #require(report["generator"] as? [String: Any])
        #expect(generator["saturated"] as? Bool == false)
        let busy = try #require(generator["loopBusy"] as? [Double])
        #expect(!busy.isEmpty && busy.allSatisfy { $0 < 0.9 }, "\(busy)")
        #expect((generator["peakResidentBytes"] as? Int ?? 0) > 1 << 20)
        #expect((generator["quotaThrottled"] as? Double ?? 0) < 0.1)
        let text = try HitProcess.run(["-n", "50", "-rps", "100", server.baseURL + "/"])
        #expect(!text.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("hit's limit"))
    }
}
