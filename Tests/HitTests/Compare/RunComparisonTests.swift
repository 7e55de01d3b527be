#if canImport(Glibc)
import Glibc
#endif
@testable import Hit
import Testing

/// The statistics of `hit compare`, on runs made up here: known distributions, known changes.
@Suite struct RunComparisonTests {
    /// A run of `intervals` blocks of `perInterval` requests, each latency drawn by `latency` (µs)
    /// from a generator seeded by `seed`; `errorShare` of the requests fail.
    static func run(_ name: String = "run", intervals: Int = 40, perInterval: Int = 200, seed: UInt64,
                    errorShare: Double = 0, latency: (inout SplitMix64, Int) -> Double) -> ComparedRun {
        var random = SplitMix64(seed: seed)
        var blocks: [ComparedRun.Block] = []
        for index in 0..<intervals {
            var histogram = LatencyHistogram()
            var errors = 0
            for _ in 0..<perInterval {
                histogram.record(.microseconds(Int64(latency(&random, index).rounded())))
                if Double.random(in: 0..<1, using: &random) < errorShare { errors += 1 }
            }
            let buckets = histogram.sparseCounts.map { HdrHistogramV2.Bucket(value: $0[0], count: $0[1]) }
            blocks.append(.init(offset: Double(index), seconds: 1, completed: perInterval, errors: errors, latency: buckets))
        }
        return ComparedRun(name: name, blocks: blocks, interval: 1)
    }

    /// Uniform between `low` and `high` µs.
    static func uniform(_ low: Double, _ high: Double) -> (inout SplitMix64, Int) -> Double {
        { random, _ in Double.random(in: low..<high, using: &random) }
    }

    /// A service of 5 ms ± 1 ms whose slowest `tailShare` take `tail` µs more.
    static func service(scale: Double = 1, tailShare: Double = 0, tail: Double = 0) -> (inout SplitMix64, Int) -> Double {
        { random, _ in
            let base = Double.random(in: 4000..<6000, using: &random) * scale
            return Double.random(in: 0..<1, using: &random) < tailShare ? base + tail : base
        }
    }

    func outcome(of comparison: RunComparison, _ metric: ComparisonGate.Metric) -> RunComparison.Outcome? {
        comparison.gates.first { $0.gate.metric == metric }?.outcome
    }

    @Test func aServiceComparedWithItselfIsEquivalent() {
        let comparison = RunComparison(base: [Self.run(seed: 1, latency: Self.service())], new: [Self.run(seed: 2, latency: Self.service())])
        #expect(comparison.gates.map(\.outcome) == [.equivalent, .equivalent, .equivalent])
        #expect(comparison.outcome == .equivalent)
        #expect(comparison.step == nil)
        for gate in comparison.gates where gate.gate.metric != .errors {
            #expect(gate.low! <= gate.change && gate.change <= gate.high!, "\(gate)")
            #expect(abs(gate.change) < gate.gate.margin)
        }
    }

    /// Over many pairs of one service, a regression is reported at most as often as α says.
    @Test func falseAlarmsStayWithinAlpha() {
        var alarms = 0
        let pairs = 40
        for pair in 0..<pairs {
            let base = Self.run(intervals: 20, perInterval: 100, seed: UInt64(2 * pair + 100), latency: Self.service())
            let new = Self.run(intervals: 20, perInterval: 100, seed: UInt64(2 * pair + 101), latency: Self.service())
            let comparison = RunComparison(base: [base], new: [new], gates: [ComparisonGate(.percentile(50), margin: 0.0),
                                                                             ComparisonGate(.percentile(99), margin: 0.0)],
                                           replicates: 400, seed: UInt64(pair))
            if comparison.outcome == .regressed { alarms += 1 }
        }
        // With margins of 0 every pair is a test of "no change at all": α = 0.05 allows 2 of 40;
        // 4 leaves room for the bootstrap's own error on 20 intervals.
        #expect(alarms <= 4, "\(alarms) false alarms in \(pairs) pairs")
    }

