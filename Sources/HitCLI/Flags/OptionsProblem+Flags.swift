import Hit

extension Options.Problem {
    /// The problem worded for the command line: named by the flags that gave the numbers.
    var usageMessage: String {
        switch self {
        case .requestsNotPositive(let n): "-n must be a positive whole number, not \(n)"
        case .concurrencyNotPositive(let c): "-c must be a positive whole number, not \(c)"
        case .concurrencyAboveRequests(let c, let n): "-c \(c) is more than -n \(n): there would be more workers than requests"
        case .rateNotPositive(let r): "-rps must be a positive, finite number, not \(Self.plain(r)) (leave -rps out for no limit)"
        case .durationNotPositive: "-z must be a positive duration"
        case .unbounded: "a run needs -n or -z to end"
        case .loopsNotPositive(let l): "--loops must be a positive whole number, not \(l)"
        case .concurrencyTooHigh(let c): "-c \(c) is more than \(Options.maximumConcurrency) workers"
        case .loopsTooMany(let l): "--loops \(l) is more than \(Options.maximumLoops) event loops"
        case .rateTooHigh(let r):
            "-rps \(Self.plain(r)) is above \(Int(Options.maximumRate)) requests per second, far beyond what one machine sends"
        case .stagesScheduleNothing: "--stages schedule no request: every rate is 0"
        case .rampUpWithRate: "--ramp-up starts workers gradually (closed model); with -rps or --stages the rate sets the pace"
        case .rampUpNotPositive: "--ramp-up must be a positive duration"
        case .fewerWorkersThanShards(let c, let n): "-c \(c) is fewer workers than the \(n) shards: every shard needs one"
        case .fewerRequestsThanShards(let r, let n): "the run's \(r) requests are fewer than its \(n) shards: a shard would send nothing"
        case .intervalOutOfRange(let i): "--interval \(Formatting.duration(i)) is not from 10ms to 1h"
        case .rateTooLow(let r):
            "-rps \(Self.plain(r)) is below one request a day (\(String(cFormat: "%.6f", Options.minimumRate)) per second)"
        }
    }

}
