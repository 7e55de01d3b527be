/// How many workers a run has when no count is given (`Options.concurrency` set by its caller), and
/// for each step of a capacity search: the one home of the worker count's defaults and bounds. A
/// shard's share of a count is `Shard.workers(of:)`, read through `Options.workers`.
public enum Workers {
    /// The workers of a run of `shards` processes when no count was given: as many requests as
    /// `connections` × `streams` carry at once when both are given (HTTP/2); for a paced run
    /// (`peakRate`), enough for responses of up to a second at the peak, at least 10 and at most
    /// 1000 per process; else one per process. Never more than `requests`, the run's limit, if
    /// it has one (nor fewer than a worker per process, when the limit allows).
    ///
    /// A worker that no request needs costs an idle easy handle: workers are taken as requests
    /// fall due, the one freed last first, so a light load uses (and connects) few of them.
    public static func byDefault(requests: Int?, peakRate: Double?, connections: Int? = nil, streams: Int? = nil,
                                 shards: Int = 1) -> Int {
        var count = shards
        if let connections, let streams {
            let product = connections.multipliedReportingOverflow(by: streams)
            count = product.overflow ? Options.maximumConcurrency : min(product.partialValue, Options.maximumConcurrency)
        } else if let peakRate, peakRate.isFinite, peakRate > 0 {
            count = paced(peakRate: peakRate, shards: shards)
        }
        guard let requests, requests > 0 else { return count }
        return max(min(count, requests), min(shards, requests))
    }

    /// A paced run's workers: the peak rate × 1 s, from `minimumPaced` to `maximumPaced` per process.
    static func paced(peakRate: Double, shards: Int) -> Int {
        let perSecond = Int(min(peakRate, Double(maximumPaced * shards)).rounded(.up))
        return max(shards, min(maximumPaced * shards, max(minimumPaced * shards, perSecond)))
    }

    static let minimumPaced = 10
    static let maximumPaced = 1000

    /// The workers of a capacity-search step at `rate` when a response takes `latency` (at least
    /// 50 ms is assumed): twice what Little's law asks, at least 8, at most `maximumForSearch`.
    public static func forSearchStep(rate: Double, latency: Duration?) -> Int {
        let seconds = max(0.05, latency?.seconds ?? 0)
        return min(maximumForSearch, max(8, Int((rate * seconds * 2).rounded(.up))))
    }

    /// The most workers a capacity search gives a step.
    public static let maximumForSearch = 4096
}
