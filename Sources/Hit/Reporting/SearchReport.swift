import FoundationEssentials

/// The report of a capacity search (`--find-max`): the latency–throughput curve, one row per step,
/// and the answer; as text (a row printed as each step ends) or as JSON.
public enum SearchReport {
    /// The table's header: what the search looks for (the rules negated: what a passing step
    /// keeps), and the columns.
    public static func header(rules: [Threshold]) -> String {
        "Capacity search: the highest rate that keeps \(Threshold.kept(rules))\n"
            + "  asked/s   sent/s  completed/s  workers       p50       p99   errors  result"
    }

    /// A step's outcome: "pass", or "FAIL" with why: hit's limit, the queue that grew, the rules
    /// that failed.
    static func result(_ step: CapacitySearch.Step) -> String {
        guard !step.passed else { return "pass" }
        var why: [String] = []
        if step.limitedByHit { why.append("hit was the limit (\(step.limit == .workers ? "every worker busy" : "CPU"))") }
        if !step.keptPace { why.append("the queue grew by \(step.inFlightAtEnd - step.inFlightAtStart)") }
        why += step.failedRules
        return why.isEmpty ? "FAIL" : "FAIL: " + why.joined(separator: ", ")
    }

    /// One step's row.
    public static func row(_ step: CapacitySearch.Step) -> String {
        let asked = CapacitySearch.rate(step.askedRate).leftPadded(to: 7)
        let p50 = (step.p50.map(Formatting.duration) ?? "-").leftPadded(to: 8)
        let p99 = (step.p99.map(Formatting.duration) ?? "-").leftPadded(to: 8)
        return "  " + asked + String(cFormat: "  %7.1f  %11.1f  %7d  ", step.sentRate, step.completedRate, step.workers) + p50 + "  " + p99
            + String(cFormat: "  %6.2f%%  ", step.errorsPercent) + result(step)
    }

    /// The lines after the table: the answer, why the search stopped, and what held hit back.
    public static func conclusion(_ outcome: CapacitySearch.Outcome) -> String {
        var lines: [String] = []
        if let rate = outcome.maximumRate {
            lines.append("Highest rate that passed: \(CapacitySearch.rate(rate)) requests/s (sent in full and completed as fast; "
                + "p99 corrected for coordinated omission).")
        } else {
            lines.append("No rate passed.")
        }
        lines.append("Stopped: \(outcome.reason).")
        lines += limits(outcome)
        return lines.joined(separator: "\n")
    }

    /// What held hit back in the steps it limited, one line a cause, with the advice that fits it.
    static func limits(_ outcome: CapacitySearch.Outcome) -> [String] {
        guard outcome.limitedByHit else { return [] }
        let limited = outcome.steps.filter { $0.limitedByHit && !$0.passed }
        var lines: [String] = []
        if let step = limited.last(where: { $0.limit == .workers }) {
            lines.append("hit may have been the limit, not the server: every one of its \(step.workers) workers was busy "
                + "and requests went late. Try a larger -c.")
        }
        if let step = limited.last(where: { $0.limit != .workers }) {
            lines.append("hit was the limit, not the server: at \(CapacitySearch.rate(step.askedRate))/s requests went late or "
                + "were not sent with workers to spare (\(step.workers)): its event loops did not get the CPU they needed "
                + String(cFormat: "(hit used %.0f%% of its cores' time). ", step.cpuPercent)
                + "Give hit more CPU (fewer other processes or shards on its cores, or more cores); a larger -c would not help.")
        }
        return lines
    }

    /// The JSON document.
    public struct Document: Codable, Sendable {
        public var version = JSONReport.schemaVersion
        public var hit = hitVersion
        /// What sent the requests, as a run's report gives it (`JSONReport.client`).
        public var client: ClientVersion? = .current
        public let findMax: FindMax
        /// The search's targets and client settings (secrets redacted), as a run's report gives
        /// them, so that `hit report` can draw the page later; null in a document written before.
        public var configuration: RunConfiguration? = nil

        public struct FindMax: Codable, Sendable {
            public let rules: [String]
            /// What a passing step keeps: the rules negated, "p99 ≤ 150ms and errors ≤ 1%".
            public let keeps: String
            public let maximumRate: Double?
            public let limitedByHit: Bool
            public let interrupted: Bool
            public let reason: String
            public let steps: [StepFigures]
        }

