#if canImport(Glibc)
import Glibc
#endif

/// The HTML report: one self-contained page, made from a JSON report (so that `hit report` can
/// make it later from a saved one). Everything is inline, charts are SVG drawn by `SVGChart`, there
/// is no script, and a Content-Security-Policy forbids the page any request.
///
/// Above the charts: the verdict with each rule, the summary numbers and the configuration (secrets
/// already redacted in the JSON). Charts: requests per second (sent, completed, succeeded) and
/// errors over time, with the asked rate beneath them; latency percentiles over time (corrected and
/// uncorrected under a rate, log axis); requests in flight over time; the latency percentile
/// spectrum on HdrHistogram's "nines" axis; status codes and error kinds; phases, in the order they
/// happen, on a log axis; with several targets, each target's figures and its latency by
/// percentile. Every chart over time shares one x-axis, from the start to the run's end,
/// and a line breaks where an interval had no data instead of joining its neighbours.
public struct HTMLReport: CustomStringConvertible, Sendable {
    public let report: JSONReport

    public init(_ report: JSONReport) {
        self.report = report
    }

    public var description: String {
        var body = header() + verdict() + numbers() + configuration()
        body += section("Throughput", throughputChart())
        body += section("Latency over time", latencyChart())
        body += section("Requests in flight", inFlightChart())
        body += section("Latency by percentile", spectrumChart())
        body += section("Responses", statusChart())
        if !report.phases.isEmpty { body += section("Phases", phasesChart()) }
        if report.targets.contains(where: { $0.latency != nil }) { body += section("Targets", targetsTable() + targetsChart()) }
        return HTML.page(title: Self.title(of: report), generator: "hit \(report.hit)", body: body,
                         footer: "hit \(HTML.escape(report.hit)) · JSON report version \(report.version)")
    }

    // MARK: Sections

    private func header() -> String {
        let targets = report.configuration.targets.map { "<code>\(HTML.escape(Self.described($0)))</code>" }
        var facts = ["started \(HTML.escape(report.startTime))", "ran \(Formatting.duration(.microseconds(report.summary.durationUs)))"]
        if report.interrupted { facts.append("<strong>interrupted</strong>") }
        if report.deadlineReached { facts.append("deadline reached") }
        if let shard = report.shard {
            let coverage = ShardCoverage(count: shard.count, covered: shard.covered, configurationHash: shard.configurationHash,
                                         startsApart: .microseconds(Swift.max(0, shard.startsApartUs ?? 0)),
                                         unsynchronized: shard.unsynchronized ?? false)
            let text = HTML.escape(coverage.description)
            facts.append((coverage.isComplete && !coverage.unsynchronized) || shard.covered.count == 1 ? text : "<strong>\(text)</strong>")
        }
        if let startAt = report.startAt { facts.append("--start-at \(HTML.escape(startAt))") }
        return "<header><h1>hit report</h1><p>\(targets.joined(separator: "<br>"))</p><p class=\"facts\">\(facts.joined(separator: " · "))</p></header>"
    }

    private func verdict() -> String {
        guard let outcome = report.verdict else { return "" }
        let kind = outcome == "passed" ? "pass" : "fail"
        var out = "<section class=\"verdict \(kind)\"><h2>Verdict: \(HTML.escape(outcome.uppercased()))</h2>"
        if let reason = report.verdictReason { out += "<p>\(HTML.escape(reason))</p>" }
        if !report.thresholds.isEmpty {
            out += "<table><thead><tr><th>rule</th><th>measured</th><th>judged</th><th>result</th></tr></thead><tbody>"
            for rule in report.thresholds {
                let measured = rule.measured.map { value in
                    rule.latency != nil ? Formatting.duration(.microseconds(Int64(value.rounded())))
                        : String(cFormat: rule.rule.contains("%") ? "%.2f%%" : "%.1f", value)
                } ?? "—"
                out += "<tr class=\"\(rule.failed ? "fail" : "pass")\"><td><code>\(HTML.escape(rule.rule))</code></td><td>\(measured)</td>"
                out += "<td>\(HTML.escape(rule.latency ?? ""))</td><td>\(rule.failed ? "failed" : "passed")</td></tr>"
            }
            out += "</tbody></table>"
        }
        return out + "</section>"
    }

