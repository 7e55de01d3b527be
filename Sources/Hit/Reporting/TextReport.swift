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
    /// The HTTP version the run asked for: with HTTP/2 or HTTP/3, responses that came in an older
    /// version (libcurl fell back) are pointed out.
    public let httpVersion: ClientOptions.HTTPVersion
    /// The run's `--stages`, listed under pacing with each one's asked and achieved rate; empty without.
    public let stages: [Stage]
    /// The rate the first stage starts from (`-rps`, or 0).
    public let stagesStart: Double
    /// `--ramp-up`: the time the workers were started over.
    public let rampUp: Duration?
    /// Whether to colour the verdict and the error counts (ANSI): on a terminal that takes colour.
    public let colour: Bool

    public init(_ summary: Summary, targets: [String] = [], width: Int = 80, verdict: Verdict? = nil,
                proxy: (url: String, source: String)? = nil, httpVersion: ClientOptions.HTTPVersion = .http1_1, stages: [Stage] = [],
                stagesStart: Double = 0, rampUp: Duration? = nil, colour: Bool = false) {
        self.httpVersion = httpVersion
        self.stages = stages
        self.stagesStart = stagesStart
        self.rampUp = rampUp
        self.colour = colour
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
        return out.text(width: width, colour: colour)
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
        // A rate of failures is no throughput: a run where nothing succeeded says how its requests failed.
        if s.succeeded > 0 || s.completed == 0 { out.row("RPS", String(cFormat: "%.1f", s.requestsPerSecond)) }
        out.row("Requests", s.interrupted ? "\(s.completed) of \(requested)" : "\(s.completed)")
        out.row("Errors", "\(s.unsuccessful)", highlight: s.unsuccessful > 0 ? "\(s.unsuccessful)" : nil)
        if s.succeeded == 0, s.completed > 0 { out.row("Failed", failedHow) }
        out.row("Bytes", "\(s.bytes)")
        if s.wireBytesReceived > 0 || s.wireBytesSent > 0 {
            out.row("Wire bytes", "\(s.wireBytesReceived) received, \(s.wireBytesSent) sent")
        }
        out.row("Duration", Formatting.duration(s.duration) + (s.deadlineReached ? " (-z deadline reached)" : ""))
        // The fastest, slowest and mean response are the Latency block's min, max and mean.
        if let rampUp { out.row("Ramp-up", "the workers started evenly over " + Formatting.duration(rampUp)) }
        if let shards = s.shards { out.row("Shards", shards.description) }
        if let startAt = s.startAt {
            let late = s.startedLate.map { $0 > Summary.lateAfter ? ", ready \(Formatting.duration($0)) after it (requests due by then went late)" : "" } ?? ""
            out.row("Start", "--start-at " + WallClock.rfc3339(unixNanoseconds: startAt) + late)
        }
        if let proxy {
            out.row("Proxy", Redaction.url(proxy.url) + (proxy.source == "-x" ? "" : " (from \(proxy.source); -x '' for none)"))
        }
    }

    /// How the requests of a run where none succeeded failed: how many, which way, and how fast.
    private var failedHow: String {
        let s = summary
        var ways: [String] = []
        if s.failed > 0 {
            ways += s.statusCounts.filter { $0.key >= 400 }.sorted { $0.key < $1.key }.map { "status \($0.key) ×\($0.value)" }
        }
        ways += s.errorCounts.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) ×\($0.value.count)" }
        var text = "all \(s.completed) (" + ways.joined(separator: ", ") + ")"
        let times = s.failed > 0 ? s.latency : s.failureLatency
        if !times.isEmpty {
            text += ", each after p50 \(Formatting.duration(times.percentile(50))), max \(Formatting.duration(times.max))"
        }
        return text
    }

    private func latencyBlock(_ out: inout Lines) {
        // The histograms for their exact extremes, their distributions for everything else.
        let measured = summary.latency, correctedHistogram = summary.correctedLatency
        guard !measured.isEmpty else { return }
        let latency = measured.distribution, corrected = correctedHistogram.distribution
        if correctedHistogram.isEmpty {
            out.section("Latency:")
            out.row("min", Formatting.duration(summary.fastest ?? measured.min))
            out.row("mean", Formatting.duration(summary.meanLatency ?? latency.mean))
            out.row("stdev", Formatting.duration(latency.standardDeviation))
            out.row("max", Formatting.duration(summary.slowest ?? measured.max))
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
            pair("min", summary.fastest ?? measured.min, correctedHistogram.min)
            pair("mean", summary.meanLatency ?? latency.mean, corrected.mean)
            pair("stdev", latency.standardDeviation, corrected.standardDeviation)
            pair("max", summary.slowest ?? measured.max, summary.dropped > 0 ? nil : correctedHistogram.max)
            for p in Summary.reportedPercentiles {
                pair(Formatting.percentileLabel(p), latency.percentile(p), summary.correctedPercentile(p, of: corrected))
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
                stagesBlock(&out)
            }
        }
        out.section("Latency histogram (each row up to its latency):")
        for bar in Self.histogramBars(measured, width: width) { out.append(bar) }
    }

    /// Each stage with the rate it asked for (its mean, from where it starts to where it ends) and
    /// the rate sent during it, from the timeline.
    private func stagesBlock(_ out: inout Lines) {
        out.append("  Stages:" + String(repeating: " ", count: 14) + Self.column("asked", 12) + Self.column("achieved", 12))
        var start = Duration.zero
        var from = stagesStart
        for stage in stages {
            let end = start + stage.duration
            let asked = (from + stage.target) / 2
            let achieved = sentRate(from: start, to: end)
            let rates = from == stage.target ? Self.rate(from) : Self.rate(from) + "→" + Self.rate(stage.target)
            out.append("    " + (Formatting.duration(stage.duration) + " " + rates + "/s").padded(to: 19)
                + Self.column(String(cFormat: "%.1f/s", asked), 12)
                + Self.column(achieved.map { String(cFormat: "%.1f/s", $0) } ?? "-", 12))
            start = end
            from = stage.target
        }
        if summary.dropped > 0 {
            out.append("  \(summary.dropped) request\(summary.dropped == 1 ? "" : "s") dropped before the stages ended: \(summary.dropCause)")
        }
    }

    /// `1000`, `0.5`.
    static func rate(_ rate: Double) -> String {
        rate == rate.rounded() && rate < 1e15 ? String(Int(rate)) : String(cFormat: "%g", rate)
    }

    /// Requests sent per second between two offsets, from the timeline's intervals (each counted in
    /// proportion to its overlap); `nil` without a timeline over that time.
    func sentRate(from start: Duration, to end: Duration) -> Double? {
        var sent = 0.0
        var covered = 0.0
        for interval in summary.timeline.intervals {
            let low = max(start, interval.offset), high = min(end, interval.offset + interval.length)
            guard high > low, interval.length > .zero else { continue }
            let share = (high - low).seconds / interval.length.seconds
            sent += Double(interval.sent) * share
            covered += (high - low).seconds
        }
        return covered > 0 ? sent / (end - start).seconds : nil
    }

    private func phasesBlock(_ out: inout Lines) {
        let phases = Phase.allCases.compactMap { phase in summary.phases[phase].map { (phase, $0) } }.filter { !$0.1.isEmpty }
        guard !phases.isEmpty else { return }
        out.section("Phases:" + String(repeating: " ", count: 8) + ["p50", "p90", "p99", "max"].map { Self.column($0) }.joined() + "  count")
        for (phase, histogram) in phases {
            let distribution = histogram.distribution
            let cells = [distribution.percentile(50), distribution.percentile(90), distribution.percentile(99), histogram.max]
            out.append("  " + phase.label.padded(to: 13)
                + cells.map { Self.column(Formatting.duration($0)) }.joined() + "  \(histogram.count)")
        }
    }

    private func accountingBlock(_ out: inout Lines) {
        let s = summary
        out.section("Requests:")
        let checks = s.failedChecks
        var parts = ["started \(s.started)", "completed \(s.completed)", "succeeded \(s.succeeded)",
                     "errors \(s.unsuccessful): failed by status \(s.failed), "
                        + (checks > 0 ? "failed checks \(checks), " : "")
                        + "transport errors \(s.errored - checks) (timeouts \(s.timedOut))"]
        if s.interrupted || s.deadlineReached { parts.append("aborted in flight \(s.abandoned)") }
        if s.dropped > 0 { parts.append("dropped \(s.dropped) (due before the run's end, never sent: \(s.dropCause))") }
        if s.retried > 0 { parts.append("retried on a fresh connection \(s.retried)") }
        out.append("  " + parts.joined(separator: ", "))
        if let rows = s.feedUsedUp { out.append("  ended by the feed: each of its \(rows) rows was sent once (--feed-order once)") }
        // Requests per second are the summary's RPS; bytes per second, when bytes moved.
        if s.bytes > 0 || s.bytesSent > 0 {
            out.section("Throughput:")
            var throughput = [Formatting.bytes(s.bytesPerSecond) + "/s received"]
            if s.bytesSent > 0 { throughput.append(Formatting.bytes(s.bytesSentPerSecond) + "/s sent") }
            out.append("  " + throughput.joined(separator: ", "))
        }
        if s.connectionsOpened > 0 || s.mostRequestsOnOneConnection > 0 {
            out.section("Connections:")
            var line = "  opened \(s.connectionsOpened)"
            if s.mostRequestsOnOneConnection > 0 {
                line += ", the most requests one carried \(s.mostRequestsOnOneConnection)"
            }
            out.append(line)
            let fellBack = s.responses(below: httpVersion.responseVersion)
            if fellBack > 0 {
                switch httpVersion {
                case .http2:
                    out.append("  HTTP/2 was asked for, but \(fellBack) responses came in HTTP/1.x: "
                        + "the server did not offer h2 in TLS (ALPN), and libcurl fell back")
                case .http3, .http3Only:
                    let versions = s.httpVersions.filter { $0.key < .http3 }.keys.sorted().map(\.rawValue).joined(separator: " and ")
                    out.append("  HTTP/3 was asked for, but \(fellBack) responses came in \(versions): "
                        + "no QUIC connection was made in time, and libcurl fell back to TCP")
                case .http1_1:
                    break
                }
            }
        }
    }

    private func breakdownBlocks(_ out: inout Lines) {
        let s = summary
        if !s.statusCounts.isEmpty {
            out.section("Status codes:")
            for (status, count) in s.statusCounts.sorted(by: { $0.key < $1.key }) {
                let line = "  [\(status)] \(count) response\(count == 1 ? "" : "s")"
                out.append(line, highlight: status >= 400 ? line.trimmingWhitespace() : nil)
            }
        }
        if !s.httpVersions.isEmpty {
            out.section("HTTP versions:")
            for (version, count) in s.httpVersions.sorted(by: { $0.key < $1.key }) {
                out.append("  \(version.rawValue)  \(count)")
            }
        }
        if let checks = s.errorCounts[.check] {
            out.section("Failed checks:")
            out.append("  \(checks.count)  (e.g. \(checks.example))", highlight: "\(checks.count)")
        }
        if s.errorCounts.keys.contains(where: { $0 != .check }) {
            out.section("Transport errors:")
            for (kind, tally) in s.errorCounts.sorted(by: { $0.key < $1.key }) where kind != .check {
                out.append("  " + kind.rawValue.padded(to: 9)
                    + "\(tally.count)  (e.g. \(tally.example))", highlight: kind.rawValue.padded(to: 9) + "\(tally.count)")
            }
        }
        if targets.count > 1 {
            targetsBlock(&out)
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

    /// Each target's requests, errors and latency, for a run of several targets.
    private func targetsBlock(_ out: inout Lines) {
        let s = summary
        out.section("Targets:")
        // A long targets file would bury the report: its first rows, and the JSON for all of them.
        let shown = min(targets.count, s.perTarget.count, Self.targetRows)
        // A label too long for its column gets a line of its own, the figures under it.
        let labelWidth = max(6, min(targets.prefix(shown).map(\.count).max() ?? 0, 22))
        out.append("  " + "target".padded(to: labelWidth) + Self.column("requests", 10) + Self.column("errors", 8)
            + ["p50", "p90", "p99", "max"].map { Self.column($0, 9) }.joined())
        for (index, tally) in s.perTarget.prefix(shown).enumerated() {
            let latency = tally.latency.flatMap { $0.isEmpty ? nil : $0 }
            let distribution = latency?.distribution
            let percentiles = [50.0, 90, 99].map { p in distribution.map { Formatting.duration($0.percentile(p)) } ?? "-" }
                + [latency.map { Formatting.duration($0.max) } ?? "-"]
            let figures = Self.column(String(tally.completed), 10) + Self.column(String(tally.failed + tally.errored), 8)
                + percentiles.map { Self.column($0, 9) }.joined()
            let label = targets[index]
            if label.count > labelWidth {
                out.append("  " + label)
                out.append("  " + String(repeating: " ", count: labelWidth) + figures)
            } else {
                out.append("  " + label.padded(to: labelWidth) + figures)
            }
        }
        let hidden = min(targets.count, s.perTarget.count) - shown
        if hidden > 0 { out.append("  ... and \(hidden) more target\(hidden == 1 ? "" : "s") (the JSON report lists every one)") }
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
        let flagged = ["Verdict: FAIL", "Verdict: UNREACHABLE"].first { line.hasPrefix($0) }
        out.section(line, highlight: flagged ?? (verdict.outcome == .passed ? "Verdict: pass" : nil),
                    code: verdict.outcome == .passed ? "32" : "1;31")
    }
}

/// The report's lines, with the helpers that lay them out.
private struct Lines {
    /// A line, and the part of it to colour on a terminal.
    struct Line {
        var text: String
        var highlight: String?
        var code = "31"
    }

    var lines: [Line] = []

    mutating func append(_ line: String, highlight: String? = nil, code: String = "31") {
        lines.append(Line(text: line, highlight: highlight, code: code))
    }

    /// A blank line, then a heading.
    mutating func section(_ heading: String, highlight: String? = nil, code: String = "31") {
        lines.append(Line(text: ""))
        append(heading, highlight: highlight, code: code)
    }

    /// "  Label:      value", aligned.
    mutating func row(_ label: String, _ value: String, highlight: String? = nil) {
        append("  " + (label + ":").padded(to: 12) + value, highlight: highlight)
    }

    /// The lines fitted to `width` columns (see `wrapped`), their highlights coloured when `colour`.
    func text(width: Int, colour: Bool) -> String {
        var out: [String] = []
        for line in lines {
            var pieces = Self.wrapped(line.text, width: width)
            if colour, let highlight = line.highlight,
               let index = pieces.firstIndex(where: { $0.contains(highlight) }), let range = pieces[index].firstRange(of: highlight) {
                pieces[index].replaceSubrange(range, with: "\u{1B}[\(line.code)m" + highlight + "\u{1B}[0m")
            }
            out += pieces
        }
        return out.joined(separator: "\n")
    }

    /// `line` broken at spaces into lines of at most `width` columns, never inside a word or a
    /// number; the continuation lines indented 4 past the line's own indent ("Label:" rows: under
    /// the value). A word longer than the line (a long URL) stays whole on a line of its own.
    static func wrapped(_ line: String, width: Int) -> [String] {
        guard line.count > width else { return [line] }
        let indent = line.prefix { $0 == " " }.count
        let value = line.dropFirst(indent).firstRange(of: ":  ").map { line.distance(from: line.startIndex, to: $0.upperBound) }
        let hanging = String(repeating: " ", count: min(width / 2, value.map { $0 + line.dropFirst($0).prefix { $0 == " " }.count } ?? indent + 4))
        var result: [String] = []
        var current = String(line.prefix(indent))
        var currentHasWord = false
        for word in line.dropFirst(indent).split(separator: " ", omittingEmptySubsequences: false) {
            if currentHasWord, current.count + 1 + word.count > width {
                result.append(current)
                current = hanging + word
            } else {
                current += (currentHasWord ? " " : "") + word
            }
            currentHasWord = true
        }
        result.append(current)
        return result
    }
}

extension TextReport {
    /// The text report of a saved run (`hit report`, `hit merge`), named and shaped by the
    /// configuration its JSON report recorded.
    public init(_ summary: Summary, configuration: RunConfiguration, width: Int = 80, verdict: Verdict? = nil,
                colour: Bool = false) {
        self.init(summary, targets: configuration.targets.map(\.label), width: width, verdict: verdict,
                  proxy: configuration.proxy.map { ($0, configuration.proxySource ?? "-x") },
                  httpVersion: configuration.http,
                  stages: configuration.stages.map { Stage(duration: .microseconds($0.durationUs), target: $0.targetRate) },
                  stagesStart: configuration.stages.isEmpty ? 0 : configuration.rate ?? 0,
                  rampUp: configuration.rampUpUs.map { .microseconds($0) }, colour: colour)
    }
}