    @Test func aTailOnlyChangeIsCaughtOnP99AndNotOnP50() {
        let base = Self.run(seed: 3, latency: Self.service())
        let new = Self.run(seed: 4, latency: Self.service(tailShare: 0.03, tail: 40_000))
        let comparison = RunComparison(base: [base], new: [new])
        #expect(outcome(of: comparison, .percentile(99)) == .regressed)
        #expect(outcome(of: comparison, .percentile(50)) == .equivalent)
        #expect(comparison.outcome == .regressed)
        // The shift function says where: nothing moved below p90, p99 moved by ~40 ms.
        let shift = Dictionary(uniqueKeysWithValues: comparison.shift.map { ($0.percentile, $0.change) })
        #expect(abs(shift[50]!) < 0.03 && abs(shift[90]!) < 0.03)
        #expect(shift[99]! > 5)
    }

    @Test func aShiftOfTheMedianIsCaught() {
        let comparison = RunComparison(base: [Self.run(seed: 5, latency: Self.service())],
                                       new: [Self.run(seed: 6, latency: Self.service(scale: 1.5))])
        #expect(outcome(of: comparison, .percentile(50)) == .regressed)
        let p50 = comparison.gates[0]
        #expect(abs(p50.change - 0.5) < 0.03, "\(p50.change)")
        #expect(p50.low! > 0.05)
    }

    @Test func aFasterBuildIsImproved() {
        let comparison = RunComparison(base: [Self.run(seed: 7, latency: Self.service())],
                                       new: [Self.run(seed: 8, latency: Self.service(scale: 0.7))])
        #expect(outcome(of: comparison, .percentile(50)) == .improved)
        #expect(outcome(of: comparison, .percentile(99)) == .improved)
        #expect(comparison.outcome == .improved)
    }

    @Test func moreErrorsAndLessThroughputAreRegressions() {
        let base = Self.run(seed: 9, errorShare: 0.001, latency: Self.service())
        let failing = Self.run(seed: 10, errorShare: 0.05, latency: Self.service())
        let errors = RunComparison(base: [base], new: [failing])
        #expect(outcome(of: errors, .errors) == .regressed)
        // Fewer requests a second: each interval completed 150 of the base's 200.
        let slower = Self.run(perInterval: 150, seed: 11, latency: Self.service())
        let rps = RunComparison(base: [base], new: [slower], gates: [ComparisonGate(.rps, margin: 0.05)])
        #expect(rps.gates[0].outcome == .regressed)
        #expect(abs(rps.gates[0].change + 0.25) < 1e-9)
    }

    /// Short, noisy runs with a 5% change: neither within nor beyond the margin, and how much
    /// longer the runs would need to be.
    @Test func shortRunsAreInconclusiveWithTheLengthTheyWouldNeed() {
        let noisy: (Double) -> (inout SplitMix64, Int) -> Double = { scale in
            { random, _ in Double.random(in: 1000..<9000, using: &random) * scale }
        }
        let comparison = RunComparison(base: [Self.run(intervals: 10, perInterval: 5, seed: 12, latency: noisy(1))],
                                       new: [Self.run(intervals: 10, perInterval: 5, seed: 13, latency: noisy(1.05))],
                                       gates: [ComparisonGate(.percentile(50), margin: 0.10)])
        #expect(comparison.outcome == .inconclusive)
        let longer = comparison.gates[0].longerBy
        #expect((longer ?? 0) > 2, "\(String(describing: longer))")
        // Fewer intervals than the bootstrap needs: inconclusive, whatever the data say.
        let tiny = RunComparison(base: [Self.run(intervals: 3, seed: 14, latency: Self.service())],
                                 new: [Self.run(intervals: 3, seed: 15, latency: Self.service(scale: 2))])
        #expect(tiny.outcome == .inconclusive)
        #expect(ComparisonReport(tiny, base: ["a"], new: ["b"], corrected: false).reason.contains("needs at least 8 per run"))
    }

