/// Whether a run passed, for a CI step to act on without parsing text.
///
/// Without rules, the run fails when any request failed. With rules (`--fail-if`), the rules alone
/// decide. Whatever the rules, an interrupted run is `interrupted`, and a run in which every
/// request failed to connect (refused, DNS) is `unreachable`: a broken deploy, not a slow one.
public struct Verdict: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        case passed, failed, unreachable, interrupted
    }

    public let outcome: Outcome
    /// Each rule with what it measured; empty without rules.
    public let thresholds: [Threshold.Outcome]

    public init(_ summary: Summary, thresholds rules: [Threshold]) {
        thresholds = rules.map { $0.evaluate(summary) }
        let connectKinds: Set<TransferError.Kind> = [.connect, .dns]
        if summary.interrupted {
            outcome = .interrupted
        } else if summary.completed > 0, summary.errored == summary.completed,
                  Set(summary.errorCounts.keys).isSubset(of: connectKinds) {
            outcome = .unreachable
        } else if rules.isEmpty {
            outcome = summary.allSucceeded ? .passed : .failed
        } else {
            outcome = thresholds.contains(where: \.failed) ? .failed : .passed
        }
    }
}
