import FoundationEssentials

/// A comparison as text (the terminal), markdown (a table to paste into a pull request) or JSON,
/// each ending with the verdict and its reason.
public struct ComparisonReport: Sendable {
    public let comparison: RunComparison
    public let base: [String]
    public let new: [String]
    /// Whether the latencies compared are corrected for coordinated omission (paced runs).
    public let corrected: Bool
    public let warnings: [String]

    public init(_ comparison: RunComparison, base: [String], new: [String], corrected: Bool, warnings: [String] = []) {
        self.comparison = comparison
        self.base = base
        self.new = new
        self.corrected = corrected
        self.warnings = warnings
    }

    /// The verdict in one line: what regressed (or why it could not be told), else that nothing did.
    public var reason: String {
        let gates = comparison.gates
        let regressed = gates.filter { $0.outcome == .regressed }
        if !regressed.isEmpty {
            return regressed.map { "\($0.gate.metric.name) \(Self.change($0)) (90% interval \(Self.interval($0))), beyond its \(Self.margin($0.gate)) margin" }
                .joined(separator: "; ")
        }
        let open = gates.filter { $0.outcome == .inconclusive }
        if !open.isEmpty {
            if let short = shortRuns { return short }
            return open.map { gate in
                "\(gate.gate.metric.name) \(Self.change(gate)) (90% interval \(Self.interval(gate))) is neither within nor beyond ±\(Self.margin(gate.gate).dropFirst())"
                    + (gate.longerBy.map { ": runs about \(Self.times($0)) as long would tell" } ?? "")
            }.joined(separator: "; ")
        }
        let improved = gates.filter { $0.outcome == .improved }
        if !improved.isEmpty {
            return improved.map { "\($0.gate.metric.name) \(Self.change($0)), beyond its margin the better way" }.joined(separator: "; ")
                + "; nothing regressed"
        }
        return "every gated metric is within its margin (" + gates.map { "\($0.gate.metric.name) \(Self.change($0))" }.joined(separator: ", ") + ")"
    }

    /// Why the runs were too short for the bootstrap, if they were.
    var shortRuns: String? {
        let counts = comparison.intervals.base + comparison.intervals.new
        guard let fewest = counts.min(), fewest < RunComparison.minimumIntervals else { return nil }
        let interval = comparison.interval
        return "a run has \(fewest) timeline interval\(fewest == 1 ? "" : "s"), and the comparison needs at least "
            + "\(RunComparison.minimumIntervals) per run: runs of at least \(Formatting.duration(.milliseconds(Int64((interval * 1000 * Double(RunComparison.minimumIntervals)).rounded())))) "
            + "at this interval (\(Formatting.duration(.milliseconds(Int64((interval * 1000).rounded()))))), and longer for margins of a few %"
    }

    public var verdictLine: String {
        "Verdict: " + comparison.outcome.rawValue.uppercased() + ": " + reason
    }

    // MARK: - Text

