/// A `--fail-if` rule, `METRIC OP VALUE`: the run fails when the comparison holds.
///
///     p99>250ms   p50>=20ms   mean>100ms   max>2s   errors>1%   errors>0   timeouts>0
///     rps<500     status5xx>0   status404>10   p99.9>1s
///
/// Metrics: `pN` (any latency percentile, e.g. p99.9), `min`, `mean`, `max` (these take a unit:
/// us, ms or s); `errors` (every request that did not succeed: failed by status or a transport
/// error) and `timeouts` (a count, or a share of completed requests with %); `rps` (requests per
/// second); `statusNNN` and `statusNxx` (a count, or a share with %); `late` (requests sent more
/// than `Summary.lateAfter` behind their schedule: a count, or a share of completed requests).
/// Operators: `<`, `<=`, `>`, `>=`, `==`, `!=`.
///
/// A latency rule judges the latency users feel: in a paced run (`-rps`) the corrected latency,
/// measured from each request's intended send time, otherwise the latency as measured. A prefix
/// names one explicitly: `uncorrected:p99>100ms`, `corrected:p99>100ms`.
///
/// A target's name before the rule judges that target alone (`login:p99>100ms`,
/// `login:errors>1%`, `login:corrected:p99>100ms`): its latency, errors and requests per second.
public struct Threshold: Sendable, Equatable, CustomStringConvertible {
    public enum Metric: Sendable, Equatable {
        case percentile(Double)
        case min, mean, max
        case errors, timeouts, rps, late
        case status(Int)
        /// 1 to 5: 1xx to 5xx.
        case statusClass(Int)

        var isLatency: Bool {
            switch self {
            case .percentile, .min, .mean, .max: true
            default: false
            }
        }

        /// Whether a rule on this metric judges failed requests, and so decides alone whether
        /// they fail the run.
        public var judgesFailures: Bool {
            switch self {
            case .errors, .status, .statusClass: true
            default: false
            }
        }
    }

    /// Which latency a latency rule judges.
    public enum Latency: String, Sendable, Equatable {
        /// From each request's intended send time (`-rps`): corrected for coordinated omission.
        case corrected
        /// From when the request was actually sent.
        case uncorrected
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

    /// Whether some run could break the rule: not one that no measurement can make true, such as
    /// `errors>100%`, `p99>2h` (beyond the histograms' hour) or `rps<0`.
    public var canFail: Bool {
        let longest = Duration.microseconds(Int64(LatencyHistogram.highestTrackable))
        switch (comparison, value) {
        case (.greater, .percent(let p)): return p < 100
        case (.greaterOrEqual, .percent(let p)): return p <= 100
        case (.greater, .duration(let d)): return !metric.isLatency || d < longest
        case (.greaterOrEqual, .duration(let d)): return !metric.isLatency || d <= longest
        case (.less, .count(let c)), (.less, .percent(let c)): return c > 0
        default: return true
        }
    }

    /// The rule as written.
    public let text: String
    public let metric: Metric
    public let comparison: Comparison
    public let value: Value
    /// The latency a latency rule names with a prefix; `nil` for the default (corrected in a
    /// paced run, else uncorrected) and for other metrics.
    public let latency: Latency?
    /// The name of the one target the rule judges (`login:p99>100ms`); `nil`: it judges the run.
    public let target: String?

    public var description: String { text }

    /// Why a rule cannot be read; `part` is the piece at fault.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let rule: String
        public let part: String
        public let reason: String

        public var description: String { "'\(rule)': '\(part)' \(reason)" }
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
        /// For a latency rule, the latency it judged.
        public let judged: Latency?
        /// For a corrected latency rule, whether the value it judges fell among the requests that
        /// were dropped, never sent: they have no latency, and rank above every response. Such a
        /// rule fails, with nothing measured.
        public let amongDropped: Bool

        public init(threshold: Threshold, measured: Double?, failed: Bool, judged: Latency?, amongDropped: Bool = false) {
            self.threshold = threshold
            self.measured = measured
            self.failed = failed
            self.judged = judged
            self.amongDropped = amongDropped
        }

