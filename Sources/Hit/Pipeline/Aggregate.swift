extension Pipeline {
    /// The most results the aggregate stage takes from the channel at once.
    static let batchLimit = 256

    /// Stage 4, aggregate, on the caller's thread: records every result into `summary` until the
    /// dispatch stage closes the results channel, so results that completed before a stop are
    /// kept. `onResult` sees each result as it arrives.
    func aggregate(into summary: inout Summary, onResult: (RequestResult) -> Void) {
        var batch: [RequestResult] = []
        batch.reserveCapacity(Self.batchLimit)
        while results.receive(into: &batch, limit: Self.batchLimit, cancellation: nil) {
            for result in batch {
                summary.record(result)
                onResult(result)
            }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
