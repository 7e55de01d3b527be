@testable import Hit
import Testing

/// The library words a run's problems in its own terms; the command names its flags.
@Suite struct OptionsProblemTests {
    static let problems: [Options.Problem] = [
        .requestsNotPositive(0), .concurrencyNotPositive(0), .concurrencyAboveRequests(concurrency: 5, requests: 2),
        .rateNotPositive(0), .durationNotPositive, .unbounded, .loopsNotPositive(0), .concurrencyTooHigh(1 << 30),
        .loopsTooMany(1 << 20), .rateTooLow(1e-9), .rateTooHigh(1e12), .intervalOutOfRange(.milliseconds(1)),
        .stagesScheduleNothing, .rampUpWithRate, .rampUpNotPositive, .fewerWorkersThanShards(concurrency: 1, shards: 2),
        .fewerRequestsThanShards(requests: 1, shards: 2),
    ]

    @Test(arguments: problems)
    func namesNoFlag(problem: Options.Problem) {
        let words = problem.description.split(separator: " ")
        #expect(!words.contains { $0.hasPrefix("-") }, "\(problem.description)")
        #expect(!problem.description.isEmpty)
    }
}
