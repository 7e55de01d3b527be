import Dispatch
import FoundationEssentials
import Synchronization

/// Pushes a run's metrics while it runs, off the send path, to each of its destinations (OTLP,
/// Prometheus remote write): the aggregator only counts each result (`MetricsRecorder`); a timer of
/// the exporter's own takes a snapshot every interval, encodes it for each destination, and hands
/// it to that destination's sender queue, which POSTs with libcurl, one at a time. At most
/// `maximumPending` pushes wait per destination; a slow or dead receiver costs later pushes
/// (counted), never the run's figures, memory or exit status, and is said in one warning line.
/// The last push goes when the run ends, interrupted or not (`finish`).
public final class MetricsExporter: Sendable {
    private let recorder = MetricsRecorder()
    private let channels: [Channel]
    private let timerQueue = DispatchQueue(label: "hit.metrics.timer")
    /// The push timer, on `timerQueue`. Dispatch's objects are thread-safe; it is only resumed
    /// (`start`) and cancelled (`finish`), each once (`started`, `finished`).
    private nonisolated(unsafe) let timer: any DispatchSourceTimer
    private let started = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let startNanoseconds: UInt64
    private let interval: Duration

    /// Pushes waiting for one destination's sender at once, at most.
    static let maximumPending = 2

    /// An exporter of `loadTest`'s metrics to `destinations`, every `interval` (else
    /// `loadTest.options.interval`); `warn` says each destination's first failure.
    public init(_ destinations: [MetricsDestination], interval: Duration? = nil, loadTest: LoadTest,
                warn: @escaping @Sendable (String) -> Void) throws(SetupError) {
        self.interval = interval ?? loadTest.options.interval
        let start = UInt64(max(0, WallClock.unixNanoseconds()))
        startNanoseconds = start
        let targets = ExportTarget.targets(loadTest.targets)
        let instance = UUID().uuidString.lowercased()
        let runID = loadTest.configuration.digest(shards: loadTest.options.shard?.count ?? 1, interval: loadTest.options.interval,
                                                  startAt: loadTest.options.startAt)
        let shard = loadTest.options.shard
        var channels: [Channel] = []
        for destination in destinations {
            switch destination {
            case .otlp(let export):
                var resource: [(String, ExportTarget.AttributeValue)] = [
                    ("service.name", .string(export.serviceName)), ("service.instance.id", .string(instance)),
                    ("hit.run.id", .string(runID)), ("telemetry.sdk.name", .string("hit")), ("telemetry.sdk.version", .string(hitVersion)),
                ]
                if let shard {
                    resource.append(("hit.shard.index", .int(Int64(shard.index))))
                    resource.append(("hit.shard.count", .int(Int64(shard.count))))
                }
                for (key, value) in export.resourcePairs where !resource.contains(where: { $0.0 == key }) {
                    resource.append((key, .string(value)))
                }
                let encoder = OTLPMetrics(targets: targets, resource: resource, delta: export.delta)
                channels.append(try Channel(destination: destination, receiver: "the collector", delta: export.delta,
                                            headers: ["Content-Type: \(export.encoding.contentType)"] + export.headers, warn: warn) { figures, now in
                    let body = encoder.encode(figures, start: start, now: now)
                    return export.encoding == .json ? OTLPJSON.transcode(body) : body
                })
            case .prometheusRemoteWrite(let export):
                var labels = [("job", "hit"), ("instance", instance), ("hit_run_id", runID)]
                if let shard {
                    labels.append(("hit_shard_index", String(shard.index)))
                    labels.append(("hit_shard_count", String(shard.count)))
                }
                let encoder = RemoteWriteMetrics(targets: targets, labels: labels)
                channels.append(try Channel(destination: destination, receiver: "Prometheus", delta: false,
                                            headers: ["Content-Type: application/x-protobuf", "Content-Encoding: snappy",
                                                      "X-Prometheus-Remote-Write-Version: 0.1.0"] + export.headers, warn: warn) { figures, now in
                    SnappyBlock.encode(encoder.encode(figures, now: now))
                })
            }
        }
        self.channels = channels
        timer = DispatchSource.makeTimerSource(queue: timerQueue)
    }

    deinit {
        // A dispatch source must not be released suspended: one never started is resumed first.
        if !started.exchange(true, ordering: .acquiringAndReleasing) { timer.resume() }
        timer.cancel()
    }

    /// Counts a result: on the aggregator's thread, cheaply.
    public func record(_ result: RequestResult) {
        recorder.record(result)
    }

    /// Counts a closed interval of the timeline (sent, in flight).
    public func record(_ interval: Timeline.Interval) {
        recorder.record(interval)
    }

