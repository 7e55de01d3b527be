import ArgumentParser
import Hit

/// `--baseline BASE.json`: the run compared, as it ends, with a saved run, as `hit compare` does.
struct BaselineFlags: ParsableArguments {
    @Option(name: .customLong("baseline"),
            help: ArgumentHelp("Compare the run, as it ends, with this JSON report of an earlier run of the same "
                + "configuration, as hit compare does (--gate, --inconclusive); when the run itself passes, the exit "
                + "status is the comparison's: 1 regressed, 3 inconclusive.", valueName: "base.json"))
    var baseline: String?

    @OptionGroup(title: "Gates") var gating: GateFlags

    /// A baseline read and found comparable before anything is sent.
    struct Baseline {
        let name: String
        let report: JSONReport
        let gates: [ComparisonGate]
        let inconclusivePasses: Bool
    }

    /// The baseline, read and held against `configuration` (the run's): a file that cannot be read
    /// is a usage error (64); one that is not a report of hit's, or not comparable, `NotComparable` (65).
    func read(raw: RawArguments, configuration: RunConfiguration) throws -> Baseline? {
        let gates = try gating.parsedGates(), passes = try gating.passesInconclusive()
        guard let baseline else {
            if !gating.gates.isEmpty || gating.inconclusive != "fail" { throw UsageError("--gate and --inconclusive need --baseline") }
            return nil
        }
        let body = try ReportCommand.body(baseline, flag: "--baseline", raw: raw, command: "hit", limit: ReportInputFlags.defaultLimit)
        let report: JSONReport
        do {
            report = try ReportCommand.decode(body.contents, name: ReportCommand.name(of: baseline), command: "hit")
        } catch {
            throw NotComparable(message: "--baseline: " + error.message)
        }
        let name = UsageError.escaped(baseline)
        if let difference = Comparability.difference(report.configuration, configuration) {
            throw NotComparable(message: "--baseline \(name) is not comparable with this run: \(difference)")
        }
        if let unfit = Comparability.unfit(report) {
            throw NotComparable(message: "--baseline \(name) cannot be compared: \(unfit); its latencies describe hit, not the server")
        }
        return Baseline(name: name, report: report, gates: gates, inconclusivePasses: passes)
    }
}

/// Runs or reports that cannot be compared, or a file that is not a run's report of hit's: one
/// line on stderr, and 65.
struct NotComparable: Error {
    let message: String
}
