#if canImport(Glibc)
import Glibc
#endif

/// A moving-block bootstrap over runs' intervals (`ComparedRun.Block`): each replicate draws, for
/// each side, its runs with replacement, then within each run enough blocks of `length`
/// consecutive intervals (with replacement, from every starting point) to cover the run, and adds
/// their histograms. The variation of a statistic across replicates is its sampling variation,
/// dependence within a block kept. Histograms add exactly; to add them cheaply each interval's is
/// first laid on one logarithmic grid of bins 0.2% wide (finer than a margin of a few %).
struct BlockBootstrap: Sendable {
    /// The statistics of one sample (the original, or a replicate).
    struct Statistics: Sendable, Equatable {
        /// The requested percentiles, in µs, in the order asked.
        var percentiles: [Double]
        /// Failed ÷ completed.
        var errorRate: Double
        /// Completed per second.
        var rate: Double
    }

    private struct SparseBlock: Sendable {
        var bins: [Int32]
        var counts: [UInt64]
        var completed: Int
        var errors: Int
        var seconds: Double
    }

    /// By side, by run, by interval.
    private let sides: [[[SparseBlock]]]
    private let lowest: Double
    private static let binRatio = 1.002
    private let binCount: Int
    /// Consecutive intervals per block: about n^(1/3) of a run of n, the usual choice.
    let length: [[Int]]

    init(sides runs: [[ComparedRun]]) {
        let values = runs.joined().flatMap(\.blocks).flatMap(\.latency).map(\.value)
        let low = Double(max(1, values.min() ?? 1)), high = Double(max(1, values.max() ?? 1))
        lowest = low
        binCount = Int((log(high / low) / log(Self.binRatio)).rounded(.down)) + 1
        let scale = 1 / log(Self.binRatio)
        sides = runs.map { side in
            side.map { run in
                run.blocks.map { block in
                    SparseBlock(bins: block.latency.map { Int32((log(Double(max(1, $0.value)) / low) * scale).rounded(.down)) },
                                counts: block.latency.map(\.count), completed: block.completed, errors: block.errors,
                                seconds: block.seconds)
                }
            }
        }
        length = sides.map { $0.map { max(1, Int(cbrt(Double($0.count)).rounded())) } }
    }

    /// The statistics of each side as measured: every run, every interval once.
    func observed(percentiles: [Double]) -> [Statistics] {
        var counts = [UInt64](repeating: 0, count: binCount)
        return sides.map { side in
            var totals = Totals()
            for run in side { for block in run { add(block, to: &counts, totals: &totals) } }
            return statistics(&counts, totals: totals, percentiles: percentiles)
        }
    }

    /// `count` replicates of each side's statistics, from `seed`: `[side][replicate]`.
    func replicates(_ count: Int, percentiles: [Double], seed: UInt64) -> [[Statistics]] {
        var random = SplitMix64(seed: seed)
        var counts = [UInt64](repeating: 0, count: binCount)
        var result = sides.map { _ in [Statistics]() }
        for _ in 0..<count {
            for (index, side) in sides.enumerated() {
                var totals = Totals()
                for _ in side.indices {
                    let pick = Int.random(in: 0..<side.count, using: &random)
                    let run = side[pick], span = length[index][pick]
                    let starts = run.count - span + 1
                    var drawn = 0
                    while drawn < run.count {
                        let start = Int.random(in: 0..<starts, using: &random)
                        for block in run[start..<(start + span)] { add(block, to: &counts, totals: &totals) }
                        drawn += span
                    }
                }
                result[index].append(statistics(&counts, totals: totals, percentiles: percentiles))
            }
        }
        return result
    }

    private struct Totals {
        var responses: UInt64 = 0
        var completed = 0
        var errors = 0
        var seconds = 0.0
    }

    private func add(_ block: SparseBlock, to counts: inout [UInt64], totals: inout Totals) {
        for index in block.bins.indices {
            counts[Int(block.bins[index])] += block.counts[index]
            totals.responses += block.counts[index]
        }
        totals.completed += block.completed
        totals.errors += block.errors
        totals.seconds += block.seconds
    }

    /// The statistics of the sample in `counts` and `totals`; clears `counts` for the next.
    private func statistics(_ counts: inout [UInt64], totals: Totals, percentiles: [Double]) -> Statistics {
        var values = [Double](repeating: 0, count: percentiles.count)
        let ranks = percentiles.map { max(1, UInt64((Double(totals.responses) * $0 / 100).rounded(.up))) }
        var seen: UInt64 = 0, next = 0
        let order = percentiles.indices.sorted { ranks[$0] < ranks[$1] }
        for bin in counts.indices where counts[bin] > 0 {
            seen += counts[bin]
            // A bin's value is its geometric middle.
            while next < order.count, ranks[order[next]] <= seen {
                values[order[next]] = lowest * pow(Self.binRatio, Double(bin) + 0.5)
                next += 1
            }
            counts[bin] = 0
        }
        return Statistics(percentiles: values, errorRate: totals.completed > 0 ? Double(totals.errors) / Double(totals.completed) : 0,
                          rate: totals.seconds > 0 ? Double(totals.completed) / totals.seconds : 0)
    }
}
