/// A `--fail-if` rule, `METRIC OP VALUE`: the run fails when the comparison holds.
///
///     p99>250ms   p50>=20ms   mean>100ms   max>2s   errors>1%   errors>0   timeouts>0
///     rps<500     status5xx>0   status404>10   p99.9>1s
///
/// Metrics: `pN` (any latency percentile, e.g. p99.9), `min`, `mean`, `max` (these take a unit:
/// us, ms or s); `errors` and `timeouts` (a count, or a share of completed requests with %);
/// `rps` (requests per second); `statusNNN` and `statusNxx` (a count, or a share with %).
/// Operators: `<`, `<=`, `>`, `>=`, `==`, `!=`.
public struct Threshold: Sendable, Equatable, CustomStringConvertible {
    public enum Metric: Sendable, Equatable {
        case percentile(Double)
        case min, mean, max
        case errors, timeouts, rps
        case status(Int)
        /// 1 to 5: 1xx to 5xx.
        case statusClass(Int)

        var isLatency: Bool {
            switch self {
            case .percentile, .min, .mean, .max: true
            default: false
            }
        }
    }

    public enum Comparison: String, Sendable, CaseIterable {
        case lessOrEqual = "<=", greaterOrEqual = ">=", equal = "==", notEqual = "!=", less = "<", greater = ">"

        func holds(_ a: Double, _ b: Double) -> Bool {
            switch self {
            case .less: a < b
            case .lessOrEqual: a <= b
            case .greater: a > b
            case .greaterOrEqual: a >= b
            case .equal: a == b
            case .notEqual: a != b
            }
        }
    }

    /// The value to compare with, in the metric's own unit.
    public enum Value: Sendable, Equatable {
        case duration(Duration)
        case count(Double)
        /// A share of completed requests, in percent.
        case percent(Double)
    }

    /// The rule as written.
    public let text: String
    public let metric: Metric
    public let comparison: Comparison
    public let value: Value

    public var description: String { text }

    /// Why a rule cannot be read; `part` is the piece at fault.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let rule: String
        public let part: String
        public let reason: String

        public var description: String { "--fail-if '\(rule)': '\(part)' \(reason)" }
    }

    public init(parsing rule: String) throws(ParseError) {
        let text = rule.filter { !$0.isWhitespace }
        func fail(_ part: some StringProtocol, _ reason: String) -> ParseError {
            ParseError(rule: rule, part: String(part), reason: reason)
        }
        guard let operatorStart = text.firstIndex(where: { "<>=!".contains($0) }) else {
            throw fail(text, "has no comparison: use one of < <= > >= == !=")
        }
        let metricText = text[..<operatorStart]
        let rest = text[operatorStart...]
        guard let comparison = Comparison.allCases.first(where: { rest.hasPrefix($0.rawValue) }) else {
            throw fail(rest.prefix { "<>=!".contains($0) }, "is not a comparison: use one of < <= > >= == !=")
        }
        let valueText = rest.dropFirst(comparison.rawValue.count)
        guard !metricText.isEmpty else { throw fail(text, "has no metric before its comparison") }
        let metric = try Self.metric(metricText, fail: fail)

        let number = valueText.prefix { $0.isNumber || $0 == "." }
        let unit = valueText.dropFirst(number.count)
        guard !number.isEmpty, let amount = Double(number), amount.isFinite else {
            throw fail(valueText.isEmpty ? text : String(valueText), "is not a number with an optional unit (us, ms, s, %)")
        }
        let value: Value
        switch (metric.isLatency, unit) {
        case (true, "us"), (true, "µs"): value = .duration(.nanoseconds(Int64(amount * 1e3)))
        case (true, "ms"): value = .duration(.nanoseconds(Int64(amount * 1e6)))
        case (true, "s"): value = .duration(.nanoseconds(Int64(amount * 1e9)))
        case (true, _):
            throw fail(unit.isEmpty ? valueText : unit, "needs a time unit: us, ms or s")
        case (false, ""): value = .count(amount)
        case (false, "%"):
            guard metric != .rps else { throw fail(valueText, "cannot be a share: rps is requests per second") }
            guard amount <= 100 else { throw fail(valueText, "is more than 100%") }
            value = .percent(amount)
        case (false, _):
            throw fail(unit, metric == .rps ? "is not allowed: rps takes a plain number" : "is not a unit here: use a count, or a share with %")
        }
        self.text = text
        self.metric = metric
        self.comparison = comparison
        self.value = value
    }

    private static func metric(_ text: Substring, fail: (Substring, String) -> ParseError) throws(ParseError) -> Metric {
        switch text {
        case "min": return .min
        case "mean": return .mean
        case "max": return .max
        case "errors": return .errors
        case "timeouts": return .timeouts
        case "rps": return .rps
        default: break
        }
        if text.hasPrefix("p"), let p = Double(text.dropFirst()), p > 0, p <= 100 {
            return .percentile(p)
        }
        if text.hasPrefix("status") {
            let code = text.dropFirst("status".count)
            if code.count == 3, let status = Int(code), (100...599).contains(status) { return .status(status) }
            if code.count == 3, code.hasSuffix("xx"), let digit = Int(code.prefix(1)), (1...5).contains(digit) {
                return .statusClass(digit)
            }
            throw fail(text, "is not a status metric: use statusNNN (e.g. status404) or statusNxx (e.g. status5xx)")
        }
        throw fail(text, "is not a metric: use pN (e.g. p99), min, mean, max, errors, timeouts, rps, statusNNN or statusNxx")
    }

    /// Parses a `--fail-if` argument: one rule, or several separated by commas.
    public static func parseList(_ argument: String) throws(ParseError) -> [Threshold] {
        var rules: [Threshold] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard !part.allSatisfy(\.isWhitespace) else {
                throw ParseError(rule: argument, part: String(part), reason: "is an empty rule")
            }
            rules.append(try Threshold(parsing: String(part)))
        }
        return rules
    }
}

