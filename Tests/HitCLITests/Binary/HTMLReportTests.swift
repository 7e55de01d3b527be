import Foundation
import HitTarget
import HitTestSupport
import Testing

/// The HTML report in a real browser: Debian's chromium, headless, with no network at all.
@Suite(.enabled(if: ExternalTool.exists("chromium"), "needs chromium (scripts/setup chromium)"))
struct HTMLReportTests {
    /// Where the test leaves its screenshot, for a person to look at (the README's is one).
    static let screenshot = NSTemporaryDirectory() + "hit-html-report.png"

    /// chromium, headless, in a network namespace of its own when this process may make one
    /// (root), so that nothing can leave the page even if it tried; otherwise every host name
    /// resolves nowhere.
    static func chromium(_ arguments: [String]) throws -> ExternalTool {
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                     "--enable-logging=stderr", "--v=0", "--host-resolver-rules=MAP * ~NOTFOUND"]
        if getuid() == 0, ExternalTool.exists("unshare") {
            return try ExternalTool("unshare", ["-n", "chromium"] + flags + arguments)
        }
        return try ExternalTool("chromium", flags + arguments)
    }

    @Test func theReportLoadsOfflineWithItsChartsAndNoConsoleError() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = NSTemporaryDirectory() + "hit-html-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let html = directory + "/report.html", json = directory + "/run.json"
        // Some 404s among the 200s, under a rate, with rules: every part of the page has something to show.
        let hit = try HitProcess.run(["-q", "-z", "4s", "-c", "4", "-rps", "150", "--html", html, "--json-file", json,
                                      "--fail-if", "p99>250ms,errors>60%", "-H", "Authorization: Bearer s3cr3t-token",
                                      server.baseURL + "/delay/3", server.baseURL + "/status/404", server.baseURL + "/"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(!page.contains("s3cr3t-token"), "secrets stay redacted")
        #expect(!page.contains("http-equiv=\"refresh\"") && !page.contains("<script") && !page.contains("src=\"http"))

        let dom = try Self.chromium(["--dump-dom", "file://" + html])
        #expect(dom.status == 0, "\(dom.stderr.suffix(2000))")
        #expect(dom.stdout.components(separatedBy: "<svg class=\"chart\"").count - 1 == 4, "throughput, latency, spectrum, phases")
        for needle in ["Verdict: PASSED", "p99&gt;250ms", "requests per second", "latency (ms, log scale)", "percentile",
                       "99.9%", "404", "Configuration", "time since start (s)"] {
            #expect(dom.stdout.contains(needle), "the page shows \(needle)")
        }
        #expect(!dom.stderr.contains("CONSOLE"), "no console message: \(dom.stderr.split(separator: "\n").filter { $0.contains("CONSOLE") })")
        #expect(!dom.stderr.contains("Refused to"), "nothing the page's policy had to refuse")

        try? FileManager.default.removeItem(atPath: Self.screenshot)
        let shot = try Self.chromium(["--window-size=1280,800", "--screenshot=" + Self.screenshot, "file://" + html])
        #expect(shot.status == 0)
        let png = try Data(contentsOf: URL(fileURLWithPath: Self.screenshot))
        #expect(png.count > 20_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]))

        // The same page, later, from the saved JSON.
        let later = try HitProcess.run(["report", json, "--html", directory + "/later.html"])
        #expect(later.exitStatus == 0, "\(later.stderr)")
        #expect(try String(contentsOfFile: directory + "/later.html", encoding: .utf8) == page)
    }

    @Test func theCapacitySearchDrawsItsCurve() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory("hit-html-search")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let html = directory + "/search.html", json = directory + "/search.json"
        // 2 slots of 20 ms: 100 requests/s at most. 40 and 80 pass, 160 fails, then the bisection.
        let hit = try HitProcess.run(["--find-max", "--find-max-step", "1s", "--find-max-warm-up", "200ms", "-rps", "40",
                                      "--find-max-resolution", "25%", "--fail-if", "p99>200ms", "--html", html, "--json-file", json,
                                      server.baseURL + "/capacity/2/20"], seconds: 120)
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let steps = try #require((document["findMax"] as? [String: Any])?["steps"] as? [[String: Any]])
        #expect(steps.count >= 3 && steps.contains { $0["passed"] as? Bool == false })

        let dom = try Self.chromium(["--dump-dom", "file://" + html])
        #expect(dom.status == 0, "\(dom.stderr.suffix(2000))")
        #expect(dom.stdout.components(separatedBy: "<svg class=\"chart\"").count - 1 == 1, "the latency-throughput curve")
        for needle in ["Highest rate that passed", "the highest rate that keeps <code>p99 ≤ 200ms</code>", "asked rate (requests/s)",
                       "latency (ms, log scale)", "failed step (p99)", "<th>sent/s</th><th>completed/s</th>", "p99&gt;200ms</td>"] {
            #expect(dom.stdout.contains(needle), "the page shows \(needle)")
        }
        #expect(dom.stdout.components(separatedBy: "<tr class=").count - 1 == steps.count, "a row a step")
        #expect(!dom.stderr.contains("CONSOLE"))
        #expect(!dom.stderr.contains("Refused to"))
    }

    @Test func aReportThatIsNotOneIsAUsageError() throws {
        let directory = NSTemporaryDirectory() + "hit-html-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("{\"version\": 3}".utf8).write(to: URL(fileURLWithPath: directory + "/bad.json"))
        for arguments in [["report", directory + "/bad.json", "--html", directory + "/x.html"],
                          ["report", directory + "/missing.json", "--html", directory + "/x.html"],
                          ["report", directory + "/bad.json"]] {
            let hit = try HitProcess.run(arguments)
            #expect(hit.exitStatus == 64)
            #expect(hit.stderr.hasPrefix("hit report: ") && hit.stderr.split(separator: "\n").count == 1, "\(hit.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/x.html"), "nothing written for a bad input")
    }
}
