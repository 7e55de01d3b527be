/// Which target each request of a run goes to, for targets with weights: over every
/// `weights.reduce(0, +)` requests each target gets exactly its weight, interleaved as smoothly as
/// the weights allow (nginx's smooth weighted round-robin: 3:1 sends A A B A, not A A A B).
///
/// The target of a request depends on its index in the whole run alone, so shards (`--shard`),
/// each sending its stripe of the indices, together send exactly the whole run's mix.
public struct TargetMix: Sendable, Equatable {
    /// One turn of the mix, as target indices: its length is the sum of the weights, each divided
    /// by their greatest common divisor.
    public let cycle: [Int]

    /// The most requests one turn may hold (the weights reduced by their common divisor).
    public static let maximumCycle = 1_000_000

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case noTargets
        case weightNotPositive(target: Int, weight: Int)
        case cycleTooLong(Int)

        public var description: String {
            switch self {
            case .noTargets: "a mix needs at least one target"
            case .weightNotPositive(let target, let weight): "target \(target + 1) has weight \(weight): weights are whole numbers from 1"
            case .cycleTooLong(let total): "the weights add up to \(total) after reduction, above \(TargetMix.maximumCycle)"
            }
        }
    }

    /// The mix of targets with `weights` (by target index).
    public init(weights: [Int]) throws(Problem) {
        guard !weights.isEmpty else { throw .noTargets }
        if let bad = weights.firstIndex(where: { $0 < 1 }) { throw .weightNotPositive(target: bad, weight: weights[bad]) }
        let divisor = weights.reduce(0) { Self.gcd($0, $1) }
        let reduced = weights.map { $0 / divisor }
        let total = reduced.reduce(0, +)
        guard total <= Self.maximumCycle else { throw .cycleTooLong(total) }
        // Smooth weighted round-robin: each turn every target gains its weight, the richest is
        // chosen and pays the total.
        var current = Array(repeating: 0, count: reduced.count)
        var cycle: [Int] = []
        cycle.reserveCapacity(total)
        for _ in 0..<total {
            for index in current.indices { current[index] += reduced[index] }
            let chosen = current.indices.max { current[$0] < current[$1] || (current[$0] == current[$1] && $0 > $1) }!
            current[chosen] -= total
            cycle.append(chosen)
        }
        self.cycle = cycle
    }

    /// Equal weights: the targets in turn.
    public static func roundRobin(targets: Int) -> TargetMix {
        TargetMix(cycle: Array(0..<max(1, targets)))
    }

    private init(cycle: [Int]) {
        self.cycle = cycle
    }

    /// The target of the request at `index` in the whole run.
    public func target(at index: Int) -> Int {
        cycle[index % cycle.count]
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        b == 0 ? a : gcd(b, a % b)
    }
}
