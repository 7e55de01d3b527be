import ArgumentParser
import Hit

/// `--find-max` and its settings.
struct FindMaxFlags: ParsableArguments {
    @Flag(name: .customLong("find-max"),
          help: ArgumentHelp("Search for the highest rate the server keeps up with while every --fail-if rule passes: steps "
              + "at a constant rate, doubled until one fails, then bisected. A step passes when hit sent at least 95% of the "
              + "asked rate, the requests in flight grew by at most 2% of those sent, and the rules pass. Prints the latency–throughput curve and the answer; exit 0 when a rate "
              + "passed, 1 when even the first failed. Starts at -rps (default 10/s); -c fixes the workers (default: sized "
              + "for each step)."))
    var findMax = false

    @Option(name: .customLong("find-max-step"), parsing: .unconditional,
            help: ArgumentHelp("How long each step measures, after its warm-up (default 5s).", valueName: "duration"))
    var step: String?

    @Option(name: .customLong("find-max-warm-up"), parsing: .unconditional,
            help: ArgumentHelp("The start of each step whose results are discarded (default 1s).", valueName: "duration"))
    var warmUp: String?

    @Option(name: .customLong("find-max-rate"), parsing: .unconditional,
            help: ArgumentHelp("The highest rate to try, requests/s (default 100000).", valueName: "rate"),
            transform: DecimalArgument.double)
    var maximumRate: Double?

    @Option(name: .customLong("find-max-time"), parsing: .unconditional,
            help: ArgumentHelp("The longest the whole search may take (default 10m).", valueName: "duration"))
    var timeLimit: String?

    @Option(name: .customLong("find-max-resolution"), parsing: .unconditional,
            help: ArgumentHelp("Stop when the last pass and the first fail are this close, in percent of the pass (default 5%).",
                               valueName: "percent"))
    var resolution: String?

    /// Whether any of the settings was given without `--find-max`.
    var settingsWithoutSearch: Bool {
        !findMax && (step != nil || warmUp != nil || maximumRate != nil || timeLimit != nil || resolution != nil)
    }

    /// A search writes its curve as text, JSON (`-o json`, `--json-file`) and HTML (`--html`); the
    /// per-request and per-interval outputs of a run do not apply to it.
    func checkOutputs(_ output: OutputFlags) throws(UsageError) {
        var refused: [String] = []
        if output.format == .csv { refused.append("-o csv") }
        if output.csvFile != nil { refused.append("--csv-file") }
        if output.hlogFile != nil { refused.append("--hlog") }
        if output.hgrmFile != nil { refused.append("--hgrm") }
        if output.interval != nil { refused.append("--interval") }
        guard !refused.isEmpty else { return }
        throw UsageError("--find-max writes its curve as text, JSON (-o json, --json-file) or HTML (--html): "
            + refused.joined(separator: ", ") + (refused.count == 1 ? " does" : " do") + " not apply")
    }

    /// The search these flags describe, over `test`'s targets and client, judged by `thresholds`.
    func search(for test: LoadTest, thresholds: [Threshold], load: LoadFlags) throws(UsageError) -> CapacitySearch {
        for (flag, given) in [("-n", load.requests != nil), ("-z", load.duration != nil), ("--stages", load.stages != nil),
                              ("--ramp-up", load.rampUp != nil)] where given {
            throw UsageError("--find-max runs steps of --find-max-step at constant rates: \(flag) does not apply")
        }
        if test.options.shard != nil || test.options.startAt != nil {
            throw UsageError("--find-max searches from one machine: --shard and --start-at do not apply")
        }
        var search = CapacitySearch(targets: test.targets, client: test.client, thresholds: thresholds)
        search.startRate = test.options.rate ?? search.startRate
        search.concurrency = load.concurrency
        search.interval = test.options.interval
        if let maximumRate { search.maximumRate = maximumRate }
        if let step { search.step = try Self.duration(step, "--find-max-step") }
        if let warmUp { search.warmUp = try Self.duration(warmUp, "--find-max-warm-up") }
        if let timeLimit { search.timeLimit = try Self.duration(timeLimit, "--find-max-time") }
        if let resolution {
            let number = resolution.hasSuffix("%") ? String(resolution.dropLast()) : resolution
            guard let percent = Double(decimal: number), percent.isFinite else {
                throw UsageError("--find-max-resolution '\(resolution)' is not a percentage, e.g. 5%")
            }
            search.resolution = percent / 100
        }
        do {
            try search.validate()
        } catch .noRules {
            throw UsageError("--find-max needs --fail-if rules: the service level to keep, e.g. --fail-if 'p99>50ms,errors>1%'")
        } catch {
            throw UsageError("--find-max: \(error)")
        }
        return search
    }

    private static func duration(_ text: String, _ flag: String) throws(UsageError) -> Duration {
        try UsageError.duration(text, flag: flag, examples: "5s, 1m")
    }
}
