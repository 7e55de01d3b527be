import FoundationEssentials

/// The human-readable report of a run: the Go original's summary first, then the latency
/// distribution, phases, accounting, throughput, status codes, errors, HTTP versions and targets.
public struct TextReport: CustomStringConvertible, Sendable {
    /// The most targets listed one by one.
    static let targetRows = 20

    public let summary: Summary
    /// How to name each target in the per-target breakdown, e.g. "GET http://host/path".
    public let targets: [String]
    /// The terminal width the histogram's bars are fitted to.
    public let width: Int
    /// The verdict, shown when there are rules or the target was unreachable.
    public let verdict: Verdict?
    /// The proxy the requests went through and who named it ("-x", "https_proxy"), if any.
    public let proxy: (url: String, source: String)?
    /// Whether the run asked for HTTP/2 (`-h2`): responses in HTTP/1.x are then pointed out.
    public let askedForHTTP2: Bool
    /// The run's `--stages`, listed under pacing; empty without.
    public let stages: [Stage]

    public init(_ summary: Summary, targets: [String] = [], width: Int = 80, verdict: Verdict? = nil,
                proxy: (url: String, source: String)? = nil, askedForHTTP2: Bool = false, stages: [Stage] = []) {
        self.askedForHTTP2 = askedForHTTP2
        self.stages = stages
        self.summary = summary
        self.targets = targets
        self.width = min(max(width, 40), 1000)
        self.verdict = verdict
        self.proxy = proxy
    }

    public var description: String {
        var out = Lines()
        summaryBlock(&out)
        // When hit itself was the limit, say so right under the figures it limited.
        if let note = summary.generator?.limitNote { out.append("  " + note) }
        latencyBlock(&out)
        phasesBlock(&out)
        accountingBlock(&out)
        breakdownBlocks(&out)
        verdictBlock(&out)
        return out.text
    }

    // MARK: - Blocks

    /// Right-aligns `text` in a column `width` wide.
    static func column(_ text: String, _ width: Int = 10) -> String {
        String(repeating: " ", count: max(1, width - text.count)) + text
    }

    private func summaryBlock(_ out: inout Lines) {
        let s = summary
        out.append(s.interrupted ? (s.stopCause.map { "Summary (stopped: \($0)):" } ?? "Summary (interrupted):") : "Summary:")
        let requested = s.requested.map(String.init) ?? "unlimited"
        out.row("Success", s.successPercent.map(Formatting.percent) ?? "- (nothing completed: nothing to measure)")
        out.row("RPS", String(cFormat: "%.1f", s.requestsPerSecond))
        out.row("Requests", s.interrupted ? "\(s.completed) of \(requested)" : "\(s.completed)")
        out.row("Errors", "\(s.unsuccessful)")
        out.row("Bytes", "\(s.bytes)")
        if s.wireBytesReceived > 0 || s.wireBytesSent > 0 {
            out.row("Wire bytes", "\(s.wireBytesReceived) received, \(s.wireBytesSent) sent")
        }
        out.row("Duration", Formatting.duration(s.duration) + (s.deadlineReached ? " (-z deadline reached)" : ""))
        out.row("Fastest", s.fastest.map(Formatting.duration) ?? "-")
        out.row("Slowest", s.slowest.map(Formatting.duration) ?? "-")
        out.row("Mean", s.meanLatency.map(Formatting.duration) ?? "-")
        if let shards = s.shards { out.row("Shards", shards.description) }
        if let startAt = s.startAt {
            let late = s.startedLate.map { $0 > Summary.lateAfter ? ", ready \(Formatting.duration($0)) after it (requests due by then went late)" : "" } ?? ""
            out.row("Start", "--start-at " + WallClock.rfc3339(unixNanoseconds: startAt) + late)
        }
        if let proxy {
            out.row("Proxy", Redaction.url(proxy.url) + (proxy.source == "-x" ? "" : " (from \(proxy.source); -x '' for none)"))
        }
    }

