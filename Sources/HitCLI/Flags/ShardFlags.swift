import ArgumentParser
import FoundationEssentials
import Hit

/// One run over several machines: --shard, --start-at.
struct ShardFlags: ParsableArguments {
    @Option(name: .customLong("shard"), parsing: .unconditional,
            help: ArgumentHelp("Be shard I (from 0) of N of one run spread over N processes: -n, -c, -rps and --stages describe "
                + "the whole run, and this process sends requests I, I+N, I+2N ... at the whole run's times. 'auto' reads "
                + "JOB_COMPLETION_INDEX with \(Shard.countVariable) (a Kubernetes Indexed Job), or SLURM_PROCID with "
                + "SLURM_NTASKS (Slurm). Merge the shards' JSON reports with 'hit merge'.", valueName: "I/N|auto"))
    var shard: String?

    @Option(name: .customLong("start-at"), parsing: .unconditional,
            help: ArgumentHelp("Start the schedule at this wall-clock instant, RFC 3339 (2026-11-22T13:00:00Z) or "
                + "@UNIX-SECONDS, so that shards on several machines start together. Requests due before hit is ready "
                + "go late, and hit says so.", valueName: "time"))
    var startAt: String?

    /// The shard these flags name, and the variables `auto` read.
    func shard(environment: [String: String]) throws(UsageError) -> (shard: Shard, source: Shard.Source?)? {
        guard let shard else { return nil }
        guard shard == "auto" else {
            do {
                return (try Shard.parse(shard), nil)
            } catch {
                throw UsageError("--shard \(error)" + (error.notIndexOverCount ? " or auto" : ""))
            }
        }
        do {
            let (found, source) = try Shard.fromEnvironment(environment)
            return (found, source)
        } catch {
            throw UsageError("--shard auto: \(error)")
        }
    }

    /// The most a start instant may lie ahead (or behind): further is a mistake, not a plan.
    static let furthest: Int64 = 24 * 3600 * 1_000_000_000

    /// `--start-at` in nanoseconds since 1970.
    func startInstant(now: Int64) throws(UsageError) -> Int64? {
        guard let startAt else { return nil }
        guard let instant = WallClock.parseInstant(startAt) else {
            throw UsageError("--start-at '\(UsageError.escaped(startAt))' is not a time: use RFC 3339 "
                + "(2026-11-22T13:00:00Z) or @UNIX-SECONDS")
        }
        guard abs(instant - now) <= Self.furthest else {
            throw UsageError("--start-at \(startAt) is more than 24 hours \(instant > now ? "away" : "ago")")
        }
        return instant
    }
}
