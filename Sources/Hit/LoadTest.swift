import Dispatch
import FoundationEssentials
import Synchronization

/// A load test: what to send and how. The library's entry point, usable without the CLI:
///
///     let test = LoadTest(request: Request(url: "http://127.0.0.1:8080/"),
///                         options: Options(requests: 1000, concurrency: 10, rate: 50))
///     let summary = try test.run(cancellation: CancellationToken())
///     print(TextReport(summary))
public struct LoadTest: Sendable {
    /// The requests to send, in turn as their weights ask (see `TargetMix`): with weights all 1,
    /// request i goes to target i % targets.count.
    public var targets: [Request]
    public var options: Options
    public var client: ClientOptions

    public init(targets: [Request], options: Options, client: ClientOptions = ClientOptions()) {
        self.targets = targets
        self.options = options
        self.client = client
    }

    /// The connection settings this process runs with: a shard's share of `--connections`, as of
    /// `-c`, so that the shards together open no more than the run asks for.
    var processClient: ClientOptions {
        var client = self.client
        if let shard = options.shard, let connections = client.connectionsPerOrigin {
            client.connectionsPerOrigin = Swift.max(1, shard.workers(of: connections))
        }
        return client
    }

    public init(request: Request, options: Options, client: ClientOptions = ClientOptions()) {
        self.init(targets: [request], options: options, client: client)
    }

    /// Runs the pipeline and aggregates its results on this thread until every request has
    /// ended, the duration is over, or `cancellation` fires. Returns once every stage has
    /// returned: nothing is left running. `onResult` sees each result as it arrives, on this
    /// thread; `onInterval` each interval of the timeline as it closes, on a queue of its own.
    public func run(
        cancellation: CancellationToken = CancellationToken(),
        onResult: (RequestResult) -> Void = { _ in },
        onInterval: @escaping @Sendable (Timeline.Interval) -> Void = { _ in }
    ) throws(SetupError) -> Summary {
        // The pipeline stops on either the caller's cancellation, for its reason, or the deadline.
        let stop = CancellationToken()
        let forward = cancellation.forward(to: stop)
        defer { cancellation.removeHandler(forward) }
        let quotaAtStart = CPUQuotaThrottling.now()
        let pipeline = try Pipeline(targets: targets, options: options, client: processClient, cancellation: stop)
        // The duration counts from the run's origin, on the schedule's clock.
        var deadline: (any DispatchSourceTimer)?
        if let duration = options.duration {
            let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "hit.deadline"))
            // Paced, nothing due at or after the deadline is ever sent (the pipeline makes only what
            // is due before it); a request due just before it that a busy machine has not started
            // yet gets `Pacing.cutoffGrace` more, so that it goes late rather than counts as dropped.
            let grace = options.schedule == nil ? 0 : Int(Pacing.cutoffGrace)
            timer.schedule(deadline: pipeline.runStart + .nanoseconds(Int(duration.nanoseconds) + grace), leeway: .microseconds(100))
            timer.setEventHandler { stop.cancel(because: .deadline) }
            timer.resume()
            deadline = timer
        }
        defer { deadline?.cancel() }
        // The timeline: a timer on the run's clock closes each interval at its boundary.
        let recorder = TimelineRecorder(interval: options.interval, runStart: pipeline.runStart,
                                        startUnixNanoseconds: options.startAt ?? WallClock.unixNanoseconds(at: pipeline.runStart),
                                        meter: pipeline.meter)
        let timelineQueue = DispatchQueue(label: "hit.timeline")
        let boundaries = DispatchSource.makeTimerSource(queue: timelineQueue)
        let step = DispatchTimeInterval.nanoseconds(Int(options.interval.nanoseconds))
        boundaries.schedule(deadline: pipeline.runStart + step, repeating: step, leeway: .milliseconds(1))
        boundaries.setEventHandler {
            for interval in recorder.closeIntervals(endedBy: .now()) { onInterval(interval) }
        }
        boundaries.resume()
        defer {
            boundaries.cancel()
            timelineQueue.sync {}  // a boundary being closed finishes before the run returns
        }

        var summary = Summary(requested: options.requestLimit, targets: targets.count, rate: options.processPeakRate)
        summary.rateVaries = !options.stages.isEmpty
        // One clock (CLOCK_MONOTONIC) and one origin for the whole run: the pipeline's.
        summary.startUptimeNanoseconds = pipeline.runStart.uptimeNanoseconds
        pipeline.aggregate(into: &summary) { result in
            recorder.record(result)
            onResult(result)
        }
        pipeline.wait()
        let end = DispatchTime.now()
        boundaries.cancel()
        timelineQueue.sync {}
        // Zero for a run stopped while it waited for --start-at, whose origin is still ahead.
        summary.duration = end.elapsed(since: pipeline.runStart)
        summary.started = pipeline.started
        summary.abandoned = pipeline.abandoned
        summary.timeline = recorder.finish(at: end, inFlight: summary.abandoned)
        summary.retried = pipeline.retried
        summary.ending = Self.ending(stoppedFor: stop.reason, scheduleCutAtDeadline: pipeline.scheduleCutAtDeadline,
                                     completedAll: summary.completed >= (summary.requested ?? .max))
        summary.allWorkersWereBusy = pipeline.allWorkersWereBusy
        summary.generator = GeneratorLoad.measured(loopBusy: pipeline.loopBusy, quotaSince: quotaAtStart)
        summary.startAt = options.startAt
        summary.startedLate = pipeline.startedLate
        if let shard = options.shard {
            summary.shards = ShardCoverage(count: shard.count, covered: [shard.index], configurationHash: configurationDigest)
        }
        if let planned = plannedRequests, !summary.interrupted, summary.deadlineReached || options.duration == nil {
            // A paced run that ran its course: every request due before its end that was not sent
            // was dropped (no worker was free in time). It has no latency; corrected percentiles
            // count it as worse than any response (see `Summary.correctedPercentile`).
            summary.dropped = max(0, planned - summary.started)
        }
        if let rows = options.templating?.requestLimit, options.totalRequestLimit == rows, !summary.interrupted,
           !summary.deadlineReached, summary.started == summary.requested {
            summary.feedUsedUp = rows
        }
        summary.scrubErrorExamples(of: secrets())
        return summary
    }
}

