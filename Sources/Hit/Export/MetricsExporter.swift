import Dispatch
import FoundationEssentials
import Synchronization

/// Pushes a run's metrics over OTLP/HTTP while it runs, off the send path: the aggregator only
/// counts each result (`MetricsRecorder`); a timer of the exporter's own takes a snapshot every
/// interval, encodes it, and hands it to a sender queue that POSTs with libcurl, one at a time. At
/// most `maximumPending` pushes wait; a slow or dead collector costs later pushes (counted), never
/// the run's figures, memory or exit status, and is said in one warning line. The last push goes
/// when the run ends, interrupted or not (`finish`).
public final class MetricsExporter: Sendable {
    private let export: OTLPExport
    private let recorder = MetricsRecorder()
    private let encoder: OTLPMetrics
    private let post: CurlPost
    private let timerQueue = DispatchQueue(label: "hit.metrics.timer")
    private let sendQueue = DispatchQueue(label: "hit.metrics.send")
    /// The push timer, on `timerQueue`. Dispatch's objects are thread-safe; it is only resumed
    /// (`start`) and cancelled (`finish`), each once (`started`, `finished`).
    private nonisolated(unsafe) let timer: any DispatchSourceTimer
    private let started = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let pending = Atomic<Int>(0)
    private let stats = Mutex<(pushed: Int, failed: Int, dropped: Int, warned: Bool)>((0, 0, 0, false))
    private let startNanoseconds: UInt64
    private let interval: Duration
    private let warn: @Sendable (String) -> Void

    /// Pushes waiting for the sender at once, at most.
    static let maximumPending = 2

    /// An exporter of `loadTest`'s metrics to `export`, every `export.interval` (else
    /// `loadTest.options.interval`); `warn` says a failure, once.
    public init(_ export: OTLPExport, loadTest: LoadTest, warn: @escaping @Sendable (String) -> Void) throws(SetupError) {
        self.export = export
        self.warn = warn
        interval = export.interval ?? loadTest.options.interval
        startNanoseconds = UInt64(max(0, WallClock.unixNanoseconds()))
        post = try CurlPost(url: export.url, headers: ["Content-Type: application/x-protobuf"] + export.headers, timeout: export.timeout)
        let targets = loadTest.targets.map { request in
            let url = request.parsedURL
            let port = url.port.flatMap { Int($0) } ?? (url.isHTTPS ? 443 : 80)
            var host = String(url.host)
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            return OTLPMetrics.Target(method: request.method, host: host, port: port, name: request.name)
        }
        var resource: [(String, OTLPMetrics.AttributeValue)] = [
            ("service.name", .string(export.serviceName)), ("service.instance.id", .string(UUID().uuidString.lowercased())),
            ("hit.run.id", .string(loadTest.configuration.digest(shards: loadTest.options.shard?.count ?? 1,
                                                                    interval: loadTest.options.interval,
                                                                    startAt: loadTest.options.startAt))),
            ("telemetry.sdk.name", .string("hit")), ("telemetry.sdk.version", .string(hitVersion)),
        ]
        if let shard = loadTest.options.shard {
            resource.append(("hit.shard.index", .int(Int64(shard.index))))
            resource.append(("hit.shard.count", .int(Int64(shard.count))))
        }
        for attribute in export.resourceAttributes {
            let parts = attribute.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !resource.contains(where: { $0.0 == parts[0] && $0.0 == "service.name" }) else { continue }
            resource.append((String(parts[0]), .string(String(parts[1]))))
        }
        encoder = OTLPMetrics(targets: targets, resource: resource, delta: export.delta)
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

    /// Takes a snapshot and hands it to the sender, unless `maximumPending` are waiting.
    private func push() {
        let figures = recorder.take(delta: export.delta)
        let body = encoder.encode(figures, start: startNanoseconds, now: UInt64(max(0, WallClock.unixNanoseconds())))
        guard pending.add(1, ordering: .relaxed).newValue <= Self.maximumPending else {
            pending.subtract(1, ordering: .relaxed)
            let first = stats.withLock { stats -> Bool in
                stats.dropped += 1
                defer { stats.warned = true }
                return !stats.warned
            }
            if first {
                warn("hit: warning: the collector at \(Redaction.url(export.url)) takes longer to answer than the pushes' "
                    + "interval: pushes are skipped while it is busy\(export.delta ? ", and their counts are lost to it" : "") "
                    + "(the run and its report are whole)\n")
            }
            return
        }
        sendQueue.async { [self] in
            send(body)
            pending.subtract(1, ordering: .relaxed)
        }
    }

    private func send(_ body: [UInt8]) {
        let outcome = post.post(body)
        let problem: String? = switch outcome {
        case .status(let status) where (200..<300).contains(status): nil
        case .status(let status): "the collector answered \(status)"
        case .failed(let message): message
        }
        let first = stats.withLock { stats -> Bool in
            stats.pushed += 1
            guard problem != nil else { return false }
            stats.failed += 1
            defer { stats.warned = true }
            return !stats.warned
        }
        if first, let problem {
            warn("hit: warning: pushing metrics to \(Redaction.url(export.url)) failed: \(problem); the run goes on, "
                + "and its report is whole, but the collector's metrics may lack some pushes\n")
        }
    }

    /// Stops the timer and sends the last push, with `sent` requests sent in all, waiting for it
    /// (and any before it) at most `wait`.
    public func finish(sent: Int, wait: Duration) {
        guard !finished.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // A source is released only once resumed.
        if !started.exchange(true, ordering: .acquiringAndReleasing) { timer.resume() }
        timer.cancel()
        timerQueue.sync {}
        recorder.finish(sent: sent)
        let figures = recorder.take(delta: export.delta)
        let body = encoder.encode(figures, start: startNanoseconds, now: UInt64(max(0, WallClock.unixNanoseconds())))
        let done = DispatchSemaphore(value: 0)
        sendQueue.async { [self] in
            send(body)
            done.signal()
        }
        _ = done.wait(timeout: .now() + .nanoseconds(Int(max(0, wait.nanoseconds))))
    }

    /// Pushes made, failed, and dropped because the sender was still busy.
    public var counts: (pushed: Int, failed: Int, dropped: Int) {
        stats.withLock { ($0.pushed, $0.failed, $0.dropped) }
    }
}