    private func numbers() -> String {
        let s = report.summary
        var cells: [(String, String)] = [
            ("completed", "\(s.completed) of \(s.requested.map(String.init) ?? "\(s.started) sent")"),
            ("succeeded", s.successPercent.map { Formatting.percent($0) } ?? "—"),
            ("errors", "\(s.errors)"),
            // A rate of failures is no throughput, as the text report says it.
            ("requests/s", s.succeeded > 0 || s.completed == 0 ? String(cFormat: "%.1f", s.requestsPerSecond) : "— (none succeeded)"),
        ]
        if let latency = report.correctedLatency ?? report.latency {
            let name = report.correctedLatency == nil ? "" : " (corrected)"
            for key in ["50", "90", "99"] {
                if let entry = latency.percentilesUs[key] {
                    cells.append(("p\(key)\(name)", entry.map { Formatting.duration(.microseconds($0)) } ?? "dropped"))
                }
            }
            cells.append(("max\(name)", Formatting.duration(.microseconds(latency.maxUs))))
        }
        cells.append(("received", Formatting.bytes(Double(s.bodyBytesReceived))))
        cells.append(("connections", "\(report.connections.opened)"))
        if let pacing = report.pacing {
            cells.append(("asked rate", String(cFormat: "%.1f/s", pacing.rate)))
            cells.append(("late / dropped", "\(pacing.late) / \(pacing.dropped)"))
        }
        let items = cells.map { "<div><span>\(HTML.escape($0.0))</span><strong>\(HTML.escape($0.1))</strong></div>" }
        return "<section class=\"numbers\">\(items.joined())</section>"
    }

    private func configuration() -> String {
        let c = report.configuration
        var rows: [(String, String)] = [
            ("targets", c.targets.map(Self.described).joined(separator: ", ")),
            ("requests (-n)", c.requests.map(String.init) ?? "no limit"),
            ("workers (-c)", "\(c.concurrency)"),
            ("rate (-rps)", c.rate.map { String(cFormat: "%g/s", $0) } ?? "no limit"),
            ("duration (-z)", c.durationUs.map { Formatting.duration(.microseconds($0)) } ?? "—"),
            ("interval", Formatting.duration(.microseconds(report.timeline.intervalUs))),
            ("HTTP", c.http.rawValue),
            ("keep-alive", c.keepAlive ? "yes" : "no"),
            ("timeout", c.timeoutUs.map { Formatting.duration(.microseconds($0)) } ?? "none"),
        ]
        if !c.headers.isEmpty { rows.append(("headers", c.headers.joined(separator: "\n"))) }
        if let user = c.user { rows.append(("user", user)) }
        if let body = c.bodyBytes { rows.append(("body", "\(body) bytes")) }
        if !c.stages.isEmpty {
            rows.append(("stages", c.stages.map { Formatting.duration(.microseconds($0.durationUs)) + ":" + Self.number($0.targetRate) }
                .joined(separator: ",")))
        }
        if let rampUp = c.rampUpUs { rows.append(("ramp-up", Formatting.duration(.microseconds(rampUp)))) }
        if let proxy = c.proxy { rows.append(("proxy", proxy)) }
        let wide: Set<String> = ["targets", "headers", "proxy", "stages"]
        let cells = rows.map { "<div\(wide.contains($0.0) ? " class=\"wide\"" : "")><span>\(HTML.escape($0.0))</span><code>\(HTML.escape($0.1))</code></div>" }.joined()
        return "<section><h2>Configuration</h2><div class=\"config\">\(cells)</div></section>"
    }

    private func section(_ title: String, _ content: String) -> String {
        "<section><h2>\(HTML.escape(title))</h2>\(content)</section>"
    }

    // MARK: Charts

    /// The timeline's intervals that have rates: not a last one that the run's end cut to less
    /// than half an interval, whose rates would rest on a handful of requests (the JSON gives
    /// them as null, by the rule of `Timeline.Interval.hasRates`).
    private var intervals: [JSONReport.IntervalFigures] {
        report.timeline.intervals.filter { $0.sendRate != nil && $0.completedRate != nil }
    }

