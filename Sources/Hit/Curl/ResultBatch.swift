/// The results an event loop has not yet handed to the aggregator. They go in batches: a wake-up
/// of the aggregator per result would cost more than the request itself. A batch is due once
/// `flushCount` results wait, or `flushDelay` after the first one's transfer was handed off.
struct ResultBatch {
    static let flushCount = 256
    static let flushDelay: UInt64 = 10_000_000

    private(set) var results: [RequestResult] = []
    /// When the first result's transfer was handed off (uptime nanoseconds).
    private(set) var since: UInt64 = 0

    var isEmpty: Bool { results.isEmpty }

    /// Adds `result`, whose transfer was handed off at `handedOff`.
    mutating func append(_ result: RequestResult, handedOff: UInt64) {
        if results.isEmpty { since = handedOff }
        results.append(result)
    }

    /// Whether the batch should go now.
    func isDue(now: UInt64) -> Bool {
        !results.isEmpty && (results.count >= Self.flushCount || now &- since >= Self.flushDelay)
    }

    /// How long a poll may sleep before the batch is due: at least 1 ms, at most `limit`.
    func millisecondsUntilDue(now: UInt64, limit: Int32 = 1000) -> Int32 {
        guard !results.isEmpty else { return limit }
        let age = now &- since
        return age >= Self.flushDelay ? 1 : max(1, min(limit, Int32((Self.flushDelay - age) / 1_000_000)))
    }

    mutating func removeAll() {
        results.removeAll(keepingCapacity: true)
    }
}