        /// The measured value, as a person reads it, with the latency it judged:
        /// "876.0ms (corrected)".
        public var measuredText: String {
            if amongDropped { return "dropped: requests never sent rank above every response" + (judged.map { " (\($0.rawValue))" } ?? "") }
            guard let measured else { return threshold.metric.isLatency ? "no responses" : "nothing completed" }
            let text: String = switch threshold.value {
            case .duration: Formatting.duration(.microseconds(Int64(measured.rounded())))
            case .percent: String(cFormat: "%.2f%%", measured)
            case .count: threshold.metric == .rps ? String(cFormat: "%.1f", measured) : String(Int(measured))
            }
            return judged.map { text + " (\($0.rawValue))" } ?? text
        }
    }

    /// The latency this rule judges in `summary`: the one named, else corrected when the run was
    /// paced. A run without a schedule has no corrected latency: there, the latency as measured.
    func judgedLatency(in summary: Summary) -> Latency? {
        guard metric.isLatency else { return nil }
        let wanted = latency ?? (summary.rate != nil ? .corrected : .uncorrected)
        return wanted == .corrected && summary.correctedLatency.isEmpty && summary.rate == nil ? .uncorrected : wanted
    }

    /// Measures the rule in `summary`, whose targets are named `targetNames` (by index): a rule on
    /// one target measures that target's figures, and fails with nothing measured when no
    /// target of that name kept them.
    public func evaluate(_ summary: Summary, targetNames: [String?] = []) -> Outcome {
        guard let target else { return evaluate(run: summary) }
        guard let index = targetNames.firstIndex(of: target), let figures = summary.target(index) else {
            return Outcome(threshold: self, measured: nil, failed: true, judged: nil)
        }
        return evaluate(run: figures)
    }

    private func evaluate(run summary: Summary) -> Outcome {
        let judged = judgedLatency(in: summary)
        if judged == .corrected, summary.dropped > 0 {
            // The worst values are the dropped requests': a rule that reaches them fails.
            let amongDropped: Bool = switch metric {
            case .percentile(let p): summary.correctedPercentileIsDropped(p)
            case .max: true
            default: false
            }
            if amongDropped { return Outcome(threshold: self, measured: nil, failed: true, judged: judged, amongDropped: true) }
        }
        let measured = measure(summary, judged: judged)
        let limit: Double = switch value {
        case .duration(let d): Double(d.microsecondsValue)
        case .count(let n): n
        case .percent(let p): p
        }
        let failed = measured.map { comparison.holds($0, limit) } ?? true
        return Outcome(threshold: self, measured: measured, failed: failed, judged: judged)
    }

    private func measure(_ s: Summary, judged: Latency?) -> Double? {
        let histogram = judged == .corrected ? s.correctedLatency : s.latency
        func latency(_ d: Duration) -> Double? {
            histogram.isEmpty ? nil : Double(d.microsecondsValue)
        }
        let count: Double
        switch metric {
        case .percentile(let p):
            if judged == .corrected, s.dropped > 0 { return s.correctedPercentile(p).flatMap(latency) }
            return latency(histogram.percentile(p))
        case .min: return latency(histogram.min)
        case .mean: return latency(judged == .corrected ? histogram.mean : s.meanLatency ?? .zero)
        case .max: return latency(histogram.max)
        case .rps: return s.requestsPerSecond
        case .errors: count = Double(s.unsuccessful)
        case .timeouts: count = Double(s.timedOut)
        case .late: count = Double(s.late)
        case .status(let code): count = Double(s.statusCounts[code] ?? 0)
        case .statusClass(let digit):
            count = Double(s.statusCounts.filter { $0.key / 100 == digit }.values.reduce(0, +))
        }
        if case .percent = value {
            return s.completed == 0 ? nil : count * 100 / Double(s.completed)
        }
        return count
    }
}
