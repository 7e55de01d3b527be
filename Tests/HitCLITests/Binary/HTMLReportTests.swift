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
                                      "--fail-if", "p99>1s,errors>60%", "-H", "Authorization: Bearer s3cr3t-token",
                                      server.baseURL + "/delay/3", server.baseURL + "/status/404", server.baseURL + "/"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(!page.contains("s3cr3t-token"), "secrets stay redacted")
        #expect(!page.contains("http-equiv=\"refresh\"") && !page.contains("<script") && !page.contains("src=\"http"))

        let dom = try Self.chromium(["--dump-dom", "file://" + html])
        #expect(dom.status == 0, "\(dom.stderr.suffix(2000))")
        #expect(dom.stdout.components(separatedBy: "<svg class=\"chart\"").count - 1 == 6,
                "throughput, latency, in flight, spectrum, phases, targets")
        // Each target's own latency: a row and a line each; the 404s' row counts them as errors.
        let targets = try #require(Self.chart("Each target's latency by percentile", in: dom.stdout))
        #expect(targets.components(separatedBy: "<path class=\"series").count - 1 == 3)
        #expect(dom.stdout.contains("<td>GET \(server.baseURL)/status/404</td>"))
        for needle in ["Verdict: PASSED", "p99&gt;1s", "requests per second", "latency (ms, log scale)", "percentile",
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
        #expect(dom.stdout.components(separatedBy: "<svg class=\"chart\"").count - 1 == 2, "latency and throughput against load")
        for needle in ["Highest rate that passed", "the highest rate that keeps <code>p99 ≤ 200ms</code>", "asked rate (requests/s)",
                       "latency (ms, log scale)", "failed step (p99)", "<th>sent/s</th><th>completed/s</th>",
                       "limit: p99&gt;200ms", "highest rate that passed", "Sent and completed rates against the asked rate"] {
            #expect(dom.stdout.contains(needle), "the page shows \(needle)")
        }
        // A step the rule failed says so in its row. On a starved machine a step may fail only
        // because hit could not send at its rate (its queue never built): its row says that instead.
        for step in steps where step["passed"] as? Bool == false {
            let rules = step["failedRules"] as? [String] ?? []
            #expect(rules.isEmpty || rules == ["p99>200ms"], "\(step)")
            if !rules.isEmpty { #expect(dom.stdout.contains("p99&gt;200ms</td>"), "a failed step's row names its rule") }
            if step["limitedByHit"] as? Bool == true { #expect(dom.stdout.contains("hit was the limit")) }
        }
        #expect(dom.stdout.components(separatedBy: "<tr class=").count - 1 == steps.count, "a row a step")
        #expect(!dom.stderr.contains("CONSOLE"))
        #expect(!dom.stderr.contains("Refused to"))

        // Later, from the saved document: the same page, the same table, the same document.
        let later = try HitProcess.run(["report", json, "--html", directory + "/later.html"])
        #expect(later.exitStatus == 0 && later.stdout.isEmpty, "\(later.stderr)")
        #expect(try String(contentsOfFile: directory + "/later.html", encoding: .utf8) == String(contentsOfFile: html, encoding: .utf8))
        let text = try HitProcess.run(["report", json])
        #expect(text.exitStatus == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("Capacity search: the highest rate that keeps p99 ≤ 200ms\n"))
        #expect(text.stdout.split(separator: "\n").filter { $0.hasSuffix("pass") || $0.contains("FAIL") }.count == steps.count)
        #expect(text.stdout.contains("Highest rate that passed: "))
        let again = try HitProcess.run(["report", json, "-o", "json"])
        let reread = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(((reread["findMax"] as? [String: Any])?["steps"] as? [[String: Any]])?.count == steps.count)
        for refused in [["--fail-if", "p99>1ms"], ["--hlog", directory + "/x.hlog"], ["-o", "csv"]] {
            let hit = try HitProcess.run(["report", json] + refused)
            #expect(hit.exitStatus == 64 && hit.stderr.split(separator: "\n").count == 1, "\(refused): \(hit.stderr)")
        }
    }

    /// A saved run's report prints as the run printed it, and judges again with --fail-if.
    @Test func aSavedRunPrintsAndIsJudgedAgain() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory("hit-report-again")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let json = directory + "/run.json"
        let run = try HitProcess.run(["-n", "40", "-c", "4", "--fail-if", "p99>10s", "--json-file", json, server.baseURL + "/"])
        #expect(run.exitStatus == 0, "\(run.stderr)")
        let text = try HitProcess.run(["report", json])
        #expect(text.exitStatus == 0, "\(text.stderr)")
        for label in ["Requests:", "p99:", "Status codes:"] { #expect(text.stdout.contains(label)) }
        #expect(reportValue("Requests", in: text.stdout) == reportValue("Requests", in: run.stdout))
        #expect(reportValue("p99", in: text.stdout) == reportValue("p99", in: run.stdout))
        #expect(text.stdout.contains("p99>10s"), "the run's own rule and its verdict")
        let judged = try HitProcess.run(["report", json, "--fail-if", "p50>1us", "-o", "json"])
        #expect(judged.exitStatus == 1, "\(judged.stderr)")
        #expect(judged.stderr.hasPrefix("hit: FAIL: "))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(judged.stdout.utf8)) as? [String: Any])
        #expect((document["thresholds"] as? [[String: Any]])?.first?["rule"] as? String == "p50>1us")
    }

    /// The `<svg>` of the chart titled `title` in `page`.
    static func chart(_ title: String, in page: String) -> String? {
        page.components(separatedBy: "<svg class=\"chart\"").first { $0.contains("<title>\(title)</title>") }?
            .components(separatedBy: "</svg>").first
    }

    /// The x-axis tick labels of a chart: the texts under its plot.
    static func xTicks(_ svg: String) -> [String] {
        svg.components(separatedBy: "text-anchor=\"middle\">").dropFirst().compactMap { $0.components(separatedBy: "<").first }
            .filter { $0.hasSuffix(" s") }
    }

    @Test func theChartsDrawWhatHappened() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory("hit-html-gaps")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let html = directory + "/run.html"
        // One worker, 1.2 s a response, 500 ms intervals: most intervals see no response at all.
        let hit = try HitProcess.run(["-q", "-z", "3s", "-c", "1", "--interval", "500ms", "--html", html, server.baseURL + "/delay/1200"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let dom = try Self.chromium(["--dump-dom", "file://" + html])
        #expect(dom.status == 0, "\(dom.stderr.suffix(2000))")
        let page = dom.stdout
        // A line breaks where there was no data: the p50 line is two lone points, never joined.
        let latency = try #require(Self.chart("Latency percentiles per interval (log scale)", in: page))
        let p50 = try #require(latency.components(separatedBy: "<path class=\"series s0\" d=\"").dropFirst().first?
            .components(separatedBy: "\"").first)
        #expect(p50.components(separatedBy: "M").count - 1 == 2 && !p50.contains("L"), "p50 drawn across the gap: \(p50)")
        // The phases in the order they happen.
        let phases = try #require(Self.chart("Time spent in each phase of a request (log scale)", in: page))
        let names = ["DNS", "connect", "first byte", "transfer"].map { phases.range(of: ">\($0)<")?.lowerBound }
        #expect(names.allSatisfy { $0 != nil } && names.compactMap { $0 } == names.compactMap { $0 }.sorted(), "phase order")
        // One x-axis for every chart over time.
        let axes = try ["Requests per second and errors per second over time", "Latency percentiles per interval (log scale)",
                        "Requests in flight at each interval's end"].map { title in
            let svg = try #require(Self.chart(title, in: page), "no chart '\(title)'")
            return Self.xTicks(svg)
        }
        #expect(!axes[0].isEmpty && axes.allSatisfy { $0 == axes[0] }, "\(axes)")
        #expect(page.contains("<title>hit: GET \(server.baseURL)/delay/1200</title>"))
    }

    /// A run where nothing succeeded shows no rate of failures as its throughput, as the text
    /// report does not.
    @Test func aRunOfFailuresHasNoThroughput() throws {
        let directory = try temporaryDirectory("hit-html-failures")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let html = directory + "/run.html"
        let hit = try HitProcess.run(["-q", "-n", "20", "--html", html, "http://127.0.0.1:\(try closedPort())/"])
        #expect(hit.exitStatus == 69, "nothing connected: \(hit.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("— (none succeeded)"))
        #expect(!hit.stdout.contains("RPS:"))
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
