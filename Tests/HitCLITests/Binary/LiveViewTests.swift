import Foundation
import Hit
import HitTarget
import HitTestSupport
import Testing

/// The live view on a real terminal: a tmux pane of a chosen size, read back with `capture-pane`.
@Suite(.enabled(if: ExternalTool.exists("tmux"), "needs tmux (scripts/setup tmux)"))
struct LiveViewTests {
    /// A detached tmux session on a server of its own, running one shell command.
    final class Pane {
        let socket = "hit-test-\(UUID().uuidString.prefix(8))"
        let done: String

        init(width: Int, command: String, environment: [String: String] = [:]) throws {
            done = NSTemporaryDirectory() + "\(socket).done"
            // The test runner's own NO_COLOR, if any, stays out: each test sets what it means to.
            let exports = "unset NO_COLOR; " + environment.map { "export \($0.key)='\($0.value)'; " }.joined()
            let script = "\(exports)\(command); echo $? > \(done); sleep 60"
            let started = try ExternalTool("tmux", ["-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "20",
                                                    "sh", "-c", script])
            try #require(started.status == 0, "tmux: \(started.stderr)")
        }

        /// The pane's lines; with `escapes`, the colour codes as well.
        func capture(escapes: Bool = false) throws -> [String] {
            let run = try ExternalTool("tmux", ["-L", socket, "capture-pane", "-p"] + (escapes ? ["-e"] : []))
            try #require(run.status == 0, "tmux capture-pane: \(run.stderr)")
            return run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }

        /// The command's exit status, once it has ended.
        func exitStatus(within seconds: Double = 30) -> Int32? {
            var status: Int32?
            _ = eventually(within: seconds) {
                status = (try? String(contentsOfFile: done, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                return status != nil
            }
            return status
        }

        deinit {
            _ = try? ExternalTool("tmux", ["-L", socket, "kill-server"])
            try? FileManager.default.removeItem(atPath: done)
        }
    }

    @Test func inAFortyColumnPaneTheLineNeverWrapsAndIsClearedCompletely() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let report = NSTemporaryDirectory() + "hit-live-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: report) }
        let pane = try Pane(width: 40, command: "\(HitProcess.binary) -z 3s -c 2 -rps 50 \(server.baseURL)/ > \(report)")
        var seen: [String] = []
        _ = eventually(within: 10) {
            seen = ((try? pane.capture()) ?? []).filter { !$0.isEmpty }
            return seen.first?.contains("errors") == true && seen.first?.contains("left") == true
        }
        #expect(seen.count == 1, "one line: \(seen)")
        #expect(seen.allSatisfy { $0.count <= 39 }, "cut to the pane's width, short of its last column: \(seen)")
        #expect(pane.exitStatus() == 0)
        let after = try pane.capture().filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(after.isEmpty, "nothing left above the report: \(after)")
        #expect(try String(contentsOfFile: report, encoding: .utf8).contains("Summary:"))
    }

    @Test func aWidePaneShowsTheLastIntervalsRatesPercentilesAndStatusMix() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let report = NSTemporaryDirectory() + "hit-live-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: report) }
        let pane = try Pane(width: 200, command: "\(HitProcess.binary) -z 4s -c 2 -rps 40 \(server.baseURL)/ > \(report)")
        var line = ""
        let shown = eventually(within: 15) {
            line = ((try? pane.capture()) ?? []).first { $0.contains("sent") } ?? ""
            return line.contains("p99") && line.contains("2xx")
        }
        #expect(shown, "the live line: \(line)")
        #expect(line.contains("sent 40/s of 40") || line.contains("sent 39/s of 40") || line.contains("sent 41/s of 40"), "\(line)")
        #expect(line.contains("done/s") && line.contains("left") && line.contains("0 errors"))
        // Under a rate the live percentiles are corrected for coordinated omission, and say so.
        #expect(line.contains("corrected p50 "), "\(line)")
    }

