import Foundation

/// The human-readable report of a run: the Go original's summary first, then the latency
/// distribution, phases, accounting, throughput, status codes, errors, HTTP versions and targets.
public struct TextReport: CustomStringConvertible, Sendable {
    public let summary: Summary
    /// How to name each target in the per-target breakdown, e.g. "GET http://host/path".
    public let targets: [String]
    /// The terminal width the histogram's bars are fitted to.
    public let width: Int
    /// The verdict, shown when there are rules or the target was unreachable.
    public let verdict: Verdict?

    public init(_ summary: Summary, targets: [String] = [], width: Int = 80, verdict: Verdict? = nil) {
        self.summary = summary
        self.targets = targets
        self.width = max(width, 40)
        self.verdict = verdict
    }

    public var description: String {
        var out = Lines()
        summaryBlock(&out)
        latencyBlock(&out)
        phasesBlock(&out)
        accountingBlock(&out)
        breakdownBlocks(&out)
        verdictBlock(&out)
        return out.text
    }

    // MARK: - Blocks

    private func summaryBlock(_ out: inout Lines) {
        let s = summary
        out.append(s.interrupted ? "Summary (interrupted):" : "Summary:")
        let requested = s.requested.map(String.init) ?? "unlimited"
        out.row("Success", Self.percent(s.successPercent))
        out.row("RPS", String(format: "%.1f", s.requestsPerSecond))
        out.row("Requests", s.interrupted ? "\(s.completed) of \(requested)" : "\(s.completed)")
        out.row("Errors", "\(s.unsuccessful)")
        out.row("Bytes", "\(s.bytes)")
        out.row("Duration", Self.format(s.duration) + (s.deadlineReached ? " (-z deadline reached)" : ""))
        out.row("Fastest", s.fastest.map(Self.format) ?? "-")
        out.row("Slowest", s.slowest.map(Self.format) ?? "-")
        out.row("Mean", s.meanLatency.map(Self.format) ?? "-")
    }

    private func latencyBlock(_ out: inout Lines) {
        let latency = summary.latency
        guard !latency.isEmpty else { return }
        let corrected = summary.correctedLatency
        if corrected.isEmpty {
            out.section("Latency:")
            out.row("min", Self.format(summary.fastest ?? latency.min))
            out.row("mean", Self.format(summary.meanLatency ?? latency.mean))
            out.row("stdev", Self.format(latency.standardDeviation))
            out.row("max", Self.format(summary.slowest ?? latency.max))
            for p in Summary.reportedPercentiles {
                out.row(Self.percentileLabel(p), Self.format(latency.percentile(p)))
            }
        } else {
            // Paced: both figures, as wrk2 gives them. Corrected latency runs from each request's
            // intended send time, so a stall that held requests back shows in it.
            out.section("Latency:" + String(repeating: " ", count: 6) + Self.column("uncorrected", 13) + Self.column("corrected", 13))
            func pair(_ label: String, _ a: Duration, _ b: Duration) {
                out.append("  " + (label + ":").padding(toLength: 12, withPad: " ", startingAt: 0)
                    + Self.column(Self.format(a), 13) + Self.column(Self.format(b), 13))
            }
            pair("min", summary.fastest ?? latency.min, corrected.min)
            pair("mean", summary.meanLatency ?? latency.mean, corrected.mean)
            pair("stdev", latency.standardDeviation, corrected.standardDeviation)
            pair("max", summary.slowest ?? latency.max, corrected.max)
            for p in Summary.reportedPercentiles {
                pair(Self.percentileLabel(p), latency.percentile(p), corrected.percentile(p))
            }
            out.append("  (corrected: from each request's intended send time, for coordinated omission)")
            let achieved = summary.achievedSendRate.map { String(format: "%.1f requests/s achieved", $0) } ?? "achieved rate unknown"
            out.section("Pacing: " + achieved + (summary.late == 0 ? ", no request sent late." : ", "
                + "\(summary.late) requests sent late (more than \(Self.format(Summary.lateAfter)) behind schedule) "
                + "by p50 \(Self.format(summary.lateness.percentile(50))), p99 \(Self.format(summary.lateness.percentile(99))), "
                + "max \(Self.format(summary.lateness.max))."))
        }
        out.section("Latency histogram:")
        out.lines += Self.histogramBars(latency, width: width)
    }

