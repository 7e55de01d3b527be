import Dispatch
import Synchronization

/// A load test: what to send and how. The library's entry point, usable without the CLI:
///
///     let test = LoadTest(request: Request(url: "http://127.0.0.1:8080/"),
///                         options: Options(requests: 1000, concurrency: 10, rate: 50))
///     let summary = try test.run(cancellation: CancellationToken())
///     print(TextReport(summary))
public struct LoadTest: Sendable {
    /// The requests to send, round-robin: request i goes to target i % targets.count.
    public var targets: [Request]
    public var options: Options
    public var client: ClientOptions

    public init(targets: [Request], options: Options, client: ClientOptions = ClientOptions()) {
        self.targets = targets
        self.options = options
        self.client = client
    }

    public init(request: Request, options: Options, client: ClientOptions = ClientOptions()) {
        self.init(targets: [request], options: options, client: client)
    }

    /// Runs the pipeline and aggregates its results on this thread until every request has
    /// ended, the duration is over, or `cancellation` fires. Returns once every stage has
    /// returned: nothing is left running. `onResult` sees each result as it arrives.
    public func run(
        cancellation: CancellationToken = CancellationToken(),
        onResult: (RequestResult) -> Void = { _ in }
    ) throws(SetupError) -> Summary {
        // The pipeline stops on either the caller's cancellation or the deadline.
        let stop = CancellationToken()
        let forward = cancellation.onCancel { stop.cancel() }
        defer { cancellation.removeHandler(forward) }
        let pipeline = try Pipeline(targets: targets, options: options, client: client, cancellation: stop)
        // The duration counts from the run's origin, on the schedule's clock.
        let deadlineReached = DeadlineFlag()
        var deadline: (any DispatchSourceTimer)?
        if let duration = options.duration {
            let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "hit.deadline"))
            timer.schedule(deadline: pipeline.runStart + .nanoseconds(Int(duration.nanoseconds)), leeway: .microseconds(100))
            timer.setEventHandler {
                deadlineReached.set()
                stop.cancel()
            }
            timer.resume()
            deadline = timer
        }
        defer { deadline?.cancel() }

        var summary = Summary(requested: options.requests, targets: targets.count, rate: options.rate)
        // One clock (CLOCK_MONOTONIC) and one origin for the whole run: the pipeline's.
        summary.startUptimeNanoseconds = pipeline.runStart.uptimeNanoseconds
        pipeline.aggregate(into: &summary, onResult: onResult)
        pipeline.wait()
        summary.duration = .nanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - pipeline.runStart.uptimeNanoseconds))
        summary.started = pipeline.started
        summary.abandoned = pipeline.abandoned
        summary.retried = pipeline.retried
        summary.interrupted = cancellation.isCancelled && !deadlineReached.isSet
            && summary.completed < (summary.requested ?? .max)
        summary.deadlineReached = deadlineReached.isSet
        if let rate = options.rate, let duration = options.duration, summary.deadlineReached {
            // Requests due by the deadline that no worker was free to send: dropped, and charged in
            // corrected latency from when they were due to the end of the run.
            let due = min(options.requests ?? .max, Int(min(duration.seconds * rate, 1e15).rounded(.down)) + 1)
            let dropped = due - summary.started
            if dropped > 0 {
                let firstDue = Double(summary.started) / rate
                summary.recordDropped(count: dropped, firstOverdue: Duration(secondsValue: max(0, summary.duration.seconds - firstDue)) ?? .zero,
                                      rate: rate)
            }
        }
        summary.scrubErrorExamples(of: Redaction.secrets(of: self))
        return summary
    }
}

/// Whether the run's deadline fired (and not the caller's cancellation).
private final class DeadlineFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .releasing) }
    var isSet: Bool { flag.load(ordering: .acquiring) }
}