    /// Requests that hang show as in flight, and under a rate the time left follows the schedule
    /// (12 requests at 4/s, 2 done: about 2.5 s), not the pace of completions.
    @Test func aStuckRunShowsItsRequestsInFlightAndARateItsScheduledEnd() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let report = NSTemporaryDirectory() + "hit-live-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: report) }
        let hung = try Pane(width: 200, command: "\(HitProcess.binary) -n 3 -c 3 -t 3 \(server.baseURL)/hang > \(report)")
        var line = ""
        #expect(eventually(within: 10) {
            line = ((try? hung.capture()) ?? []).first { $0.contains("errors") } ?? ""
            return line.contains("3 in flight")
        }, "the live line: \(line)")
        let paced = try Pane(width: 200, command: "\(HitProcess.binary) -n 12 -c 1 -rps 4 \(server.baseURL)/ > \(report).paced")
        defer { try? FileManager.default.removeItem(atPath: report + ".paced") }
        var lefts: [Double] = []
        _ = eventually(within: 10) {
            let line = ((try? paced.capture()) ?? []).first { $0.contains("errors") } ?? ""
            let words = line.split(separator: " ")
            if let index = words.firstIndex(of: "left"), index > 0, let progress = words.first?.split(separator: "/").first,
               let done = Double(progress), let seconds = Duration(parsing: String(words[index - 1]))?.seconds {
                lefts.append(seconds - (12 - done) / 4)
            }
            return lefts.count >= 4
        }
        #expect(lefts.count >= 4)
        #expect(lefts.allSatisfy { abs($0) < 0.01 }, "time left = requests left ÷ rate: \(lefts)")
    }

    /// Straight to the terminal, or through a pipe whose reader prints them there.
    @Test(arguments: ["", " | cat"])
    func csvRowsOnTheTerminalAreNotMixedWithTheLiveView(pipe: String) throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let pane = try Pane(width: 250, command: "\(HitProcess.binary) -n 12 -c 1 -rps 8 -o csv \(server.baseURL)/\(pipe)")
        #expect(pane.exitStatus() == 0)
        let lines = try pane.capture().filter { !$0.isEmpty }
        #expect(lines.count == 13, "\(lines)")
        #expect(lines.first?.hasPrefix("index,") == true)
        #expect(lines.dropFirst().allSatisfy { $0.first?.isNumber == true && !$0.contains("errors") }, "\(lines)")
    }

    /// The report on a terminal: its lines fit the pane (none wrapped by the terminal inside a
    /// number), and the verdict and error counts are red, unless NO_COLOR or TERM=dumb say no.
    @Test(arguments: [80, 100])
    func theReportFitsThePaneAndItsVerdictIsRed(width: Int) throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        for environment in [[:], ["NO_COLOR": "1"], ["TERM": "dumb"]] {
            let pane = try Pane(width: width, command: "\(HitProcess.binary) -q -n 40 -c 2 -rps 400 --fail-if 'p99>1us' "
                + "\(server.baseURL)/status/503 \(server.baseURL)/a-rather-long-path/that-makes-the-targets-lines-long?with=a-query",
                environment: environment)
            #expect(pane.exitStatus() == 1)
            let history = try ExternalTool("tmux", ["-L", pane.socket, "capture-pane", "-p", "-e", "-J", "-S", "-200"])
            let lines = history.stdout.split(separator: "\n").map(String.init)
            let verdict = lines.first { $0.contains("Verdict: FAIL") } ?? ""
            let coloured = environment.isEmpty
            // tmux writes bold red as two codes.
            #expect(verdict.contains("\u{1B}[31mVerdict: FAIL") == coloured, "\(environment): \(verdict.debugDescription)")
            #expect(verdict.contains("\u{1B}[") == coloured, "\(environment): \(verdict.debugDescription)")
            let errors = lines.first { $0.contains("Errors:") } ?? ""
            #expect(errors.contains("Errors:     \u{1B}[31m") == coloured, "\(environment): \(errors.debugDescription)")
            // -J joins what the terminal wrapped: a joined line longer than the pane was broken by it.
            let plain = try ExternalTool("tmux", ["-L", pane.socket, "capture-pane", "-p", "-J", "-S", "-200"]).stdout
            let broken = plain.split(separator: "\n").filter { $0.count > width && !$0.contains("http://") }
            #expect(broken.isEmpty, "\(broken)")
        }
    }

    @Test func errorsAreRedUnlessNOCOLORIsSet() throws {
        let url = "http://127.0.0.1:\(try closedPort())/"
        let report = NSTemporaryDirectory() + "hit-live-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: report) }
        for noColor in [false, true] {
            let pane = try Pane(width: 120, command: "\(HitProcess.binary) -z 3s -c 1 -rps 20 \(url) > \(report)",
                                environment: noColor ? ["NO_COLOR": "1"] : [:])
            var line = ""
            _ = eventually(within: 10) {
                line = ((try? pane.capture(escapes: true)) ?? []).first { $0.contains("errors") } ?? ""
                return !line.contains(" 0 errors") && !line.isEmpty
            }
            #expect(line.contains("\u{1B}[31m") == !noColor, "NO_COLOR \(noColor): \(line.debugDescription)")
        }
    }
}
