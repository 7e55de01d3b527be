/// A load test: what to send and how. The library's entry point, usable without the CLI:
///
///     let test = LoadTest(request: Request(url: "http://127.0.0.1:8080/"),
///                         options: Options(requests: 1000, concurrency: 10, rate: 50))
///     let summary = try test.run(cancellation: CancellationToken())
///     print(TextReport(summary))
public struct LoadTest: Sendable {
    public var request: Request
    public var options: Options

    public init(request: Request, options: Options) {
        self.request = request
        self.options = options
    }

    /// Runs the pipeline and aggregates its results on this thread until every request has
    /// ended or `cancellation` fires. Returns once every stage has returned: nothing is left
    /// running. `onResult` sees each result as it arrives.
    public func run(
        cancellation: CancellationToken = CancellationToken(),
        onResult: (RequestResult) -> Void = { _ in }
    ) throws(SetupError) -> Summary {
        let clock = ContinuousClock()
        let start = clock.now
        let pipeline = try Pipeline(request: request, options: options, cancellation: cancellation)
        var summary = Summary(requested: options.requests)
        // The aggregate stage: it keeps receiving until the dispatch stage closes the channel, so
        // results that completed before a cancel are kept.
        while let result = pipeline.results.receive(cancellation: nil) {
            summary.record(result)
            onResult(result)
        }
        pipeline.wait()
        summary.duration = start.duration(to: clock.now)
        summary.started = pipeline.started
        summary.abandoned = pipeline.abandoned
        summary.interrupted = cancellation.isCancelled && summary.completed < summary.requested
        return summary
    }
}
