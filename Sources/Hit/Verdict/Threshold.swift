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
            case .duration: return Formatting.duration(.microseconds(Int64(measured.rounded())))
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