    /// "login: POST http://host/login (weight 3)": a target's name, method, URL and weight.
    static func described(_ target: RunConfiguration.Target) -> String {
        (target.name.map { "\($0): " } ?? "") + "\(target.method) \(target.url)" + (target.weight == 1 ? "" : " (weight \(target.weight))")
    }

    /// "hit: GET http://host/a", or with several targets "hit: GET http://host/a and 2 more targets".
    static func title(of report: JSONReport) -> String {
        let targets = report.configuration.targets
        guard let first = targets.first else { return "hit: load test" }
        let more = targets.count > 1 ? " and \(targets.count - 1) more target\(targets.count == 2 ? "" : "s")" : ""
        return "hit: \(first.method) \(first.url)\(more)"
    }

    /// The one x-axis of every chart over time: from the start to the end of the last interval (or
    /// of the stages, when they end later), so that the charts line up.
    private func timeAxis() -> SVGChart.Axis {
        let lastEnd = report.timeline.intervals.map { Double($0.offsetUs) + Double($0.durationUs) }.max() ?? 0
        let stagesEnd = report.configuration.stages.map { Double($0.startUs) + Double($0.durationUs) }.max() ?? 0
        let end = Swift.max(lastEnd, stagesEnd) / 1e6
        return SVGChart.Axis(label: "time since start (s)", format: { Self.number($0) + " s" },
                             fixedRange: end > 0 && end.isFinite ? 0...end : nil)
    }

    /// An interval's point sits at its middle.
    private func middle(_ interval: JSONReport.IntervalFigures) -> Double {
        (Double(interval.offsetUs) + Double(interval.durationUs) / 2) / 1e6
    }

    private func throughputChart() -> String {
        var series = [
            SVGChart.Series(name: "completed/s", colour: "s0", points: intervals.map { (middle($0), $0.completedRate ?? 0) }),
            SVGChart.Series(name: "succeeded/s", colour: "s3", points: intervals.map { interval in
                let seconds = Double(interval.durationUs) / 1e6
                return (middle(interval), seconds > 0 ? Double(interval.succeeded) / seconds : 0)
            }),
            SVGChart.Series(name: "sent/s", colour: "s1", style: .dashed, points: intervals.map { (middle($0), $0.sendRate ?? 0) }),
        ]
        let errors = intervals.map { interval -> (x: Double, y: Double) in
            let seconds = Double(interval.durationUs) / 1e6
            return (middle(interval), seconds > 0 ? Double(interval.failedByStatus + interval.transportErrors) / seconds : 0)
        }
        series.append(SVGChart.Series(name: "errors/s", colour: "bad", style: .bars, points: errors))
        if !report.configuration.stages.isEmpty {
            // The asked rate along the stages: their corners are the stage boundaries.
            let stages = report.configuration.stages
            let initial = report.configuration.rate ?? 0
            var corners: [(x: Double, y: Double)] = [(0, initial)]
            for stage in stages { corners.append((Double(stage.startUs + stage.durationUs) / 1e6, stage.targetRate)) }
            series.append(SVGChart.Series(name: "asked rate (stages)", colour: "s5", style: .reference, points: corners))
        } else if let rate = report.pacing?.rate, let first = intervals.first, let last = intervals.last {
            series.append(SVGChart.Series(name: "asked rate", colour: "s5", style: .reference,
                                          points: [(Double(first.offsetUs) / 1e6, rate), (Double(last.offsetUs + last.durationUs) / 1e6, rate)]))
        }
        return SVGChart(title: "Requests per second and errors per second over time", x: timeAxis(),
                        y: SVGChart.Axis(label: "requests per second", format: Self.number), series: series).svg
    }

