import FoundationEssentials

/// The report of a capacity search (`--find-max`): the latency–throughput curve, one row per step,
/// and the answer; as text (a row printed as each step ends) or as JSON.
public enum SearchReport {
    /// The table's header.
    public static func header(rules: [Threshold]) -> String {
        "Capacity search: the highest rate at which \(rules.map(\.text).joined(separator: ",")) passes\n"
            + "  asked/s  achieved/s  workers       p50       p99   errors  result"
    }

    /// A step's outcome: "pass", or "FAIL" with why.
    static func result(_ step: CapacitySearch.Step) -> String {
        step.passed ? "pass" : "FAIL" + (step.limitedByHit ? " (hit was the limit)" : "")
            + (step.failedRules.isEmpty ? "" : ": " + step.failedRules.joined(separator: ","))
    }

    /// One step's row.
    public static func row(_ step: CapacitySearch.Step) -> String {
        let asked = CapacitySearch.rate(step.askedRate).leftPadded(to: 7)
        let p50 = (step.p50.map(Formatting.duration) ?? "-").leftPadded(to: 8)
        let p99 = (step.p99.map(Formatting.duration) ?? "-").leftPadded(to: 8)
        return "  " + asked + String(cFormat: "  %10.1f  %7d  ", step.achievedRate, step.workers) + p50 + "  " + p99
            + String(cFormat: "  %6.2f%%  ", step.errorsPercent) + result(step)
    }

    /// The lines after the table: the answer and why the search stopped.
    public static func conclusion(_ outcome: CapacitySearch.Outcome) -> String {
        var lines: [String] = []
        if let rate = outcome.maximumRate {
            lines.append("Highest rate that passed: \(CapacitySearch.rate(rate)) requests/s (p99 corrected for coordinated omission).")
        } else {
            lines.append("No rate passed.")
        }
        lines.append("Stopped: \(outcome.reason).")
        if outcome.limitedByHit {
            lines.append("hit may have been the limit, not the server: requests went late for want of a free worker. Try a larger -c.")
        }
        return lines.joined(separator: "\n")
    }

    /// The JSON document.
    public struct Document: Codable, Sendable {
        public var version = JSONReport.schemaVersion
        public var hit = hitVersion
        public let findMax: FindMax

        public struct FindMax: Codable, Sendable {
            public let rules: [String]
            public let maximumRate: Double?
            public let limitedByHit: Bool
            public let interrupted: Bool
            public let reason: String
            public let steps: [StepFigures]
        }

        public struct StepFigures: Codable, Sendable {
            public let askedRate: Double
            public let achievedRate: Double
            public let workers: Int
            public let p50Us: Int64?
            public let p99Us: Int64?
            public let errorsPercent: Double
            public let passed: Bool
            public let limitedByHit: Bool
            public let failedRules: [String]
        }
    }

    public static func json(_ outcome: CapacitySearch.Outcome, rules: [Threshold]) -> String {
        let document = Document(findMax: .init(
            rules: rules.map(\.text), maximumRate: outcome.maximumRate, limitedByHit: outcome.limitedByHit,
            interrupted: outcome.interrupted, reason: outcome.reason,
            steps: outcome.steps.map {
                .init(askedRate: $0.askedRate, achievedRate: $0.achievedRate, workers: $0.workers, p50Us: $0.p50?.microsecondsValue,
                      p99Us: $0.p99?.microsecondsValue, errorsPercent: $0.errorsPercent, passed: $0.passed,
                      limitedByHit: $0.limitedByHit, failedRules: $0.failedRules)
            }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(document)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
