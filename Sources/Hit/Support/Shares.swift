/// One total shared out: workers over event loops, connections over loops, anything over shards.
/// The parts always add up to the total exactly.
enum Shares {
    /// Splits `total` into `parts` shares that differ by at most one.
    static func split(_ total: Int, into parts: Int) -> [Int] {
        (0..<parts).map { total / parts + ($0 < total % parts ? 1 : 0) }
    }

    /// Splits `total` in proportion to `weights`: part i gets ⌊total·W(i+1)/W⌋ − ⌊total·W(i)/W⌋,
    /// W(i) being the sum of the first i weights, so the parts add up to `total` exactly.
    static func split(_ total: Int, proportionally weights: [Int]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard sum > 0 else { return split(total, into: weights.count) }
        var before = 0, shares: [Int] = []
        for weight in weights {
            let start = Int((Double(total) * Double(before) / Double(sum)).rounded(.down))
            before += weight
            let end = Int((Double(total) * Double(before) / Double(sum)).rounded(.down))
            shares.append(end - start)
        }
        return shares
    }
}