extension LoadTest {
    /// How a run ended, from the reason its stop carried (`nil`: it was not stopped). The deadline
    /// came if its timer fired, or if the schedule ended before the first request due at it; a run
    /// stopped once every request asked for had completed ran its course.
    static func ending(stoppedFor reason: StopReason?, scheduleCutAtDeadline: Bool, completedAll: Bool) -> RunEnding {
        if reason == .deadline || scheduleCutAtDeadline { return .deadline }
        guard let reason, !completedAll else { return .completed }
        return RunEnding(reason)
    }

    /// In a paced run that ends by its schedule (`--stages`) or its deadline (`-z`), the requests
    /// this process was to send: those due before the end, its shard's share, at most `-n`.
    /// `nil` unpaced, or when the schedule has no end.
    var plannedRequests: Int? {
        guard let schedule = options.schedule else { return nil }
        let ends = [options.stages.isEmpty ? nil : schedule.end, options.duration].compactMap { $0 }
        guard let end = ends.min() else { return nil }
        let total = min(options.totalRequestLimit ?? .max, schedule.count(dueBefore: end))
        return options.processShare(ofRequests: total)
    }

    /// The digest of the whole run's plan that its shards share (see `RunConfiguration.digest`).
    public var configurationDigest: String {
        configuration.digest(shards: options.shard?.count ?? 1, interval: options.interval, startAt: options.startAt)
    }
}

extension LoadTest {
    /// The secrets a load test carries: URL passwords and tokens (its targets' and its proxies',
    /// from `-x` or the environment), the basic-auth password, and the values of secret headers.
    public func secrets(environment: [String: String] = ProcessEnvironment.variables) -> [String] {
        guard !Redaction.showsSecrets else { return [] }
        var secrets: [String] = []
        var proxies = Set([client.proxy].compactMap { $0 })
        for url in Set(targets.map(\.url)) {
            if let proxy = client.proxy(for: url, environment: environment) { proxies.insert(proxy.url) }
        }
        for url in targets.map(\.url) + proxies.sorted() {
            secrets += Redaction.querySecrets(of: url)
            let parsed = RequestURL(url)
            let redacted = parsed.redacted
            guard redacted != url else { continue }
            // What redaction removed is the secret.
            let prefix = zip(url, redacted).prefix { $0 == $1 }.count
            let suffix = zip(url.reversed(), redacted.reversed()).prefix { $0 == $1 }.count
            let start = url.index(url.startIndex, offsetBy: prefix)
            let end = url.index(url.endIndex, offsetBy: -suffix)
            if start < end { secrets.append(String(url[start..<end])) }
        }
        for request in targets {
            if let password = request.credentials?.password { secrets.append(password) }
            for line in request.headers where Redaction.header(line) != line {
                if let colon = line.firstIndex(of: ":") {
                    let value = line[line.index(after: colon)...].trimmingWhitespace()
                    secrets.append(value)
                    secrets += value.split(separator: " ").dropFirst().map(String.init)  // "Bearer TOKEN" → TOKEN
                }
            }
        }
        return Array(Set(secrets))
    }
}
