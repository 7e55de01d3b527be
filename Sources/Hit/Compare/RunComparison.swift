#if canImport(Glibc)
import Glibc
#endif

/// `hit compare`: is the new run (or runs) slower than the base? Each gated metric's change (new
/// ÷ base for percentiles and throughput, new − base for the error rate) gets a 90% interval from
/// a block bootstrap of the runs' timelines (`BlockBootstrap`), and is judged against its margin,
/// never against zero:
///
/// - **regressed** when the change is beyond the margin the worse way (the whole interval above
///   +margin for a percentile);
/// - **improved** when beyond it the better way;
/// - **equivalent** when within ±margin (two one-sided tests);
/// - **inconclusive** otherwise, with how much longer the runs would need to be.
///
/// Each claim is a one-sided test at α = 0.05, with Holm's correction across the gated metrics, so
/// the chance that a comparison of a service with itself reports any regression is at most 5%.
public struct RunComparison: Sendable {
    public enum Outcome: String, Sendable, Comparable {
        case regressed, inconclusive, improved, equivalent

        public static func < (a: Outcome, b: Outcome) -> Bool {
            [Outcome.regressed, .inconclusive, .improved, .equivalent].firstIndex(of: a)!
                < [Outcome.regressed, .inconclusive, .improved, .equivalent].firstIndex(of: b)!
        }
    }

    /// One gated metric.
    public struct GateResult: Sendable {
        public let gate: ComparisonGate
        /// As measured over every run of each side: µs for a percentile, a share for errors,
        /// requests per second for rps.
        public let base: Double
        public let new: Double
        /// new ÷ base − 1 (percentiles, rps), or new − base (errors).
        public let change: Double
        /// The change's 90% interval; `nil` when the runs are too short for the bootstrap.
        public let low: Double?
        public let high: Double?
        public let outcome: Outcome
        /// For an inconclusive one: how many times longer the runs would need to be to decide at
        /// this margin (the interval narrows with the square root of the intervals); `nil` when
        /// decided, or when no length would do (a change right at the margin).
        public let longerBy: Double?
    }

    /// A metric shown though not gated: as measured, with its change.
    public struct Ungated: Sendable {
        public let metric: ComparisonGate.Metric
        public let base: Double
        public let new: Double
        /// new ÷ base − 1, or new − base for errors.
        public var change: Double { metric == .errors ? new - base : base > 0 ? new / base - 1 : 0 }
    }

    /// How one quantile moved: the shift function, read at the deciles, p99 and p99.9.
    public struct Shift: Sendable {
        public let percentile: Double
        public let base: Double
        public let new: Double
        public var change: Double { base > 0 ? new / base - 1 : 0 }
    }

    /// A lasting step in the new run's p99, interval by interval (one change point).
    public struct Step: Sendable {
        /// From the run's start, in seconds.
        public let at: Double
        /// The p99 before and after, µs (medians of the intervals').
        public let before: Double
        public let after: Double
    }

    public let gates: [GateResult]
    /// p50, p90, p99, p99.9, errors and rps, those the gates leave out: every metric is shown.
    public let ungated: [Ungated]
    public let shift: [Shift]
    /// When the new run's p99 stepped, if it stepped by more than the p99 margin and a
    /// metric regressed.
    public let step: Step?
    /// Intervals in each run, base first.
    public let intervals: (base: [Int], new: [Int])
    /// The longest timeline interval of the runs, in seconds.
    public let interval: Double
    /// The fewest intervals a run needs for the bootstrap to say anything.
    public static let minimumIntervals = 8
    public static let alpha = 0.05
    public static let replicates = 2000

    /// The comparison's outcome: regressed if any gated metric regressed; else inconclusive if
    /// any is; else improved if any improved; else equivalent.
    public var outcome: Outcome { gates.map(\.outcome).min() ?? .equivalent }

