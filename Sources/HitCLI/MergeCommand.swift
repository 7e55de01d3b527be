import ArgumentParser
import Hit

/// `hit merge SHARD.json...`: the report of a run spread over several processes (`--shard I/N`),
/// from its shards' JSON reports: counters and histograms added, timelines aligned, the rules
/// judged on the whole.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the JSON reports of a run's shards (--shard I/N) into the run's report.",
        usage: "hit merge <shard.json>... [--partial] [--unsynchronized] [-o text|json] [--fail-if <rule>] [--json-file <path>] [--html <path>]",
        discussion: """
            Counters and HdrHistograms add up exactly (percentiles are never averaged), timelines are aligned \
            on the wall clock, and the --fail-if rules judge the merged run, with a run's exit statuses. \
            Reports of different runs (their configuration digests differ), a shard given twice and missing \
            shards are refused (exit 64); --partial merges an incomplete set, and the report says which shards it lacks. \
            Shards that started further apart on the wall clock than half the timeline's interval (at most 1s) did not \
            run together (no shared --start-at) and are refused too; --unsynchronized merges them, and the report says \
            how far apart they started.
            """
    )

    @Argument(help: ArgumentHelp("JSON reports written by hit --shard I/N (-o json or --json-file); merged reports too.",
                                 valueName: "shard.json"))
    var inputs: [String] = []

    @Flag(name: .customLong("partial"), help: "Merge even when shards are missing; the report marks the merge as partial.")
    var partial = false

    @Flag(name: .customLong("unsynchronized"),
          help: ArgumentHelp("Merge even shards that started further apart than half an interval (at most 1s) on the "
              + "wall clock, as shards without a shared --start-at do; the report says how far apart they started."))
    var unsynchronized = false

    @OptionGroup(title: "Input") var input_: ReportInputFlags
    @OptionGroup(title: "Output") var output: OutputFlags
    @OptionGroup(title: "Verdict") var verdict: VerdictFlags

    /// The merge of the inputs, or the one line that says why not.
    func merge(raw: RawArguments) throws(UsageError) -> ShardMerge {
        guard !inputs.isEmpty else { throw UsageError("missing the shards' JSON reports to merge") }
        if output.format == .csv || output.csvFile != nil { throw UsageError("a merge has no rows: -o csv and --csv-file do not apply") }
        if output.interval != nil { throw UsageError("a merge keeps the shards' intervals: --interval does not apply") }
        var reports: [(name: String, report: JSONReport)] = []
        let limit = try input_.limit()
        for input in inputs {
            reports.append((UsageError.escaped(input), try ReportCommand.read(input, flag: "", raw: raw, command: "hit merge", limit: limit)))
        }
        do {
            try JSONReport.checkSameRun(reports)
        } catch {
            throw UsageError(error.description)
        }
        if let first = reports.first { _ = try verdict.thresholds(targets: first.report.configuration.targets.map(\.name)) }
        do {
            return try ShardMerge(reports, allowPartial: partial, allowUnsynchronized: unsynchronized)
        } catch {
            throw UsageError(error.description)
        }
    }
}