    private func phasesBlock(_ out: inout Lines) {
        let phases = Phase.allCases.compactMap { phase in summary.phases[phase].map { (phase, $0) } }.filter { !$0.1.isEmpty }
        guard !phases.isEmpty else { return }
        out.section("Phases:" + String(repeating: " ", count: 8) + ["p50", "p90", "p99", "max"].map { Self.column($0) }.joined() + "  count")
        for (phase, histogram) in phases {
            let cells = [histogram.percentile(50), histogram.percentile(90), histogram.percentile(99), histogram.max]
            out.append("  " + phase.label.padding(toLength: 13, withPad: " ", startingAt: 0)
                + cells.map { Self.column(Self.format($0)) }.joined() + "  \(histogram.count)")
        }
    }

    private func accountingBlock(_ out: inout Lines) {
        let s = summary
        out.section("Requests:")
        var parts = ["started \(s.started)", "completed \(s.completed)", "succeeded \(s.succeeded)",
                     "failed \(s.failed)", "errors \(s.errored)", "timed out \(s.timedOut)"]
        if s.interrupted || s.deadlineReached { parts.append("aborted in flight \(s.abandoned)") }
        if s.retried > 0 { parts.append("retried on a fresh connection \(s.retried)") }
        out.append("  " + parts.joined(separator: ", "))
        out.section("Throughput:")
        var throughput = [String(format: "%.1f requests/s", s.requestsPerSecond), Self.bytes(s.bytesPerSecond) + "/s received"]
        if s.bytesSent > 0 { throughput.append(Self.bytes(s.bytesSentPerSecond) + "/s sent") }
        out.append("  " + throughput.joined(separator: ", "))
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
                out.append("  " + kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                    + "\(tally.count)  (e.g. \(tally.example))")
            }
        }
        if targets.count > 1 {
            out.section("Targets:")
            for (index, tally) in s.perTarget.enumerated() where index < targets.count {
                let mean = tally.meanLatency.map(Self.format) ?? "-"
                out.append("  \(targets[index])  requests \(tally.completed), succeeded \(tally.succeeded), "
                    + "failed \(tally.failed), errors \(tally.errored), mean \(mean)")
            }
        }
        if s.interrupted {
            let never = s.neverStarted.map { ", \($0) never started" } ?? ""
            out.section("Interrupted: \(s.completed) of \(s.requested.map(String.init) ?? "unlimited") requests completed, "
                + "\(s.abandoned) in flight were aborted\(never).")
        } else if s.deadlineReached && s.abandoned > 0 {
            out.section("At the deadline \(s.abandoned) requests in flight were aborted; they are not counted above.")
        }
    }

    private func verdictBlock(_ out: inout Lines) {
        guard let verdict, !verdict.thresholds.isEmpty || verdict.outcome == .unreachable else { return }
        if !verdict.thresholds.isEmpty {
            out.section("Thresholds (--fail-if):")
            let ruleWidth = verdict.thresholds.map(\.threshold.text.count).max() ?? 0
            for result in verdict.thresholds {
                out.append("  " + result.threshold.text.padding(toLength: ruleWidth, withPad: " ", startingAt: 0)
                    + "  measured " + result.measuredText + "  " + (result.failed ? "FAIL" : "pass"))
            }
        }
        let line: String = switch verdict.outcome {
        case .passed: "Verdict: pass"
        case .failed: "Verdict: FAIL (\(verdict.thresholds.filter(\.failed).count) of \(verdict.thresholds.count) rules failed)"
        case .unreachable: "Verdict: UNREACHABLE: every request failed to connect"
        case .interrupted: "Verdict: interrupted"
        }
        out.section(line)
    }

    // MARK: - Histogram

    /// Bars for about ten buckets from the fastest to the slowest response. The buckets are
    /// linear when the spread is narrow and logarithmic when it is wide, so that the shape shows
    /// for a run of 200 µs responses and for one of 10 s responses alike.
    static func histogramBars(_ latency: LatencyHistogram, width: Int) -> [String] {
        let low = UInt64(max(1, latency.min.microsecondsValue)), high = UInt64(max(1, latency.max.microsecondsValue))
        guard high > low else {
            return ["  " + format(.microseconds(high)) + " [\(latency.count)] " + String(repeating: "■", count: max(1, width / 2))]
        }
        let buckets = 10
        let logarithmic = Double(high) / Double(low) >= 20
        var edges: [UInt64] = (0...buckets).map { i in
            let fraction = Double(i) / Double(buckets)
            let edge = logarithmic
                ? Double(low) * pow(Double(high) / Double(low), fraction)
                : Double(low) + Double(high - low) * fraction
            return UInt64(edge.rounded())
        }
        edges[buckets] = high
        // Each recorded bucket goes to the first bar whose upper edge holds it.
        var counts = Array(repeating: 0, count: buckets)
        for bucket in latency.buckets {
            let bar = (1...buckets).first { bucket.microseconds <= edges[$0] } ?? buckets
            counts[bar - 1] += bucket.count
        }
        var rows: [(label: String, count: Int)] = []
        for bar in 1...buckets where bar == buckets || edges[bar] > edges[bar - 1] {
            rows.append((format(.microseconds(edges[bar])), counts[bar - 1]))
        }
        let labelWidth = rows.map(\.label.count).max() ?? 0
        let countWidth = rows.map { String($0.count).count }.max() ?? 1
        let barRoom = max(10, width - labelWidth - countWidth - 8)
        let most = max(1, rows.map(\.count).max() ?? 1)
        return rows.map { row in
            let bar = String(repeating: "■", count: row.count == 0 ? 0 : max(1, row.count * barRoom / most))
            return "  " + String(repeating: " ", count: labelWidth - row.label.count) + row.label
                + " [" + String(repeating: " ", count: countWidth - String(row.count).count) + "\(row.count)] " + bar
        }
    }

    // MARK: - Formatting

    static func percent(_ value: Double) -> String {
        value == value.rounded() ? String(format: "%.0f%%", value) : String(format: "%.2f%%", value)
    }

    static func percentileLabel(_ p: Double) -> String {
        p == p.rounded() ? "p\(Int(p))" : "p\(p)"
    }

    private static func column(_ text: String, _ width: Int = 10) -> String {
        String(repeating: " ", count: max(1, width - text.count)) + text
    }

    /// A duration in the unit that reads best: 850µs, 12.3ms, 2.05s, 1m05s.
    public static func format(_ duration: Duration) -> String {
        let seconds = duration.seconds
        switch seconds {
        case ..<0.001: return String(format: "%.0fµs", seconds * 1e6)
        case ..<0.01: return String(format: "%.2fms", seconds * 1e3)
        case ..<1: return String(format: "%.1fms", seconds * 1e3)
        case ..<60: return String(format: "%.2fs", seconds)
        default:
            let whole = Int(seconds)
            return String(format: "%dm%02ds", whole / 60, whole % 60)
        }
    }

    /// A byte count in the unit that reads best: 512 B, 2.1 KiB, 3.4 MiB.
    public static func bytes(_ count: Double) -> String {
        switch count {
        case ..<1024: return String(format: "%.0f B", count)
        case ..<(1024 * 1024): return String(format: "%.1f KiB", count / 1024)
        case ..<(1024 * 1024 * 1024): return String(format: "%.1f MiB", count / 1024 / 1024)
        default: return String(format: "%.2f GiB", count / 1024 / 1024 / 1024)
        }
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
        lines.append("  " + (label + ":").padding(toLength: 12, withPad: " ", startingAt: 0) + value)
    }

    var text: String { lines.joined(separator: "\n") }
}

extension Duration {
    /// Whole microseconds.
    var microsecondsValue: Int64 {
        components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
    }
}
