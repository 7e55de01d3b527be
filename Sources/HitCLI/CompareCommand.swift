import ArgumentParser
import Hit

/// `hit compare BASE.json NEW.json` (or `BASE... -- NEW...` for repeated runs): is the new run
/// slower than the base? A regression gate for CI, with statistics that hold for load tests
/// (`RunComparison`).
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare a run with a baseline: regressed, equivalent, improved or inconclusive, per gated metric.",
        usage: "hit compare <base.json> <new.json> [--gate <metric:margin>]... [--inconclusive pass|fail] [-o text|json|markdown]\n"
            + "       hit compare <base.json>... -- <new.json>...",
        discussion: """
            Each gated metric's change gets a 90% interval from a block bootstrap of the runs' timelines (intervals \
            resampled in blocks, several runs per side resampled first), and is judged against its margin: regressed \
            when beyond it the worse way, improved when beyond it the better way, equivalent when within it, \
            inconclusive otherwise (with how much longer the runs would need to be). α = 0.05, Holm's correction across \
            the gates. Runs that asked for different requests or loads, or that did not keep their schedule, are refused.

            EXIT STATUS
              0    no gated metric regressed (each equivalent or improved)
              1    a gated metric regressed
              3    inconclusive (0 with --inconclusive pass)
              64   usage error
              65   not comparable (another target, load, body or HTTP version; a run that
                   fell behind its schedule), or a file that is not a report of hit's
            """
    )

    @Argument(help: ArgumentHelp("JSON reports of runs (-o json, --json-file, hit merge): the base, then the new run; "
        + "several per side as BASE... -- NEW...", valueName: "report.json"))
    var inputs: [String] = []

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("text (default), json or markdown (a table for a pull request).", valueName: "format"))
    var format = "text"

    @OptionGroup(title: "Gates") var gating: GateFlags
    @OptionGroup(title: "Input") var input_: ReportInputFlags

    enum Format: String { case text, json, markdown }

    func parsedFormat() throws(UsageError) -> Format {
        guard let format = Format(rawValue: format) else { throw UsageError("-o '\(UsageError.escaped(format))' is not text, json or markdown") }
        return format
    }

    /// The base's files and the new run's: `A B`, or `A... -- B...` (`arguments` as given, for
    /// where `--` was).
    func sides(arguments: [String]) throws(UsageError) -> (base: [String], new: [String]) {
        if let separator = arguments.firstIndex(of: "--") {
            let newCount = arguments.count - separator - 1
            let base = Array(inputs.dropLast(newCount)), new = Array(inputs.suffix(newCount))
            guard !base.isEmpty, !new.isEmpty else { throw UsageError("give at least one report on each side of --: BASE... -- NEW...") }
            return (base, new)
        }
        guard inputs.count == 2 else {
            throw UsageError(inputs.count < 2 ? "missing the reports to compare: BASE.json NEW.json"
                : "\(inputs.count) reports: give two (BASE.json NEW.json), or several per side as BASE... -- NEW...")
        }
        return ([inputs[0]], [inputs[1]])
    }
}