    private func latencyChart() -> String {
        var series: [SVGChart.Series] = []
        let measures: [(String, KeyPath<JSONReport.IntervalLatency, Int64>)] = [("p50", \.p50Us), ("p90", \.p90Us), ("p99", \.p99Us), ("max", \.maxUs)]
        for (index, (name, path)) in measures.enumerated() {
            // An interval without a response is a gap (NaN), not a line drawn across it.
            series.append(SVGChart.Series(name: name, colour: "s\(index)", points: allIntervals.map { interval in
                (middle(interval), interval.latency.map { Double($0[keyPath: path]) / 1000 } ?? .nan)
            }))
        }
        if allIntervals.contains(where: { $0.correctedLatency != nil }) {
            for (index, (name, path)) in measures.enumerated() where name != "max" {
                series.append(SVGChart.Series(name: "\(name) corrected", colour: "s\(index)", style: .dashed, points: allIntervals.map { interval in
                    (middle(interval), interval.correctedLatency.map { Double($0[keyPath: path]) / 1000 } ?? .nan)
                }))
            }
        }
        return SVGChart(title: "Latency percentiles per interval (log scale)", x: timeAxis(),
                        y: SVGChart.Axis(label: "latency (ms, log scale)", scale: .logarithmic, format: Self.milliseconds),
                        series: series).svg
    }

    /// Every interval, with or without rates: latencies and counts are true of a short one too.
    private var allIntervals: [JSONReport.IntervalFigures] { report.timeline.intervals }

    /// Requests in flight at each interval's end: a ramp, a server that stalls.
    private func inFlightChart() -> String {
        let points = allIntervals.map { (x: Double($0.offsetUs + $0.durationUs) / 1e6, y: Double($0.inFlight)) }
        let end = timeAxis().fixedRange?.upperBound ?? points.last?.x ?? 1
        let workers = Double(report.configuration.concurrency)
        var series = [SVGChart.Series(name: "in flight", colour: "s1", points: [(x: 0, y: 0)] + points)]
        // The cap on requests in flight, the workers (-c), beneath the measured line: when the
        // line comes near it (a far cap would flatten the line into the axis).
        if let peak = points.map(\.y).max(), peak * 2 >= workers {
            series.insert(SVGChart.Series(name: "workers (-c)", colour: "s5", style: .reference, points: [(0, workers), (end, workers)]), at: 0)
        }
        return SVGChart(title: "Requests in flight at each interval's end", x: timeAxis(),
                        y: SVGChart.Axis(label: "requests in flight", format: Self.number), series: series).svg
    }

    private func spectrumChart() -> String {
        spectrum(of: [("latency", "s0", .line, report.latency), ("corrected latency", "s2", .dashed, report.correctedLatency)],
                 title: "Latency by percentile, HdrHistogram's nines axis")
    }

    /// The most targets drawn in the targets' chart: one colour each.
    static let chartedTargets = 6

    /// Each target's figures, as the text report's table has them.
    private func targetsTable() -> String {
        var out = "<table><thead><tr><th>target</th><th>requests</th><th>errors</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr></thead><tbody>"
        for (index, target) in report.targets.enumerated() {
            let label = report.configuration.targets[index].label
            let latency = target.correctedLatency ?? target.latency
            var values: [Int64?] = ["50", "90", "99"].map { key -> Int64? in
                guard let latency, let value = latency.percentilesUs[key] else { return nil }
                return value
            }
            values.append(latency?.maxUs)
            let cells: [String] = values.map { value in value.map { Self.milliseconds(Double($0) / 1000) } ?? "-" }
            out += "<tr><td>\(HTML.escape(label))</td><td>\(target.completed)</td><td>\(target.errors)</td>"
            out += cells.map { "<td>\($0)</td>" }.joined() + "</tr>"
            if index + 1 == 1000, report.targets.count > 1000 {
                out += "<tr><td colspan=\"7\">... and \(report.targets.count - 1000) more (the JSON report lists every one)</td></tr>"
                break
            }
        }
        let judged = report.targets.contains { $0.correctedLatency != nil } ? " Percentiles are of the corrected latency." : ""
        return out + "</tbody></table><p class=\"empty\">Each target's own latency.\(judged)</p>"
    }

    /// The first targets' latency by percentile, one line each.
    private func targetsChart() -> String {
        let colours = ["s0", "s1", "s2", "s3", "s4", "s5"]
        let withLatency = report.targets.indices.filter { report.targets[$0].latency != nil }
        let charted = withLatency.prefix(Self.chartedTargets)
        let lines = charted.enumerated().map { line, index in
            (name: report.configuration.targets[index].label, colour: colours[line % colours.count],
             style: SVGChart.Style.line, latency: report.targets[index].correctedLatency ?? report.targets[index].latency)
        }
        let more = withLatency.count - charted.count
        return spectrum(of: lines, title: "Each target's latency by percentile" + (more > 0 ? " (the first \(Self.chartedTargets))" : ""))
    }