    /// Starts pushing every interval.
    public func start() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let nanoseconds = max(1_000_000, interval.nanoseconds)
        timer.schedule(deadline: .now() + .nanoseconds(Int(nanoseconds)), repeating: .nanoseconds(Int(nanoseconds)), leeway: .milliseconds(5))
        timer.setEventHandler { [weak self] in self?.push() }
        timer.resume()
    }

    /// A snapshot for each destination, handed to its sender unless `maximumPending` are waiting.
    private func push() {
        let now = UInt64(max(0, WallClock.unixNanoseconds()))
        for channel in channels {
            channel.push(recorder.take(delta: channel.delta), now: now)
        }
    }

    /// Stops the timer and sends the last push to each destination, with `sent` requests sent in
    /// all, waiting for them (and any before them) at most `wait` in all.
    public func finish(sent: Int, wait: Duration) {
        guard !finished.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // A source is released only once resumed.
        if !started.exchange(true, ordering: .acquiringAndReleasing) { timer.resume() }
        timer.cancel()
        timerQueue.sync {}
        recorder.finish(sent: sent)
        let now = UInt64(max(0, WallClock.unixNanoseconds()))
        let done = DispatchGroup()
        for channel in channels {
            channel.pushLast(recorder.take(delta: channel.delta), now: now, group: done)
        }
        _ = done.wait(timeout: .now() + .nanoseconds(Int(max(0, wait.nanoseconds))))
    }

    /// Pushes made, failed, and dropped because a sender was still busy, over the destinations.
    public var counts: (pushed: Int, failed: Int, dropped: Int) {
        var total = (pushed: 0, failed: 0, dropped: 0)
        for channel in channels {
            let counts = channel.counts
            total.pushed += counts.pushed
            total.failed += counts.failed
            total.dropped += counts.dropped
        }
        return total
    }
}

extension MetricsExporter {
    /// One destination: its encoding, its libcurl handle and the queue that sends with it.
    final class Channel: Sendable {
        let delta: Bool
        private let url: String
        private let receiver: String
        private let encode: @Sendable (MetricsRecorder.Figures, UInt64) -> [UInt8]
        private let post: CurlPost
        private let sendQueue = DispatchQueue(label: "hit.metrics.send")
        private let pending = Atomic<Int>(0)
        private let stats = Mutex<(pushed: Int, failed: Int, dropped: Int, warned: Bool)>((0, 0, 0, false))
        private let warn: @Sendable (String) -> Void

        init(destination: MetricsDestination, receiver: String, delta: Bool, headers: [String], warn: @escaping @Sendable (String) -> Void,
             encode: @escaping @Sendable (MetricsRecorder.Figures, UInt64) -> [UInt8]) throws(SetupError) {
            url = destination.url
            self.receiver = receiver
            self.delta = delta
            self.encode = encode
            self.warn = warn
            post = try CurlPost(url: destination.url, headers: headers, timeout: destination.timeout)
        }

        func push(_ figures: MetricsRecorder.Figures, now: UInt64) {
            guard pending.add(1, ordering: .relaxed).newValue <= MetricsExporter.maximumPending else {
                pending.subtract(1, ordering: .relaxed)
                if firstProblem(dropped: true) {
                    warn("hit: warning: \(receiver) at \(Redaction.url(url)) takes longer to answer than the pushes' "
                        + "interval: pushes are skipped while it is busy\(delta ? ", and their counts are lost to it" : "") "
                        + "(the run and its report are whole)\n")
                }
                return
            }
            let body = encode(figures, now)
            sendQueue.async { [self] in
                send(body)
                pending.subtract(1, ordering: .relaxed)
            }
        }

        func pushLast(_ figures: MetricsRecorder.Figures, now: UInt64, group: DispatchGroup) {
            let body = encode(figures, now)
            sendQueue.async(group: group) { [self] in send(body) }
        }

        private func send(_ body: [UInt8]) {
            let outcome = post.post(body)
            let problem: String? = switch outcome {
            case .status(let status) where (200..<300).contains(status): nil
            case .status(let status): "\(receiver) answered \(status)"
            case .failed(let message): message
            }
            stats.withLock { $0.pushed += 1 }
            if let problem, firstProblem(dropped: false) {
                warn("hit: warning: pushing metrics to \(Redaction.url(url)) failed: \(problem); the run goes on, "
                    + "and its report is whole, but \(receiver)'s metrics may lack some pushes\n")
            }
        }

        /// Counts a failed or dropped push; whether it is the first problem, the one said.
        private func firstProblem(dropped: Bool) -> Bool {
            stats.withLock { stats in
                if dropped { stats.dropped += 1 } else { stats.failed += 1 }
                defer { stats.warned = true }
                return !stats.warned
            }
        }

        var counts: (pushed: Int, failed: Int, dropped: Int) {
            stats.withLock { ($0.pushed, $0.failed, $0.dropped) }
        }
    }
}
