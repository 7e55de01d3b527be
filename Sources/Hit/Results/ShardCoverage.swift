/// The shards of a run spread over several processes that a summary covers: one shard's own
/// results, or several merged by `hit merge`.
public struct ShardCoverage: Sendable, Equatable {
    /// How many shards the run has.
    public var count: Int
    /// The shards covered, in increasing order.
    public var covered: [Int]
    /// A digest of the run's configuration that every shard of one run shares.
    public var configurationHash: String
    /// How far apart on the wall clock the shards covered started: zero for one shard, and for
    /// shards that shared a `--start-at`.
    public var startsApart: Duration
    /// Whether they started further apart than a merge lines timelines up across
    /// (`hit merge --unsynchronized`).
    public var unsynchronized: Bool

    public init(count: Int, covered: [Int], configurationHash: String, startsApart: Duration = .zero, unsynchronized: Bool = false) {
        self.count = count
        self.covered = covered.sorted()
        self.configurationHash = configurationHash
        self.startsApart = startsApart
        self.unsynchronized = unsynchronized
    }

    /// The shards not covered: a merge of a partial set (`hit merge --partial`) lacks them.
    public var missing: [Int] {
        let have = Set(covered)
        return (0..<Swift.max(count, 0)).filter { !have.contains($0) }
    }

    /// Whether every shard is covered.
    public var isComplete: Bool { missing.isEmpty }

    /// "shard 1 of 3", "3 of 3 shards merged", "2 of 3 shards merged (PARTIAL: shard 1 missing)",
    /// "3 of 3 shards merged (UNSYNCHRONIZED: started 5.02s apart)".
    public var description: String {
        if covered.count == 1, count > 1 { return "shard \(covered[0]) of \(count) (\(covered[0])/\(count))" }
        var merged = "\(covered.count) of \(count) shards merged"
        if !isComplete {
            let missing = self.missing
            let list = missing.prefix(10).map(String.init).joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
            merged += " (PARTIAL: shard\(missing.count == 1 ? "" : "s") \(list) missing)"
        }
        if unsynchronized { merged += " (UNSYNCHRONIZED: started \(Formatting.duration(startsApart)) apart)" }
        return merged
    }
}
