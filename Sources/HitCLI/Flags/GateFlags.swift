import ArgumentParser
import Hit

/// What a comparison with a baseline gates, and what an inconclusive one exits with: for `hit
/// compare`, and for a run given `--baseline`.
struct GateFlags: ParsableArguments {
    @Option(name: .customLong("gate"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("A metric to gate against the baseline and its margin: p99:+5%, p50:+3%, errors:+0.1pp, rps:-5%; "
                + "repeatable. The gates given replace the defaults (p50:+5%, p99:+10%, errors:+1pp); every metric is still shown.",
                valueName: "metric:margin"))
    var gates: [String] = []

    @Option(name: .customLong("inconclusive"),
            help: ArgumentHelp("The exit status of an inconclusive comparison: fail (3, the default) or pass (0).", valueName: "pass|fail"))
    var inconclusive = "fail"

    /// The gates: those given, else the defaults.
    func parsedGates() throws(UsageError) -> [ComparisonGate] {
        guard !gates.isEmpty else { return ComparisonGate.defaults }
        var parsed: [ComparisonGate] = []
        for text in gates {
            let gate: ComparisonGate
            do {
                gate = try ComparisonGate(parsing: text)
            } catch {
                throw UsageError("--gate \(error.description)")
            }
            if parsed.contains(where: { $0.metric == gate.metric }) { throw UsageError("--gate: \(gate.metric.name) is gated twice") }
            parsed.append(gate)
        }
        return parsed
    }

    /// Whether an inconclusive comparison passes.
    func passesInconclusive() throws(UsageError) -> Bool {
        switch inconclusive {
        case "pass": return true
        case "fail": return false
        default: throw UsageError("--inconclusive '\(UsageError.escaped(inconclusive))' is not pass or fail")
        }
    }
}
