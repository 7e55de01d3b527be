import FoundationEssentials

extension SearchReport {
    /// The capacity search as one self-contained HTML page (`--find-max --html FILE`): the answer,
    /// the latency–throughput curve (p50 and p99, corrected, against the asked rate, failed steps
    /// marked), and the steps' table. Nothing leaves the page, as in ``HTMLReport``.
    public static func html(_ outcome: CapacitySearch.Outcome, rules: [Threshold], configuration: RunConfiguration) -> String {
        let targets = configuration.targets.map { "<code>\(HTML.escape($0.method)) \(HTML.escape($0.url))</code>" }
        var body = "<header><h1>hit capacity search</h1><p>\(targets.joined(separator: "<br>"))</p>"
            + "<p class=\"facts\">the highest rate that keeps <code>\(HTML.escape(Threshold.kept(rules)))</code>, "
            + "sent in full and completed as fast · "
            + "\(outcome.steps.count) step\(outcome.steps.count == 1 ? "" : "s")</p></header>"

        let passed = outcome.maximumRate != nil
        body += "<section class=\"verdict \(passed ? "pass" : "fail")\"><h2>"
            + HTML.escape(outcome.maximumRate.map { "Highest rate that passed: \(CapacitySearch.rate($0)) requests/s" } ?? "No rate passed")
            + "</h2><p>Stopped: \(HTML.escape(outcome.reason)).</p>"
        for line in limits(outcome) { body += "<p>\(HTML.escape(line))</p>" }
        body += "</section>"
        body += "<section><h2>Latency against load</h2>\(curve(outcome.steps, rules: rules))</section>"
        body += "<section><h2>Throughput against load</h2>\(throughput(outcome.steps, maximum: outcome.maximumRate))</section>"
        body += "<section><h2>Steps</h2>\(table(outcome.steps))</section>"

        let title = "hit capacity search: " + (configuration.targets.first.map { "\($0.method) \($0.url)" } ?? "")
        return HTML.page(title: title, generator: "hit \(hitVersion)", body: body, footer: "hit \(HTML.escape(hitVersion)) · capacity search")
    }

    /// p50 and p99 against the rate each step asked for (the offered load: past the capacity the
    /// completed rates bunch up while latency climbs), on a log scale; a failed step's p99 is
    /// marked as well, so that the knee shows where the rules began to fail.
    private static func curve(_ steps: [CapacitySearch.Step], rules: [Threshold]) -> String {
        func points(_ latency: KeyPath<CapacitySearch.Step, Duration?>, of steps: [CapacitySearch.Step]) -> [(x: Double, y: Double)] {
            steps.compactMap { step in step[keyPath: latency].map { (step.askedRate, $0.seconds * 1000) } }
        }
        let failed = steps.filter { !$0.passed }
        var series = [
            SVGChart.Series(name: "p50 (corrected)", colour: "s0", points: points(\.p50, of: steps)),
            SVGChart.Series(name: "p99 (corrected)", colour: "s2", points: points(\.p99, of: steps)),
        ]
        if !failed.isEmpty {
            series.append(SVGChart.Series(name: "failed step (p99)", colour: "bad", style: .dots, points: points(\.p99, of: failed)))
        }
        // Each latency rule's limit: the service level the search keeps, as a line across.
        let rates = steps.map(\.askedRate)
        if let low = rates.min(), let high = rates.max() {
            for rule in rules {
                guard case .percentile = rule.metric, case .duration(let limit) = rule.value else { continue }
                let ms = limit.seconds * 1000
                series.append(SVGChart.Series(name: "limit: \(rule.text)", colour: "bad", style: .reference,
                                              points: [(low, ms), (high, ms)]))
            }
        }
        return SVGChart(title: "Latency against the asked rate, one point a step",
                        x: SVGChart.Axis(label: "asked rate (requests/s)", format: { CapacitySearch.rate($0) }),
                        y: SVGChart.Axis(label: "latency (ms, log scale)", scale: .logarithmic, format: HTMLReport.milliseconds),
                        series: series).svg
    }

    /// What each step sent and completed against what it asked: on the diagonal while the server
    /// keeps up, completions level off at its capacity.
    private static func throughput(_ steps: [CapacitySearch.Step], maximum: Double?) -> String {
        let rates = steps.map(\.askedRate)
        guard let low = rates.min(), let high = rates.max() else { return "<p class=\"empty\">No step ran.</p>" }
        var series = [
            SVGChart.Series(name: "asked", colour: "s5", style: .reference, points: [(0, 0), (high, high)]),
            SVGChart.Series(name: "sent/s", colour: "s1", style: .dots, points: steps.map { ($0.askedRate, $0.sentRate) }),
            SVGChart.Series(name: "completed/s", colour: "s0", style: .dots, points: steps.map { ($0.askedRate, $0.completedRate) }),
        ]
        if let maximum {
            series.append(SVGChart.Series(name: "highest rate that passed", colour: "s3", style: .reference,
                                          points: [(min(low, maximum), maximum), (high, maximum)]))
        }
        return SVGChart(title: "Sent and completed rates against the asked rate, one point a step",
                        x: SVGChart.Axis(label: "asked rate (requests/s)", format: { CapacitySearch.rate($0) }),
                        y: SVGChart.Axis(label: "requests/s", format: { CapacitySearch.rate($0) }), series: series).svg
    }

    private static func table(_ steps: [CapacitySearch.Step]) -> String {
        var out = "<table><thead><tr><th>asked/s</th><th>sent/s</th><th>completed/s</th><th>workers</th><th>p50</th><th>p99</th>"
            + "<th>errors</th><th>result</th></tr></thead><tbody>"
        for step in steps {
            let cells = [CapacitySearch.rate(step.askedRate), String(cFormat: "%.1f", step.sentRate),
                         String(cFormat: "%.1f", step.completedRate), "\(step.workers)",
                         step.p50.map(Formatting.duration) ?? "-", step.p99.map(Formatting.duration) ?? "-",
                         String(cFormat: "%.2f%%", step.errorsPercent), result(step)]
            out += "<tr class=\"\(step.passed ? "pass" : "fail")\">" + cells.map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>"
        }
        return out + "</tbody></table>"
    }
}