    private func latencyBlock(_ out: inout Lines) {
        let latency = summary.latency
        guard !latency.isEmpty else { return }
        let corrected = summary.correctedLatency
        if corrected.isEmpty {
            out.section("Latency:")
            out.row("min", Formatting.duration(summary.fastest ?? latency.min))
            out.row("mean", Formatting.duration(summary.meanLatency ?? latency.mean))
            out.row("stdev", Formatting.duration(latency.standardDeviation))
            out.row("max", Formatting.duration(summary.slowest ?? latency.max))
            for p in Summary.reportedPercentiles {
                out.row(Formatting.percentileLabel(p), Formatting.duration(latency.percentile(p)))
            }
        } else {
            // Paced: both figures, as wrk2 gives them. Corrected latency runs from each request's
            // intended send time, so a stall that held requests back shows in it.
            out.section("Latency:" + String(repeating: " ", count: 6) + Self.column("uncorrected", 13) + Self.column("corrected", 13))
            // A corrected figure that falls among the dropped requests has no value: "dropped".
            func pair(_ label: String, _ a: Duration, _ b: Duration?) {
                out.append("  " + (label + ":").padded(to: 12)
                    + Self.column(Formatting.duration(a), 13) + Self.column(b.map(Formatting.duration) ?? "dropped", 13))
            }
            pair("min", summary.fastest ?? latency.min, corrected.min)
            pair("mean", summary.meanLatency ?? latency.mean, corrected.mean)
            pair("stdev", latency.standardDeviation, corrected.standardDeviation)
            pair("max", summary.slowest ?? latency.max, summary.dropped > 0 ? nil : corrected.max)
            for p in Summary.reportedPercentiles {
                pair(Formatting.percentileLabel(p), latency.percentile(p), summary.correctedPercentile(p))
            }
            out.append("  (corrected: from each request's intended send time, for coordinated omission)")
            if summary.dropped > 0 {
                out.append("  (\(summary.dropped) dropped request\(summary.dropped == 1 ? "" : "s"), never sent, rank above every "
                    + "response in the corrected percentiles; min, mean and stdev are of the responses)")
            }
            let achieved = summary.achievedSendRate.map { String(cFormat: "%.1f requests/s achieved", $0) } ?? "achieved rate unknown"
            out.section("Pacing: " + achieved + (summary.late == 0 ? ", no request sent late." : ", "
                + "\(summary.late) request\(summary.late == 1 ? "" : "s") sent late (more than \(Formatting.duration(Summary.lateAfter)) behind schedule) "
                + "by p50 \(Formatting.duration(summary.lateness.percentile(50))), p99 \(Formatting.duration(summary.lateness.percentile(99))), "
                + "max \(Formatting.duration(summary.lateness.max))."))
            if !stages.isEmpty {
                out.append("  stages: " + stages.map(\.description).joined(separator: ", ")
                    + (summary.dropped > 0 ? "; \(summary.dropped) request\(summary.dropped == 1 ? "" : "s") dropped (no worker free before the stages ended)" : ""))
            }
        }
        out.section("Latency histogram (each row up to its latency):")
        out.lines += Self.histogramBars(latency, width: width)
    }

    private func phasesBlock(_ out: inout Lines) {
        let phases = Phase.allCases.compactMap { phase in summary.phases[phase].map { (phase, $0) } }.filter { !$0.1.isEmpty }
        guard !phases.isEmpty else { return }
        out.section("Phases:" + String(repeating: " ", count: 8) + ["p50", "p90", "p99", "max"].map { Self.column($0) }.joined() + "  count")
        for (phase, histogram) in phases {
            let cells = [histogram.percentile(50), histogram.percentile(90), histogram.percentile(99), histogram.max]
            out.append("  " + phase.label.padded(to: 13)
                + cells.map { Self.column(Formatting.duration($0)) }.joined() + "  \(histogram.count)")
        }
    }

    private func accountingBlock(_ out: inout Lines) {
        let s = summary
        out.section("Requests:")
        var parts = ["started \(s.started)", "completed \(s.completed)", "succeeded \(s.succeeded)",
                     "errors \(s.unsuccessful): failed by status \(s.failed), transport errors \(s.errored) (timeouts \(s.timedOut))"]
        if s.interrupted || s.deadlineReached { parts.append("aborted in flight \(s.abandoned)") }
        if s.dropped > 0 { parts.append("dropped \(s.dropped) (due before the run's end, never sent: every worker was busy)") }
        if s.retried > 0 { parts.append("retried on a fresh connection \(s.retried)") }
        out.append("  " + parts.joined(separator: ", "))
        out.section("Throughput:")
        var throughput = [String(cFormat: "%.1f requests/s", s.requestsPerSecond), Formatting.bytes(s.bytesPerSecond) + "/s received"]
        if s.bytesSent > 0 { throughput.append(Formatting.bytes(s.bytesSentPerSecond) + "/s sent") }
        out.append("  " + throughput.joined(separator: ", "))
        if s.connectionsOpened > 0 || s.mostRequestsOnOneConnection > 0 {
            out.section("Connections:")
            var line = "  opened \(s.connectionsOpened)"
            if s.mostRequestsOnOneConnection > 0 {
                line += ", the most requests one carried \(s.mostRequestsOnOneConnection)"
            }
            out.append(line)
            if askedForHTTP2, s.http1Responses > 0 {
                out.append("  HTTP/2 was asked for, but \(s.http1Responses) responses came in HTTP/1.x: "
                    + "the server did not offer h2 in TLS (ALPN), and libcurl fell back")
            }
        }
    }

