import ArgumentParser
import Hit

/// How much load: -n, -c, -rps, -z.
struct LoadFlags: ParsableArguments {
    // `.unconditional` takes the next word as the value even when it starts with a dash, so that
    // `-n -5` is refused as a negative count rather than as a missing value.
    @Option(name: [.customShort("n"), .customLong("requests")], parsing: .unconditional,
            help: "Number of requests to send (default: 100, or no limit with -z).")
    var requests: Int?

    @Option(name: [.customShort("c"), .customLong("concurrency")], parsing: .unconditional,
            help: "Number of workers sending at once (at most -n).")
    var concurrency = 1

    @Option(name: [.customLong("rps", withSingleDash: true), .customLong("rps")], parsing: .unconditional,
            help: ArgumentHelp("Requests per second in total, across all workers, not per worker (default: no limit).", valueName: "rate"))
    var rps: Double?

    @Option(name: [.customShort("z"), .customLong("duration")], parsing: .unconditional,
            help: ArgumentHelp("Run for this long, e.g. 500ms, 10s, 1m30s; with -n, stop at whichever comes first. "
                + "Requests in flight at the deadline are aborted and not counted.", valueName: "duration"))
    var duration: String?

    @Option(name: .customLong("loops"), parsing: .unconditional,
            help: ArgumentHelp("Event-loop threads driving the workers (default: one per 256 workers, at most one per core).", valueName: "n"))
    var loops: Int?

    func options() throws(UsageError) -> Options {
        var runFor: Duration?
        if let duration {
            guard let parsed = Duration(parsing: duration) else {
                throw UsageError("-z '\(duration)' is not a duration: use a number with a unit, e.g. 500ms, 10s, 1m30s")
            }
            runFor = parsed
        }
        let options = Options(requests: requests ?? (runFor == nil ? 100 : nil), concurrency: concurrency, rate: rps, duration: runFor, loops: loops)
        do {
            try options.validate()
        } catch {
            throw UsageError(error.description)
        }
        return options
    }
}
