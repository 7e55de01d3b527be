import ArgumentParser
import Hit

/// Pass/fail rules for CI.
struct VerdictFlags: ParsableArguments {
    @Option(name: .customLong("fail-if"),
            help: ArgumentHelp("""
                Fail the run (exit 1) when METRIC OP VALUE holds; repeatable, or comma-separated. \
                Metrics: pN (p50, p99.9...), min, mean, max (with a unit: us, ms, s, m, h; 1m30s); errors (every request \
                that did not succeed: failed by status or a transport error), timeouts, statusNNN, statusNxx \
                (a count, or a share with %); rps. Operators: < <= > >= == !=. \
                Examples: 'p99>250ms', 'errors>1%', 'status5xx>0', 'rps<500'. \
                Failed requests fail the run unless a rule judges errors or statuses (errors, statusNNN, \
                statusNxx), which then decides. Under -rps, latency rules judge the corrected latency \
                (from each request's intended send time); 'uncorrected:p99>100ms' judges the latency as measured.
                """, valueName: "rule"))
    var failIf: [String] = []

    func thresholds() throws(UsageError) -> [Threshold] {
        var rules: [Threshold] = []
        for argument in failIf {
            do {
                rules += try Threshold.parseList(argument)
            } catch {
                throw UsageError("--fail-if \(error)")
            }
        }
        return rules
    }

    /// The rules, with those on one target checked against the run's `targets`.
    func thresholds(targets: [String?]) throws(UsageError) -> [Threshold] {
        let rules = try thresholds()
        do {
            try Threshold.check(rules, targets: targets)
        } catch {
            throw UsageError("--fail-if \(error)")
        }
        return rules
    }
}