    private func spectrum(of lines: [(name: String, colour: String, style: SVGChart.Style, latency: JSONReport.Latency?)],
                          title: String) -> String {
        var series: [SVGChart.Series] = []
        var nines = 1.0
        for (name, colour, style, latency) in lines {
            guard let latency, let decoded = try? HdrHistogramV2(base64: latency.histogram.encoded) else { continue }
            let histogram = LatencyHistogram(decoded, minimum: UInt64(max(0, latency.minUs)), maximum: UInt64(max(0, latency.maxUs)))
            // Out to the percentile of the slowest single request: log10(count) nines.
            let most = max(1, log10(Double(histogram.count)))
            nines = max(nines, ceil(most - 0.05))
            let distribution = histogram.distribution
            let points = stride(from: 0.0, through: most, by: most / 80).map { x -> (x: Double, y: Double) in
                (x, distribution.percentile(100 * (1 - pow(10, -x))).seconds * 1000)
            }
            series.append(SVGChart.Series(name: name, colour: colour, style: style, points: points + [(most, histogram.max.seconds * 1000)]))
        }
        let ticks = Array(stride(from: 0.0, through: nines, by: 1))
        return SVGChart(title: title,
                        x: SVGChart.Axis(label: "percentile", format: Self.ninesLabel, ticks: ticks),
                        y: SVGChart.Axis(label: "latency (ms)", format: Self.milliseconds), series: series).svg
    }

    private func statusChart() -> String {
        var rows = report.statusCodes.sorted { $0.key < $1.key }.map { (label: $0.key, count: $0.value, bad: (Int($0.key) ?? 0) >= 400) }
        rows += report.transportErrors.map { (label: $0.kind, count: $0.count, bad: true) }
        guard !rows.isEmpty else { return "<p class=\"empty\">No responses.</p>" }
        let most = Double(rows.map(\.count).max() ?? 1)
        let bars = rows.map { row in
            "<div class=\"hbar\"><span>\(HTML.escape(row.label))</span><div><i class=\"\(row.bad ? "bad" : "s0")\" style=\"width:\(Self.number(max(0.5, Double(row.count) / most * 100)))%\"></i></div><b>\(row.count)</b></div>"
        }
        return "<div class=\"hbars\" role=\"img\" aria-label=\"Responses by status code and transport error kind\">\(bars.joined())</div>"
    }

    private func phasesChart() -> String {
        // In the order they happen, by the names the JSON gives them (Phase's raw values).
        let order = Phase.allCases.map(\.rawValue)
        let phases = report.phases.sorted { (order.firstIndex(of: $0.key) ?? 99, $0.key) < (order.firstIndex(of: $1.key) ?? 99, $1.key) }
        let positions = Dictionary(uniqueKeysWithValues: phases.enumerated().map { ($0.element.key, Double($0.offset + 1)) })
        let series = [("p50", "s0", \JSONReport.PhaseFigures.p50Us), ("p90", "s1", \.p90Us), ("p99", "s2", \.p99Us)].map { name, colour, path in
            SVGChart.Series(name: name, colour: colour, style: .bars, points: phases.map { (positions[$0.key] ?? 0, Double($0.value[keyPath: path]) / 1000) })
        }
        let names = phases.map { Phase(rawValue: $0.key)?.label ?? $0.key }
        // A log axis: DNS of microseconds and a first byte of hundreds of milliseconds both readable.
        return SVGChart(title: "Time spent in each phase of a request (log scale)",
                        x: SVGChart.Axis(label: "phase", format: { names.indices.contains(Int($0) - 1) ? names[Int($0) - 1] : "" },
                                         ticks: names.indices.map { Double($0 + 1) }, fromZero: false),
                        y: SVGChart.Axis(label: "duration (ms, log scale)", scale: .logarithmic, format: Self.milliseconds),
                        series: series).svg
    }

