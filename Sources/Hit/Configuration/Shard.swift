/// One of several processes that together send one run (`--shard I/N`), each on its own machine.
///
/// The run's plan is global: request *j* of the whole run (due at the global schedule's time for
/// *j*) belongs to shard *j* mod *N*, as k6's execution segments stripe iterations. So the shards
/// together replay the single-machine schedule exactly, `-n` splits exactly (the shares add up to
/// it), and `-c` splits into shares that differ by at most one.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// From 0.
    public let index: Int
    public let count: Int

    /// The most shards a run may have.
    public static let maximumCount = 100_000

    public init(index: Int, count: Int) throws(ParseError) {
        guard count >= 1 else { throw ParseError(description: "\(index)/\(count): the count must be at least 1") }
        guard count <= Self.maximumCount else {
            throw ParseError(description: "\(index)/\(count): the count is above \(Self.maximumCount)")
        }
        guard (0..<count).contains(index) else {
            throw ParseError(description: "\(index)/\(count): the index runs from 0 to \(count - 1)")
        }
        self.index = index
        self.count = count
    }

    /// The whole run, in one process: shard 0 of 1.
    public static let whole = Shard(uncheckedIndex: 0, count: 1)

    private init(uncheckedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// `1/3`.
    public var description: String { "\(index)/\(count)" }

    /// The whole run's index of this shard's `local`-th request.
    public func globalIndex(_ local: Int) -> Int { index + local * count }

    /// This shard's part of `total` requests striped over the shards: those of 0..<total whose
    /// index is congruent to `index` modulo `count`.
    public func share(of total: Int) -> Int {
        total > index ? (total - index - 1) / count + 1 : 0
    }

    /// This shard's part of `total` workers: shares that differ by at most one and add up to it.
    public func workers(of total: Int) -> Int {
        total / count + (index < total % count ? 1 : 0)
    }

    /// Why a shard cannot be read.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let description: String
        /// Whether the text was not `I/N` at all (rather than a shard out of range).
        public var notIndexOverCount = false
    }

    /// Reads `I/N`.
    public static func parse(_ text: String) throws(ParseError) -> Shard {
        let fields = text.split(separator: "/", omittingEmptySubsequences: false)
        guard fields.count == 2, let index = Int(fields[0]), let count = Int(fields[1]) else {
            throw ParseError(description: "'\(text)' is not I/N (shard I from 0 of N, e.g. 0/3)", notIndexOverCount: true)
        }
        return try Shard(index: index, count: count)
    }

    /// Where `fromEnvironment` found a shard: the variables it read.
    public struct Source: Sendable, Equatable, CustomStringConvertible {
        public let indexVariable: String
        public let countVariable: String
        public var description: String { "\(indexVariable) and \(countVariable)" }
    }

    /// The variable that carries the shard count next to Kubernetes' `JOB_COMPLETION_INDEX`: an
    /// Indexed Job does not tell its pods how many completions it has, so its manifest sets this.
    public static let countVariable = "HIT_SHARD_COUNT"

    /// The shard an engine's environment gives (`--shard auto`): Kubernetes' Indexed Job
    /// (`JOB_COMPLETION_INDEX`, with `HIT_SHARD_COUNT` from the manifest), else Slurm's
    /// `SLURM_PROCID` and `SLURM_NTASKS`.
    public static func fromEnvironment(_ environment: [String: String]) throws(ParseError) -> (Shard, Source) {
        let engines = [("JOB_COMPLETION_INDEX", countVariable), ("SLURM_PROCID", "SLURM_NTASKS")]
        for (indexName, countName) in engines {
            guard let indexText = environment[indexName] else { continue }
            guard let countText = environment[countName] else {
                throw ParseError(description: "\(indexName) is set but \(countName) is not: "
                    + (indexName == "JOB_COMPLETION_INDEX" ? "set \(countName) to the Job's completions in its manifest" : "run under srun"))
            }
            guard let index = Int(indexText.trimmingWhitespace()), let count = Int(countText.trimmingWhitespace()) else {
                throw ParseError(description: "\(indexName)='\(indexText)' and \(countName)='\(countText)' are not whole numbers")
            }
            do {
                return (try Shard(index: index, count: count), Source(indexVariable: indexName, countVariable: countName))
            } catch {
                throw ParseError(description: "\(indexName)=\(index), \(countName)=\(count): "
                    + error.description.drop { $0 != ":" }.dropFirst().trimmingWhitespace())
            }
        }
        throw ParseError(description: "neither JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) nor SLURM_PROCID (Slurm) is set: name the shard as I/N")
    }
}