    /// Compares `new` with `base` (each one or more runs of one configuration) on `gates`.
    /// `replicates` bootstrap samples from `seed`: the same runs give the same answer.
    public init(base: [ComparedRun], new: [ComparedRun], gates asked: [ComparisonGate] = ComparisonGate.defaults,
                replicates count: Int = RunComparison.replicates, seed: UInt64 = 0x6869_7421) {
        let percentiles = asked.compactMap { gate -> Double? in if case .percentile(let p) = gate.metric { p } else { nil } }
        let shiftPoints: [Double] = [10, 20, 30, 40, 50, 60, 70, 80, 90, 99, 99.9]
        let bootstrap = BlockBootstrap(sides: [base, new])
        let observed = bootstrap.observed(percentiles: percentiles + shiftPoints)
        shift = shiftPoints.enumerated().map { index, p in
            Shift(percentile: p, base: observed[0].percentiles[percentiles.count + index], new: observed[1].percentiles[percentiles.count + index])
        }
        let shown: [ComparisonGate.Metric] = [.percentile(50), .percentile(90), .percentile(99), .percentile(99.9), .errors, .rps]
        ungated = shown.filter { metric in !asked.contains { $0.metric == metric } }.map { metric in
            switch metric {
            case .percentile(let p):
                let index = percentiles.count + shiftPoints.firstIndex(of: p)!
                return Ungated(metric: metric, base: observed[0].percentiles[index], new: observed[1].percentiles[index])
            case .errors: return Ungated(metric: metric, base: observed[0].errorRate, new: observed[1].errorRate)
            case .rps: return Ungated(metric: metric, base: observed[0].rate, new: observed[1].rate)
            }
        }
        intervals = (base.map(\.blocks.count), new.map(\.blocks.count))
        interval = (base + new).map(\.interval).max() ?? 1
        let enough = (base + new).allSatisfy { $0.blocks.count >= Self.minimumIntervals }
        let replicates = enough ? bootstrap.replicates(count, percentiles: percentiles, seed: seed) : [[], []]

        let rows = Self.rows(asked, observed: observed, replicates: replicates)
        let results = Self.results(rows, replicates: count)
        gates = results
        let p99Margin = results.first { $0.gate.metric == .percentile(99) }?.gate.margin ?? 0.10
        step = results.contains { $0.outcome == .regressed } ? new.first.flatMap { Self.step(in: $0, margin: p99Margin) } : nil
    }

    /// A gate's change measured and its replicates, both written so that worse is positive.
    private typealias Row = (gate: ComparisonGate, base: Double, new: Double, change: Double, worse: [Double])

    /// Per gate: the change between the sides' observed statistics, and in each replicate.
    private static func rows(_ asked: [ComparisonGate], observed: [BlockBootstrap.Statistics],
                             replicates: [[BlockBootstrap.Statistics]]) -> [Row] {
        var rows: [Row] = []
        var percentileIndex = 0
        for gate in asked {
            let value: (BlockBootstrap.Statistics) -> Double
            switch gate.metric {
            case .percentile:
                let index = percentileIndex
                percentileIndex += 1
                value = { $0.percentiles[index] }
            case .errors: value = { $0.errorRate }
            case .rps: value = { $0.rate }
            }
            let change: (Double, Double) -> Double = gate.metric == .errors ? { $1 - $0 } : { $0 > 0 ? $1 / $0 - 1 : 0 }
            let sign = gate.metric == .rps ? -1.0 : 1.0
            let worse = zip(replicates[0], replicates[1]).map { sign * change(value($0), value($1)) }
            rows.append((gate, value(observed[0]), value(observed[1]), change(value(observed[0]), value(observed[1])), worse))
        }
        return rows
    }