    // MARK: Formatting

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return abs(value) >= 10 ? String(cFormat: "%.0f", value) : String(cFormat: "%.2g", value)
    }

    static func milliseconds(_ value: Double) -> String {
        value >= 1000 ? number(value / 1000) + " s" : value >= 1 ? number(value) + " ms" : number(value * 1000) + " µs"
    }

    /// 0 → "0%", 1 → "90%", 2 → "99%", 3 → "99.9%".
    static func ninesLabel(_ nines: Double) -> String {
        let whole = Int(nines.rounded())
        guard whole > 0 else { return "0%" }
        return whole == 1 ? "90%" : "99" + (whole > 2 ? "." + String(repeating: "9", count: whole - 2) : "") + "%"
    }

    static let style = """
    :root{--bg:#fff;--fg:#1b1f24;--muted:#57606a;--grid:#d8dee4;--card:#f6f8fa;--s0:#0969da;--s1:#8250df;--s2:#bf8700;--s3:#1a7f37;--s4:#cf222e;--s5:#57606a;--bad:#cf222e;--pass:#1a7f37}
    @media (prefers-color-scheme: dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--grid:#30363d;--card:#161b22;--s0:#4493f8;--s1:#ab7df8;--s2:#d29922;--s3:#3fb950;--s4:#f85149;--s5:#8d96a0;--bad:#f85149;--pass:#3fb950}}
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--fg);margin:0 auto;max-width:1240px;padding:16px 24px}
    h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0 0 8px}code{font:13px ui-monospace,monospace}
    header p{margin:2px 0}.facts{color:var(--muted)}
    section{background:var(--card);border-radius:8px;padding:12px 16px;margin:12px 0}
    .verdict.pass{border-left:6px solid var(--pass)}.verdict.fail{border-left:6px solid var(--bad)}
    table{border-collapse:collapse}th,td{text-align:left;padding:3px 12px 3px 0;vertical-align:top;white-space:pre-wrap}
    tr.fail td:last-child{color:var(--bad);font-weight:600}tr.pass td:last-child{color:var(--pass)}
    .numbers{display:grid;grid-template-columns:repeat(auto-fill,minmax(130px,1fr));gap:8px}
    .numbers div{display:flex;flex-direction:column}.numbers span{color:var(--muted);font-size:12px}.numbers strong{font-size:18px}
    svg.chart{width:100%;max-width:1180px;height:auto;display:block}
    .grid{stroke:var(--grid);stroke-width:1}.frame{fill:none;stroke:var(--muted);stroke-width:1}
    .tick,.legend{fill:var(--muted);font-size:11px}.axis{fill:var(--fg);font-size:12px}
    .series{fill:none;stroke-width:2}.dashed{stroke-dasharray:6 4}.reference{stroke-width:1.5;stroke-dasharray:2 4;opacity:.6}
    .s0{stroke:var(--s0);fill:var(--s0)}.s1{stroke:var(--s1);fill:var(--s1)}.s2{stroke:var(--s2);fill:var(--s2)}
    .s3{stroke:var(--s3);fill:var(--s3)}.s4{stroke:var(--s4);fill:var(--s4)}.s5{stroke:var(--s5);fill:var(--s5)}.bad{stroke:var(--bad);fill:var(--bad)}
    path.series{fill:none}.bar{stroke:none;opacity:.8}.key{stroke:none}
    .hbars{display:grid;gap:4px}.hbar{display:grid;grid-template-columns:120px 1fr 80px;align-items:center;gap:8px}
    .hbar div{background:var(--bg);height:14px;border-radius:3px}.hbar i{display:block;height:14px;border-radius:3px}
    .hbar i.s0{background:var(--s0)}.hbar i.bad{background:var(--bad)}.hbar b{text-align:right}
    .config{display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));gap:4px 16px}
    .config div{display:flex;gap:8px;align-items:baseline}.config div.wide{grid-column:1/-1}.config span{color:var(--muted);min-width:100px}.config code{white-space:pre-wrap;word-break:break-all}
    .empty{color:var(--muted)}footer{color:var(--muted);font-size:12px;margin:16px 0}
    """
}