extension Threshold {
    /// What a rule measured in a run, and whether it failed the run.
    public struct Outcome: Sendable, Equatable {
        public let threshold: Threshold
        /// The measured value in the rule's unit (µs for durations, percent for shares), or
        /// `nil` when there was nothing to measure (no response for a latency rule).
        public let measured: Double?
        /// Whether the failure condition held (or could not be measured).
        public let failed: Bool

        /// The measured value, as a person reads it.
        public var measuredText: String {
            guard let measured else { return "no responses" }
            switch threshold.value {
            case .duration: return TextReport.format(.microseconds(Int64(measured.rounded())))
            case .percent: return String(format: "%.2f%%", measured)
            case .count: return threshold.metric == .rps ? String(format: "%.1f", measured) : String(Int(measured))
            }
        }
    }

    /// Measures the rule in `summary`.
    public func evaluate(_ summary: Summary) -> Outcome {
        let measured = measure(summary)
        let limit: Double = switch value {
        case .duration(let d): Double(d.microsecondsValue)
        case .count(let n): n
        case .percent(let p): p
        }
        let failed = measured.map { comparison.holds($0, limit) } ?? true
        return Outcome(threshold: self, measured: measured, failed: failed)
    }

    private func measure(_ s: Summary) -> Double? {
        func latency(_ d: Duration?) -> Double? {
            s.latency.isEmpty ? nil : d.map { Double($0.microsecondsValue) }
        }
        let count: Double
        switch metric {
        case .percentile(let p): return latency(s.latency.percentile(p))
        case .min: return latency(s.fastest)
        case .mean: return latency(s.meanLatency)
        case .max: return latency(s.slowest)
        case .rps: return s.requestsPerSecond
        case .errors: count = Double(s.unsuccessful)
        case .timeouts: count = Double(s.timedOut)
        case .status(let code): count = Double(s.statusCounts[code] ?? 0)
        case .statusClass(let digit):
            count = Double(s.statusCounts.filter { $0.key / 100 == digit }.values.reduce(0, +))
        }
        if case .percent = value {
            return s.completed == 0 ? 0 : count * 100 / Double(s.completed)
        }
        return count
    }
}
