#if canImport(Glibc)
import Glibc
#endif

/// How hard hit itself worked during a run, so that a report can say when the load generator, not
/// the server, set the pace: no peer says so, and users read the generator's ceiling as the
/// server's.
public struct GeneratorLoad: Sendable, Equatable {
    /// Each event loop's busy share of its running time, from 0 to 1: the time its thread ran or
    /// waited in the run queue to run (a loop starved of CPU by other processes is as much the
    /// limit as one that uses all of its own), less the time it spun waiting for paced requests'
    /// due times, over the loop's wall time. A loop that ran less than `shortestMeasured` is not listed: over
    /// a few milliseconds its share is start-up (its thread, libcurl's handles, the first
    /// connections), which says nothing of what limited a throughput.
    public var loopBusy: [Double]
    /// CPU seconds the process used, user and system.
    public var cpuSeconds: Double
    /// The process's peak resident memory, in bytes.
    public var peakResidentBytes: Int
    /// Under a CPU quota (a container's CPU limit), the share of the quota's periods in which the
    /// kernel stopped hit for having used its share, from 0 to 1; `nil` without a quota. A
    /// throttled thread neither runs nor waits to run, so this is what `loopBusy` cannot see.
    public var quotaThrottled: Double?

    public init(loopBusy: [Double], cpuSeconds: Double, peakResidentBytes: Int, quotaThrottled: Double? = nil) {
        self.loopBusy = loopBusy
        self.cpuSeconds = cpuSeconds
        self.peakResidentBytes = peakResidentBytes
        self.quotaThrottled = quotaThrottled
    }

    /// From this share of a loop's time on, the loop was saturated: requests waited for it.
    public static let saturatedAt = 0.9

    /// The shortest running time over which a loop's busy share is measured (see `loopBusy`).
    public static let shortestMeasured: Duration = .milliseconds(100)

    /// From this share of a CPU quota's periods on, hit was throttled: each throttled period
    /// stops every thread of hit for the rest of the period (100 ms by default), in the middle of
    /// the requests it times.
    public static let throttledAt = 0.1

    /// Whether a CPU quota throttled hit in a tenth of its periods or more.
    public var throttled: Bool { (quotaThrottled ?? 0) >= Self.throttledAt }

    /// The busiest loop's share.
    public var busiestLoop: Double { loopBusy.max() ?? 0 }

    /// Whether a loop was saturated: the run's throughput is then hit's limit as much as the
    /// server's.
    public var saturated: Bool { busiestLoop >= Self.saturatedAt || throttled }

    /// "hit's 2 event loops were 97% busy: …", for a saturated run; `nil` otherwise.
    public var limitNote: String? {
        if throttled, let share = quotaThrottled {
            return "hit's CPU quota stopped it in \(Int((share * 100).rounded()))% of the quota's periods: this throughput "
                + "and these latencies are hit's limit as much as the server's; raise the quota or add shards"
        }
        guard saturated else { return nil }
        let loops = loopBusy.count == 1 ? "hit's event loop was" : "hit's \(loopBusy.count) event loops were up to"
        return "\(loops) \(Int((busiestLoop * 100).rounded()))% busy: this throughput is hit's limit as much as the "
            + "server's; add --loops, cores or shards"
    }

    /// Adds another process's figures (a shard of the same run). The loops are kept busiest
    /// first, so that the order of the shards does not change the merge.
    public mutating func merge(_ other: GeneratorLoad) {
        loopBusy = (loopBusy + other.loopBusy).sorted(by: >)
        // Rounded to the nanosecond, so that a sum of three parts does not depend on their order
        // in its last bit (0.1 + 0.2 + 0.3 is not 0.3 + 0.2 + 0.1 in binary).
        cpuSeconds = ((cpuSeconds + other.cpuSeconds) * 1e9).rounded() / 1e9
        peakResidentBytes = Swift.max(peakResidentBytes, other.peakResidentBytes)
        if let theirs = other.quotaThrottled { quotaThrottled = Swift.max(quotaThrottled ?? 0, theirs) }
    }

    /// This process's CPU seconds and peak resident memory so far, with `loopBusy`.
    /// `quota`: the CPU quotas' periods as the run started.
    static func measured(loopBusy: [Double], quotaSince quota: CPUQuotaThrottling) -> GeneratorLoad {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return GeneratorLoad(loopBusy: loopBusy, cpuSeconds: ProcessCPU.used().seconds, peakResidentBytes: Int(usage.ru_maxrss) * 1024,
                             quotaThrottled: CPUQuotaThrottling.now().throttledShare(since: quota))
    }
}