    /// For independent requests the bootstrap's interval of an error-rate difference matches the
    /// analytic one, 2 × 1.645 × √(p(1−p)/n₁ + p(1−p)/n₂), and that of a median ratio of uniform
    /// latencies matches the sample median's asymptotic spread, (b − a) / (2√n) each. A block
    /// bootstrap's interval is itself an estimate (from some 30 blocks of 6 intervals here), so the
    /// widths are averaged over four pairs of runs.
    @Test func theIntervalMatchesTheAnalyticOneForIndependentData() {
        var errorRatios: [Double] = [], medianRatios: [Double] = []
        for pair in 0..<4 {
            let base = Self.run(intervals: 200, perInterval: 100, seed: UInt64(60 + 2 * pair), errorShare: 0.1, latency: Self.uniform(1000, 3000))
            let new = Self.run(intervals: 200, perInterval: 100, seed: UInt64(61 + 2 * pair), errorShare: 0.1, latency: Self.uniform(1000, 3000))
            let comparison = RunComparison(base: [base], new: [new], gates: [ComparisonGate(.errors, margin: 0.01), ComparisonGate(.percentile(50), margin: 0.05)],
                                           replicates: 1000, seed: UInt64(pair))
            let n = 200.0 * 100
            let analyticErrors = 2 * 1.645 * (2 * 0.1 * 0.9 / n).squareRoot()
            errorRatios.append((comparison.gates[0].high! - comparison.gates[0].low!) / analyticErrors)
            let spread = 2000 / (2 * n.squareRoot()) / 2000  // relative to the median, 2000 µs
            let analyticMedian = 2 * 1.645 * (2 * spread * spread).squareRoot()
            medianRatios.append((comparison.gates[1].high! - comparison.gates[1].low!) / analyticMedian)
        }
        let errors = errorRatios.reduce(0, +) / 4, median = medianRatios.reduce(0, +) / 4
        #expect(abs(errors - 1) < 0.15, "the error rate's interval is \(errors) times the analytic one: \(errorRatios)")
        #expect(abs(median - 1) < 0.15, "the median's interval is \(median) times the analytic one: \(medianRatios)")
    }

    @Test func severalRunsPerSideAreResampledAsRuns() {
        let bases = (0..<3).map { Self.run("base\($0)", seed: UInt64(20 + $0), latency: Self.service()) }
        let news = (0..<3).map { Self.run("new\($0)", seed: UInt64(30 + $0), latency: Self.service(scale: 1.3)) }
        let comparison = RunComparison(base: bases, new: news)
        #expect(comparison.intervals.base == [40, 40, 40])
        #expect(outcome(of: comparison, .percentile(50)) == .regressed)
    }

    @Test func aStepInTheNewRunsP99IsFound() {
        let base = Self.run(intervals: 60, seed: 40, latency: Self.service())
        let stepped: (inout SplitMix64, Int) -> Double = { random, index in
            let value = Double.random(in: 4000..<6000, using: &random)
            return index >= 31 && Double.random(in: 0..<1, using: &random) < 0.05 ? value + 30_000 : value
        }
        let comparison = RunComparison(base: [base], new: [Self.run(intervals: 60, seed: 41, latency: stepped)])
        #expect(comparison.outcome == .regressed)
        let step = comparison.step
        #expect(step?.at == 31)
        #expect((step?.after ?? 0) > 3 * (step?.before ?? 1))
    }

    /// The gates given replace the defaults, and every metric is still shown.
    @Test func theMetricsNotGatedAreShown() {
        let comparison = RunComparison(base: [Self.run(seed: 50, latency: Self.service())],
                                       new: [Self.run(seed: 51, latency: Self.service(scale: 1.2))],
                                       gates: [ComparisonGate(.percentile(99), margin: 0.5)])
        #expect(comparison.gates.map(\.gate.metric) == [.percentile(99)])
        #expect(comparison.ungated.map(\.metric) == [.percentile(50), .percentile(90), .percentile(99.9), .errors, .rps])
        let p50 = comparison.ungated[0]
        #expect(abs(p50.change - 0.2) < 0.02, "\(p50.change)")
        #expect(comparison.ungated[4].base == 200 && comparison.ungated[4].new == 200)
        let text = ComparisonReport(comparison, base: ["a"], new: ["b"], corrected: false).text
        #expect(text.contains("Not gated:\n  metric"))
        #expect(text.contains("rps     200.0/s  200.0/s"), "\(text)")
    }

    @Test func holmRejectsStepByStep() {
        // m = 3: the smallest against α/3, the next against α/2, the last against α.
        #expect(RunComparison.holm([0.01, 0.04, 0.02]) == [true, true, true])
        #expect(RunComparison.holm([0.01, 0.04, 0.03]) == [true, false, false])
        #expect(RunComparison.holm([0.02, 0.04, 0.03]) == [false, false, false])
        #expect(RunComparison.holm([0.001, 0.2, 0.024]) == [true, false, true])
    }
}
