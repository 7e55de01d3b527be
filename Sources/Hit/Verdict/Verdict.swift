/// Whether a run passed, for a CI step to act on without parsing text.
///
/// - An interrupted run is `interrupted`, whatever the rules; one its caller stopped because it
///   could only fail (`Summary.stopFails`) fails.
/// - A run in which every request failed to connect (refused, DNS) is `unreachable`: a broken
///   deploy, not a slow one.
/// - A run in which nothing completed fails: there is nothing to judge.
/// - A paced run that did not apply the load it asked for fails (`Summary.loadShortfall`): a
///   request was dropped, or it sent below the asked rate. Its latencies describe a lighter load.
/// - Without rules, the run fails when any request failed (a status of 400 or more, a failed
///   check, or a transport error).
/// - With rules (`--fail-if`), the run fails when any rule holds. Failed requests still fail the
///   run unless a rule judges them (`errors`, `statusNNN` or `statusNxx`): adding `p99>1s` must not
///   let a run of HTTP 500s pass. A rule about errors or statuses then decides alone; a rule on
///   one target's errors (`login:errors>1%`) decides alone for that target's.
public struct Verdict: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        case passed, failed, unreachable, interrupted
    }

    public let outcome: Outcome
    /// Each rule with what it measured; empty without rules.
    public let thresholds: [Threshold.Outcome]
    /// Why, in one line, for the outcome: "2 of 3 --fail-if rules held: p99>100ms (measured 876.0ms
    /// (corrected)), ...", "every request failed to connect (connect: ...)".
    public let reason: String

    /// The verdict on `summary` under `rules`; `targetNames` (the run's targets' names, by index)
    /// resolves the rules that judge one target.
    public init(_ summary: Summary, thresholds rules: [Threshold], targetNames: [String?] = []) {
        thresholds = rules.map { $0.evaluate(summary, targetNames: targetNames) }
        let connectKinds: Set<TransferError.Kind> = [.connect, .dns]
        let failures = Self.failures(summary)
        let held = thresholds.filter(\.failed)
        if summary.interrupted, summary.stopFails {
            outcome = .failed
            reason = (summary.stopCause.map { "stopped: \($0); " } ?? "") + failures
        } else if summary.interrupted {
            outcome = .interrupted
            let never = summary.neverStarted.map { ", \($0) never started" } ?? ""
            reason = (summary.stopCause.map { "\($0): " } ?? "")
                + "\(summary.completed) of \(summary.requested.map(String.init) ?? "unlimited") requests "
                + "completed, \(summary.abandoned) in flight \(summary.abandoned == 1 ? "was" : "were") aborted\(never)"
        } else if summary.completed > 0, summary.errored == summary.completed,
                  Set(summary.errorCounts.keys).isSubset(of: connectKinds) {
            outcome = .unreachable
            let example = summary.errorCounts.sorted { $0.key < $1.key }.first.map { " (\($0.key.rawValue): \($0.value.example))" } ?? ""
            reason = "every request failed to connect\(example)"
        } else if summary.completed == 0 {
            outcome = .failed
            reason = "nothing completed" + (summary.abandoned > 0 ? ": \(summary.abandoned) request\(summary.abandoned == 1 ? "" : "s") in flight \(summary.abandoned == 1 ? "was" : "were") aborted" : "")
        } else if !held.isEmpty {
            outcome = .failed
            reason = "\(held.count) of \(thresholds.count) --fail-if \(thresholds.count == 1 ? "rule" : "rules") held: "
                + held.map { "\($0.threshold.text) (measured \($0.measuredText))" }.joined(separator: ", ")
                + (summary.loadShortfall.map { "; and the load asked for was not applied: " + $0 } ?? "")
        } else if let shortfall = summary.loadShortfall {
            outcome = .failed
            reason = shortfall
        } else if Self.unjudgedFailures(summary, rules: rules, targetNames: targetNames) > 0 {
            outcome = .failed
            let judgesSome = rules.contains(where: \.metric.judgesFailures)
            reason = failures + (rules.isEmpty ? "" : judgesSome
                ? "; no --fail-if rule judges the errors of every target that had them, so they fail the run"
                : "; no --fail-if rule judges errors or statuses, so any failed request fails the run")
        } else {
            outcome = .passed
            reason = rules.isEmpty ? "every request succeeded" : "no --fail-if rule held"
        }
    }

    /// The failed requests no rule judges: none when a rule on the run judges errors or
    /// statuses; otherwise those of the targets without an `errors` rule of their own.
    static func unjudgedFailures(_ summary: Summary, rules: [Threshold], targetNames: [String?]) -> Int {
        let judging = rules.filter(\.metric.judgesFailures)
        guard !judging.contains(where: { $0.target == nil }) else { return 0 }
        let judged = Set(judging.compactMap(\.target))
        var excused = 0
        for (index, tally) in summary.perTarget.enumerated()
        where index < targetNames.count && targetNames[index].map(judged.contains) == true {
            excused += tally.failed + tally.errored
        }
        return summary.unsuccessful - excused
    }

    /// "3 of 20 requests failed: 2 by status (500 ×2), 1 transport error (timeout ×1)".
    static func failures(_ summary: Summary) -> String {
        var parts: [String] = []
        if summary.failed > 0 {
            let statuses = summary.statusCounts.filter { $0.key >= 400 }.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }
            parts.append("\(summary.failed) by status (\(statuses.joined(separator: ", ")))")
        }
        let checks = summary.failedChecks
        if let tally = summary.errorCounts[.check] {
            parts.append("\(checks) failed check\(checks == 1 ? "" : "s") (e.g. \(tally.example))")
        }
        if summary.errored > checks {
            let transport = summary.errored - checks
            let kinds = summary.errorCounts.sorted { $0.key < $1.key }.filter { $0.key != .check }.map { "\($0.key.rawValue) ×\($0.value.count)" }
            parts.append("\(transport) transport error\(transport == 1 ? "" : "s") (\(kinds.joined(separator: ", ")))")
        }
        return "\(summary.unsuccessful) of \(summary.completed) requests failed: " + parts.joined(separator: ", ")
    }
}