        public struct StepFigures: Codable, Sendable {
            public let askedRate: Double
            /// Requests written per second after the warm-up.
            public let sentRate: Double
            /// Requests completed per second after the warm-up.
            public let completedRate: Double
            public let inFlightAtStart: Int
            public let inFlightAtEnd: Int
            public let workers: Int
            public let p50Us: Int64?
            public let p99Us: Int64?
            public let errorsPercent: Double
            public let passed: Bool
            public let reachedRate: Bool
            public let keptPace: Bool
            public let limitedByHit: Bool
            /// "workers" or "cpu" when hit was the limit; null otherwise.
            public let limit: String?
            public let cpuPercent: Double
            public let failedRules: [String]

            /// Every key, with null where a step has no value.
            public func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(askedRate, forKey: .askedRate)
                try c.encode(sentRate, forKey: .sentRate)
                try c.encode(completedRate, forKey: .completedRate)
                try c.encode(inFlightAtStart, forKey: .inFlightAtStart)
                try c.encode(inFlightAtEnd, forKey: .inFlightAtEnd)
                try c.encode(workers, forKey: .workers)
                try p50Us.map { try c.encode($0, forKey: .p50Us) } ?? c.encodeNil(forKey: .p50Us)
                try p99Us.map { try c.encode($0, forKey: .p99Us) } ?? c.encodeNil(forKey: .p99Us)
                try c.encode(errorsPercent, forKey: .errorsPercent)
                try c.encode(passed, forKey: .passed)
                try c.encode(reachedRate, forKey: .reachedRate)
                try c.encode(keptPace, forKey: .keptPace)
                try c.encode(limitedByHit, forKey: .limitedByHit)
                try limit.map { try c.encode($0, forKey: .limit) } ?? c.encodeNil(forKey: .limit)
                try c.encode(cpuPercent, forKey: .cpuPercent)
                try c.encode(failedRules, forKey: .failedRules)
            }
        }
    }

    public static func json(_ outcome: CapacitySearch.Outcome, rules: [Threshold],
                            configuration: RunConfiguration? = nil) -> String {
        var document = Document(findMax: .init(
            rules: rules.map(\.text), keeps: Threshold.kept(rules), maximumRate: outcome.maximumRate, limitedByHit: outcome.limitedByHit,
            interrupted: outcome.interrupted, reason: outcome.reason,
            steps: outcome.steps.map {
                .init(askedRate: $0.askedRate, sentRate: $0.sentRate, completedRate: $0.completedRate,
                      inFlightAtStart: $0.inFlightAtStart, inFlightAtEnd: $0.inFlightAtEnd, workers: $0.workers,
                      p50Us: $0.p50?.microsecondsValue, p99Us: $0.p99?.microsecondsValue, errorsPercent: $0.errorsPercent,
                      passed: $0.passed, reachedRate: $0.reachedRate, keptPace: $0.keptPace, limitedByHit: $0.limitedByHit,
                      limit: $0.limit?.rawValue, cpuPercent: $0.cpuPercent, failedRules: $0.failedRules)
            }))
        document.configuration = configuration
        return document.encoded()
    }
}

extension SearchReport.Document {
    /// Decodes a capacity search's JSON document (`--find-max -o json` or `--json-file`).
    public static func decode(_ bytes: some Collection<UInt8>) throws -> SearchReport.Document {
        try JSONDecoder().decode(SearchReport.Document.self, from: Data(bytes))
    }

    /// The search's outcome, back from the document, for its text and HTML pages.
    public var outcome: CapacitySearch.Outcome {
        CapacitySearch.Outcome(
            steps: findMax.steps.map { step in
                CapacitySearch.Step(
                    askedRate: step.askedRate, workers: step.workers, sentRate: step.sentRate, completedRate: step.completedRate,
                    inFlightAtStart: step.inFlightAtStart, inFlightAtEnd: step.inFlightAtEnd,
                    p50: step.p50Us.map { .microseconds($0) }, p99: step.p99Us.map { .microseconds($0) },
                    errorsPercent: step.errorsPercent, passed: step.passed, reachedRate: step.reachedRate, keptPace: step.keptPace,
                    limitedByHit: step.limitedByHit, limit: step.limit.flatMap(CapacitySearch.Limit.init(rawValue:)),
                    cpuPercent: step.cpuPercent, failedRules: step.failedRules)
            },
            maximumRate: findMax.maximumRate, limitedByHit: findMax.limitedByHit, reason: findMax.reason,
            interrupted: findMax.interrupted)
    }

    /// The rules the search kept, parsed back (they were valid when it ran); the unreadable left out.
    public var rules: [Threshold] {
        findMax.rules.compactMap { try? Threshold.parseList($0) }.flatMap { $0 }
    }
}
