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
                (from each request's intended send time); 'uncorrected:p99>100ms' judges the latency as measured. \
                A target's name first judges that target alone: 'login:p99>100ms' (pN, min, mean, max, errors, rps).
                """, valueName: "rule"))
    var failIf: [String] = []

    @Option(name: .customLong("expect-status"),
            help: ArgumentHelp("""
                The statuses a response must have to succeed, e.g. '200,201,3xx' (default: below 400); \
                any other fails it as the error kind 'check'.
                """, valueName: "list"))
    var expectStatus: String?

    @Option(name: .customLong("expect-body"),
            help: ArgumentHelp("""
                A POSIX extended regular expression (as grep -E) that the first 64 KiB of each body, decoded, \
                must match; a response that does not fails as the error kind 'check'.
                """, valueName: "regex"))
    var expectBody: String?

    /// The response checks, or `nil` without any.
    func checks() throws(UsageError) -> ResponseChecks? {
        guard expectStatus != nil || expectBody != nil else { return nil }
        do {
            _ = try ResponseChecks(statuses: expectStatus)
        } catch {
            throw UsageError("--expect-status: \(error)")
        }
        do {
            return try ResponseChecks(statuses: expectStatus, bodyPattern: expectBody)
        } catch {
            throw UsageError("--expect-body: \(error)")
        }
    }

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