    private func breakdownBlocks(_ out: inout Lines) {
        let s = summary
        if !s.statusCounts.isEmpty {
            out.section("Status codes:")
            for (status, count) in s.statusCounts.sorted(by: { $0.key < $1.key }) {
                out.append("  \(status)  \(count)")
            }
        }
        if !s.httpVersions.isEmpty {
            out.section("HTTP versions:")
            for (version, count) in s.httpVersions.sorted(by: { $0.key < $1.key }) {
                out.append("  \(version.rawValue)  \(count)")
            }
        }
        if !s.errorCounts.isEmpty {
            out.section("Transport errors:")
            for (kind, tally) in s.errorCounts.sorted(by: { $0.key < $1.key }) {
                out.append("  " + kind.rawValue.padded(to: 9)
                    + "\(tally.count)  (e.g. \(tally.example))")
            }
        }
        if targets.count > 1 {
            out.section("Targets:")
            // A long targets file would bury the report: its first rows, and the JSON for all of them.
            let shown = min(targets.count, s.perTarget.count, Self.targetRows)
            for (index, tally) in s.perTarget.prefix(shown).enumerated() {
                let mean = tally.meanLatency.map(Formatting.duration) ?? "-"
                out.append("  \(targets[index])  requests \(tally.completed), succeeded \(tally.succeeded), "
                    + "failed by status \(tally.failed), transport errors \(tally.errored), mean \(mean)")
            }
            let hidden = min(targets.count, s.perTarget.count) - shown
            if hidden > 0 { out.append("  ... and \(hidden) more target\(hidden == 1 ? "" : "s") (the JSON report lists every one)") }
        }
        if s.interrupted {
            let never = s.neverStarted.map { ", \($0) never started" } ?? ""
            out.section("\(s.stopCause == nil ? "Interrupted" : "Stopped"): \(s.completed) of \(s.requested.map(String.init) ?? "unlimited") requests completed, "
                + "\(s.abandoned) in flight \(s.abandoned == 1 ? "was" : "were") aborted\(never).")
        } else if s.deadlineReached && s.abandoned > 0 {
            out.section("At the deadline \(s.abandoned) request\(s.abandoned == 1 ? "" : "s") in flight \(s.abandoned == 1 ? "was" : "were") aborted; "
                + "\(s.abandoned == 1 ? "it is" : "they are") not counted above.")
        }
    }

    private func verdictBlock(_ out: inout Lines) {
        // A run that passes without rules needs no verdict line; any other says why it exits as it does.
        guard let verdict, !verdict.thresholds.isEmpty || verdict.outcome != .passed || summary.completed == 0 else { return }
        if !verdict.thresholds.isEmpty {
            out.section("Thresholds (--fail-if):")
            let ruleWidth = verdict.thresholds.map(\.threshold.text.count).max() ?? 0
            let measuredWidth = verdict.thresholds.map(\.measuredText.count).max() ?? 0
            for result in verdict.thresholds {
                out.append("  " + result.threshold.text.padded(to: ruleWidth)
                    + "  measured " + result.measuredText.padded(to: measuredWidth) + "  " + (result.failed ? "FAIL" : "pass"))
            }
        }
        let line: String = switch verdict.outcome {
        case .passed: "Verdict: pass"
        case .failed where verdict.thresholds.contains(where: \.failed):
            "Verdict: FAIL (\(verdict.thresholds.filter(\.failed).count) of \(verdict.thresholds.count) rule\(verdict.thresholds.count == 1 ? "" : "s") failed)"
        case .failed: "Verdict: FAIL (\(verdict.reason))"
        case .unreachable: "Verdict: UNREACHABLE: every request failed to connect"
        case .interrupted: summary.stopCause.map { "Verdict: stopped (\($0))" } ?? "Verdict: interrupted"
        }
        out.section(line)
    }
}

/// The report's lines, with the helpers that lay them out.
private struct Lines {
    var lines: [String] = []

    mutating func append(_ line: String) { lines.append(line) }

    /// A blank line, then a heading.
    mutating func section(_ heading: String) {
        lines.append("")
        lines.append(heading)
    }

    /// "  Label:      value", aligned.
    mutating func row(_ label: String, _ value: String) {
        lines.append("  " + (label + ":").padded(to: 12) + value)
    }

    var text: String { lines.joined(separator: "\n") }
}