    public var text: String {
        var lines: [String] = []
        lines.append("Base: " + base.joined(separator: ", "))
        lines.append("New:  " + new.joined(separator: ", "))
        lines.append("Latency " + (corrected ? "corrected for coordinated omission (paced runs)" : "as measured")
            + "; intervals per run: base " + comparison.intervals.base.map(String.init).joined(separator: ", ")
            + ", new " + comparison.intervals.new.map(String.init).joined(separator: ", ")
            + "; 90% intervals from a block bootstrap, α = 0.05 with Holm's correction across \(comparison.gates.count) gates.")
        lines.append("")
        let header = ["metric", "gate", "base", "new", "change", "90% interval", "result"]
        let rows = comparison.gates.map { gate in
            [gate.gate.metric.name, Self.margin(gate.gate), Self.value(gate.base, gate.gate.metric), Self.value(gate.new, gate.gate.metric),
             Self.change(gate), Self.interval(gate), gate.outcome == .regressed ? "REGRESSED" : gate.outcome.rawValue]
        }
        lines.append("Gated:")
        lines += Self.table([header] + rows).map { "  " + $0 }
        if !comparison.ungated.isEmpty {
            lines.append("")
            lines.append("Not gated:")
            let ungatedRows = comparison.ungated.map { [$0.metric.name, Self.value($0.base, $0.metric), Self.value($0.new, $0.metric), Self.change($0.change, $0.metric)] }
            lines += Self.table([["metric", "base", "new", "change"]] + ungatedRows).map { "  " + $0 }
        }
        lines.append("")
        lines.append("Where the distribution moved (new against base):")
        let shiftRows = comparison.shift.map { [Formatting.percentileLabel($0.percentile), Self.micros($0.base), Self.micros($0.new), Self.signedPercent($0.change)] }
        lines += Self.table([["quantile", "base", "new", "change"]] + shiftRows).map { "  " + $0 }
        if let step = comparison.step {
            lines.append("")
            lines.append("The new run's p99 stepped \(step.after > step.before ? "up" : "down") at t=\(Formatting.trimmedNumber((step.at * 10).rounded() / 10))s: "
                + "from \(Self.micros(step.before)) to \(Self.micros(step.after)) (medians of the intervals before and after).")
        }
        if !warnings.isEmpty {
            lines.append("")
            lines += warnings.map { "Warning: " + $0 }
        }
        lines.append("")
        lines.append(verdictLine)
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Markdown

    public var markdown: String {
        var lines: [String] = []
        let outcome = comparison.outcome
        let badge = outcome == .regressed ? "❌ regressed" : outcome == .inconclusive ? "⚠️ inconclusive" : outcome == .improved ? "✅ improved" : "✅ equivalent"
        lines.append("### hit compare: \(badge)")
        lines.append("")
        lines.append("| metric | gate | base | new | change | 90% interval | result |")
        lines.append("|---|---|---:|---:|---:|---:|---|")
        for gate in comparison.gates {
            let result = gate.outcome == .regressed ? "**regressed**" : gate.outcome.rawValue
            lines.append("| \(gate.gate.metric.name) | \(Self.margin(gate.gate)) | \(Self.value(gate.base, gate.gate.metric)) | "
                + "\(Self.value(gate.new, gate.gate.metric)) | \(Self.change(gate)) | \(Self.interval(gate)) | \(result) |")
        }
        if !comparison.ungated.isEmpty {
            lines.append("")
            lines.append("Not gated: " + comparison.ungated.map { "\($0.metric.name) \(Self.value($0.base, $0.metric)) → \(Self.value($0.new, $0.metric)) (\(Self.change($0.change, $0.metric)))" }
                .joined(separator: ", "))
        }
        lines.append("")
        lines.append("<details><summary>Where the distribution moved</summary>")
        lines.append("")
        lines.append("| quantile | base | new | change |")
        lines.append("|---|---:|---:|---:|")
        for shift in comparison.shift {
            lines.append("| \(Formatting.percentileLabel(shift.percentile)) | \(Self.micros(shift.base)) | \(Self.micros(shift.new)) | \(Self.signedPercent(shift.change)) |")
        }
        lines.append("")
        lines.append("</details>")
        lines.append("")
        if let step = comparison.step {
            lines.append("The new run's p99 stepped \(step.after > step.before ? "up" : "down") at t=\(Formatting.trimmedNumber((step.at * 10).rounded() / 10))s, "
                + "from \(Self.micros(step.before)) to \(Self.micros(step.after)).")
            lines.append("")
        }
        for warning in warnings { lines.append("> Warning: \(warning)") }
        if !warnings.isEmpty { lines.append("") }
        lines.append("Base: " + base.map { "`\($0)`" }.joined(separator: ", ") + "; new: " + new.map { "`\($0)`" }.joined(separator: ", ")
            + ". Latency " + (corrected ? "corrected for coordinated omission" : "as measured")
            + "; 90% intervals from a block bootstrap, α = 0.05 (Holm).")
        lines.append("")
        lines.append("**\(outcome.rawValue.capitalized)**: \(reason)")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - JSON

    struct Document: Encodable {
        let kind = "comparison"
        let base: [String]
        let new: [String]
        let latency: String
        let alpha: Double
        let intervals: Intervals
        let gates: [Gate]
        let ungated: [UngatedRow]
        let shift: [ShiftRow]
        let step: StepFigures?
        let warnings: [String]
        let verdict: String
        let verdictReason: String

        struct Intervals: Encodable { let base: [Int]; let new: [Int] }
        struct Gate: Encodable {
            let metric: String
            let gate: String
            let base: Double
            let new: Double
            let change: Double
            /// Null when the runs were too short for the bootstrap.
            let interval: [Double]?
            let result: String
            let longerBy: Double?
        }
        struct UngatedRow: Encodable { let metric: String; let base: Double; let new: Double; let change: Double }
        struct ShiftRow: Encodable { let quantile: String; let baseUs: Double; let newUs: Double; let change: Double }
        struct StepFigures: Encodable { let atSeconds: Double; let beforeUs: Double; let afterUs: Double }
    }

    public var json: String {
        let document = Document(
            base: base, new: new, latency: corrected ? "corrected" : "uncorrected", alpha: RunComparison.alpha,
            intervals: .init(base: comparison.intervals.base, new: comparison.intervals.new),
            gates: comparison.gates.map { gate in
                var interval: [Double]?
                if let low = gate.low, let high = gate.high { interval = [Self.rounded(low), Self.rounded(high)] }
                return .init(metric: gate.gate.metric.name, gate: gate.gate.description, base: Self.rounded(gate.base),
                             new: Self.rounded(gate.new), change: Self.rounded(gate.change), interval: interval,
                             result: gate.outcome.rawValue, longerBy: gate.longerBy.map(Self.rounded))
            },
            ungated: comparison.ungated.map { .init(metric: $0.metric.name, base: Self.rounded($0.base), new: Self.rounded($0.new), change: Self.rounded($0.change)) },
            shift: comparison.shift.map { .init(quantile: Formatting.percentileLabel($0.percentile), baseUs: Self.rounded($0.base), newUs: Self.rounded($0.new), change: Self.rounded($0.change)) },
            step: comparison.step.map { .init(atSeconds: $0.at, beforeUs: Self.rounded($0.before), afterUs: Self.rounded($0.after)) },
            warnings: warnings, verdict: comparison.outcome.rawValue, verdictReason: reason)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(document)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }

    // MARK: - Formatting

    private static func rounded(_ value: Double) -> Double {
        (value * 1_000_000).rounded() / 1_000_000
    }

    static func margin(_ gate: ComparisonGate) -> String {
        String(gate.description.drop { $0 != ":" }.dropFirst())
    }

    static func micros(_ value: Double) -> String {
        Formatting.duration(.microseconds(Int64(value.rounded())))
    }

    static func value(_ value: Double, _ metric: ComparisonGate.Metric) -> String {
        switch metric {
        case .percentile: micros(value)
        case .errors: String(cFormat: "%.2f%%", value * 100)
        case .rps: String(cFormat: "%.1f/s", value)
        }
    }

    static func signedPercent(_ change: Double) -> String {
        String(cFormat: "%+.1f%%", change * 100)
    }

    static func change(_ gate: RunComparison.GateResult) -> String {
        change(gate.change, gate.gate.metric)
    }

    static func change(_ change: Double, _ metric: ComparisonGate.Metric) -> String {
        metric == .errors ? String(cFormat: "%+.2fpp", change * 100) : signedPercent(change)
    }

    static func interval(_ gate: RunComparison.GateResult) -> String {
        guard let low = gate.low, let high = gate.high else { return "-" }
        if gate.gate.metric == .errors { return String(cFormat: "%+.2f to %+.2fpp", low * 100, high * 100) }
        return String(cFormat: "%+.1f%% to %+.1f%%", low * 100, high * 100)
    }

    static func times(_ factor: Double) -> String {
        factor >= 100 ? "100 or more times" : String(cFormat: "%.1f times", factor)
    }

    /// Columns padded to their widest cell, the first left-aligned, the rest right-aligned but the last.
    static func table(_ rows: [[String]]) -> [String] {
        guard let columns = rows.first?.count else { return [] }
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 || column == columns - 1 ? cell + pad : pad + cell
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
