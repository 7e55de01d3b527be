/// The shards of a run spread over several processes that a summary covers: one shard's own
/// results, or several merged by `hit merge`.
public struct ShardCoverage: Sendable, Equatable {
    /// How many shards the run has.
    public var count: Int
    /// The shards covered, in increasing order.
    public var covered: [Int]
    /// A digest of the run's configuration that every shard of one run shares.
    public var configurationHash: String

    public init(count: Int, covered: [Int], configurationHash: String) {
        self.count = count
        self.covered = covered.sorted()
        self.configurationHash = configurationHash
    }

    /// The shards not covered: a merge of a partial set (`hit merge --partial`) lacks them.
    public var missing: [Int] {
        let have = Set(covered)
        return (0..<Swift.max(count, 0)).filter { !have.contains($0) }
    }

    /// Whether every shard is covered.
    public var isComplete: Bool { missing.isEmpty }

    /// "shard 1 of 3", "3 of 3 shards merged", "2 of 3 shards merged (PARTIAL: shard 1 missing)".
    public var description: String {
        if covered.count == 1, count > 1 { return "shard \(covered[0]) of \(count) (\(covered[0])/\(count))" }
        let merged = "\(covered.count) of \(count) shards merged"
        guard !isComplete else { return merged }
        let missing = self.missing
        let list = missing.prefix(10).map(String.init).joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
        return merged + " (PARTIAL: shard\(missing.count == 1 ? "" : "s") \(list) missing)"
    }
}
