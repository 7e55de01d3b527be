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
            help: ArgumentHelp("Number of workers sending at once (at most -n; default 1, or --connections × --streams). Under -rps or "
                + "--stages, the most requests in flight: workers are used as requests fall due and none is free (default: the peak "
                + "rate × 1s, at least 10, at most 1000)."))
    var concurrency: Int?

    @Option(name: .customLong("connections"), parsing: .unconditional,
            help: ArgumentHelp("With -h2: the most connections to each origin, as h2load's -c (default: as many as -c needs, "
                + "each filled up to the stream limit before another opens).", valueName: "n"))
    var connections: Int?

    @Option(name: .customLong("streams"), parsing: .unconditional,
            help: ArgumentHelp("With -h2: the most requests at once on one connection, as h2load's -m (default: the server's limit).",
                               valueName: "n"))
    var streams: Int?

    @Option(name: [.customLong("rps", withSingleDash: true), .customLong("rps")], parsing: .unconditional,
            help: ArgumentHelp("Requests per second in total, across all workers, not per worker (default: no limit).", valueName: "rate"),
            transform: DecimalArgument.double)
    var rps: Double?

    @Option(name: [.customShort("z"), .customLong("duration")], parsing: .unconditional,
            help: ArgumentHelp("Run for this long, e.g. 500ms, 10s, 1m30s; with -n, stop at whichever comes first. "
                + "Requests in flight at the deadline are aborted and not counted.", valueName: "duration"))
    var duration: String?

    @Option(name: .customLong("stages"), parsing: .unconditional,
            help: ArgumentHelp("Arrival-rate stages, DURATION:RATE,...: each moves the rate linearly from where the last ended "
                + "(the first from -rps, or 0) to RATE requests/s over DURATION, e.g. 30s:1000,2m:1000,30s:0. They end the run "
                + "(-n caps it, -z cuts it off). -c caps the requests in flight (default: the peak rate × 1s, at least 10, at most 1000): a request "
                + "due while every worker is busy waits and is counted late; one still waiting when the stages end is dropped, "
                + "never sent, and counted as dropped.", valueName: "stages"))
    var stages: String?

    @Option(name: .customLong("ramp-up"), parsing: .unconditional,
            help: ArgumentHelp("Start the -c workers evenly over this time instead of all at once (without -rps or --stages).",
                               valueName: "duration"))
    var rampUp: String?

    @Option(name: .customLong("loops"), parsing: .unconditional,
            help: ArgumentHelp("Event-loop threads driving the workers (default: one per 256 workers up to one per core).", valueName: "n"))
    var loops: Int?

    /// The options these flags describe, their numbers checked as given (the whole is checked once
    /// the shard, the start and the interval are set: `validate`); `--connections` and `--streams`
    /// go into `client`, whose HTTP version must be set already.
    /// Without -c, each of `shards` processes gets one worker.
    func options(client: inout ClientOptions, shards: Int = 1) throws(UsageError) -> Options {
        for (flag, value) in [("--connections", connections), ("--streams", streams)] {
            guard let value else { continue }
            guard client.httpVersion.multiplexes else {
                throw UsageError("\(flag) needs -h2 or -h3: over HTTP/1.1 each request in flight has a connection of its own, so -c bounds the connections")
            }
            guard value > 0 else { throw UsageError("\(flag) must be a positive whole number, not \(value)") }
            guard value <= Options.maximumConcurrency else {
                throw UsageError("\(flag) \(value) is more than \(Options.maximumConcurrency)")
            }
        }
        if let connections, let streams {
            let most = connections.multipliedReportingOverflow(by: streams)
            if let given = self.concurrency {
                if !most.overflow, given > most.partialValue {
                    throw UsageError("-c \(given) is more than --connections \(connections) × --streams \(streams) = "
                        + "\(most.partialValue) requests at once")
                }
            } else {
                guard !most.overflow, most.partialValue <= Options.maximumConcurrency else {
                    throw UsageError("--connections \(connections) × --streams \(streams) is more than "
                        + "\(Options.maximumConcurrency) requests at once")
                }
            }
        }
        client.connectionsPerOrigin = connections
        client.streamsPerConnection = streams
        let runFor = try duration.map { text throws(UsageError) in try UsageError.duration(text, flag: "-z", examples: "500ms, 10s, 1m30s") }
        var stageList: [Stage] = []
        if let stages {
            guard !stages.trimmingWhitespace().isEmpty else {
                throw UsageError("--stages is empty: give DURATION:RATE steps, e.g. 30s:100,1m:100,30s:0")
            }
            do {
                stageList = try Stage.parseList(stages)
            } catch {
                throw UsageError("--stages: \(error)")
            }
        }
        let rampUpTime = try rampUp.map { text throws(UsageError) in try UsageError.duration(text, flag: "--ramp-up", examples: "10s, 1m") }
        let total = requests ?? (runFor == nil && stageList.isEmpty ? 100 : nil)
        // The count given, or 1 until the numbers given are checked: the default derives from them.
        var options = Options(requests: total, concurrency: self.concurrency ?? 1, rate: rps,
                              duration: runFor, loops: loops)
        options.stages = stageList
        options.rampUp = rampUpTime
        // The numbers as given first: the default workers and the requests derive from the rate.
        do {
            try options.validateGiven()
        } catch {
            throw UsageError(error.usageMessage)
        }
        options.concurrency = self.concurrency ?? Workers.byDefault(requests: options.totalRequestLimit, peakRate: options.schedule?.peakRate,
                                                                     connections: connections, streams: streams, shards: shards)
        return options
    }

    /// Checks `options` as a whole, once they are complete, worded for these flags.
    func validate(_ options: Options) throws(UsageError) {
        do {
            try options.validate()
        } catch .concurrencyAboveRequests(let c, let n) where requests == nil {
            throw UsageError("-c \(c) is more than -n \(n), the default: give -n, or -z for a run of some time")
        } catch {
            throw UsageError(error.usageMessage)
        }
    }
}