    /// Each gate's outcome from its row: one-sided tests with Holm's correction across the gates,
    /// the change's 90% interval, and how much longer an inconclusive comparison needs to run.
    private static func results(_ rows: [Row], replicates count: Int) -> [GateResult] {
        // One-sided p-values of each claim, from the replicates (with the +1 that keeps them above 0).
        let b = Double(count)
        func share(_ worse: [Double], _ holds: (Double) -> Bool) -> Double {
            worse.isEmpty ? 1 : (Double(worse.filter(holds).count) + 1) / (b + 1)
        }
        let regressed = holm(rows.map { row in share(row.worse) { $0 <= row.gate.margin } })
        let improved = holm(rows.map { row in share(row.worse) { $0 >= -row.gate.margin } })
        let equivalent = holm(rows.map { row in
            max(share(row.worse) { $0 >= row.gate.margin }, share(row.worse) { $0 <= -row.gate.margin })
        })
        return rows.enumerated().map { index, row in
            let sign = row.gate.metric == .rps ? -1.0 : 1.0
            let sorted = row.worse.sorted()
            let worseLow = sorted.isEmpty ? 0 : sorted[Int(Double(sorted.count - 1) * 0.05)]
            let worseHigh = sorted.isEmpty ? 0 : sorted[Int(Double(sorted.count - 1) * 0.95)]
            let outcome: Outcome = regressed[index] ? .regressed : improved[index] ? .improved : equivalent[index] ? .equivalent : .inconclusive
            var longerBy: Double?
            if outcome == .inconclusive, !sorted.isEmpty {
                let center = sign * row.change, half = (worseHigh - worseLow) / 2, margin = row.gate.margin
                let room = abs(center) < margin ? margin - abs(center) : abs(center) - margin
                if room > half * 0.01 { longerBy = max(1, (half / room) * (half / room)) }
            }
            return GateResult(gate: row.gate, base: row.base, new: row.new, change: row.change,
                              low: sorted.isEmpty ? nil : sign > 0 ? worseLow : -worseHigh,
                              high: sorted.isEmpty ? nil : sign > 0 ? worseHigh : -worseLow,
                              outcome: outcome, longerBy: longerBy)
        }
    }

    /// Holm's step-down: which of `pValues` are rejected at `alpha`, the family's error held to it.
    static func holm(_ pValues: [Double], alpha: Double = RunComparison.alpha) -> [Bool] {
        var rejected = [Bool](repeating: false, count: pValues.count)
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        for (rank, index) in order.enumerated() {
            guard pValues[index] <= alpha / Double(pValues.count - rank) else { break }
            rejected[index] = true
        }
        return rejected
    }

    /// The one change point of `run`'s p99, interval by interval (intervals of 20 responses or
    /// more), where the mean of log p99 differs most between before and after, if the difference
    /// is clear (t ≥ 5) and larger than `margin`.
    static func step(in run: ComparedRun, margin: Double) -> Step? {
        var points: [(offset: Double, p99: Double)] = []
        for block in run.blocks {
            let total = block.latency.reduce(0) { $0 + $1.count }
            guard total >= 20 else { continue }
            let rank = UInt64((Double(total) * 0.99).rounded(.up))
            var seen: UInt64 = 0
            for bucket in block.latency {
                seen += bucket.count
                if seen >= rank { points.append((block.offset, Double(max(1, bucket.value)))); break }
            }
        }
        let n = points.count
        guard n >= 8 else { return nil }
        let logs = points.map { log($0.p99) }
        var best: (t: Double, split: Int) = (0, 0)
        for split in 3...(n - 3) {
            let before = logs[..<split], after = logs[split...]
            let meanBefore = before.reduce(0, +) / Double(before.count), meanAfter = after.reduce(0, +) / Double(after.count)
            let squares = before.reduce(0) { $0 + ($1 - meanBefore) * ($1 - meanBefore) }
                + after.reduce(0) { $0 + ($1 - meanAfter) * ($1 - meanAfter) }
            let spread = (squares / Double(n - 2)).squareRoot() * (1 / Double(before.count) + 1 / Double(after.count)).squareRoot()
            let t = abs(meanAfter - meanBefore) / max(spread, 1e-9)
            if t > best.t { best = (t, split) }
        }
        guard best.t >= 5 else { return nil }
        func median(_ values: ArraySlice<(offset: Double, p99: Double)>) -> Double {
            let sorted = values.map(\.p99).sorted()
            return sorted[sorted.count / 2]
        }
        let before = median(points[..<best.split]), after = median(points[best.split...])
        guard abs(after / before - 1) > margin else { return nil }
        return Step(at: points[best.split].offset, before: before, after: after)
    }
}
