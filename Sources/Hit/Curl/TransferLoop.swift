import CCurlShim
import Dispatch

/// One event-loop thread of the dispatch stage: a libcurl multi handle driving a share of the
/// workers' easy handles, so that many workers need few threads.
///
/// It takes a job whenever one of its workers is idle, waits in `curl_multi_poll` (never
/// busy-polling) while transfers run, and is woken through `curl_multi_wakeup` when a job arrives
/// or the run is cancelled; on cancellation it aborts its transfers at once.
/// `@unchecked Sendable`: handed to its thread at start, then used by that thread alone.
final class TransferLoop: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    private let targets: [CurlTarget]
    private var idle: [CurlEasy]
    /// A transfer in flight: the worker, the target it was sent to, when it started and when it
    /// was meant to (uptime nanoseconds; 0 in an unpaced run).
    private struct Transfer {
        let worker: CurlEasy
        let target: Int
        let started: UInt64
        let due: UInt64
        var retried = false
    }

    /// Transfers in flight, by easy handle.
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]
    /// The start of the run, in uptime nanoseconds; set by `run`.
    private var runStart: UInt64 = 0
    /// Origins this multi handle holds a working h2c connection to (see `h2cReuseIsBroken`).
    private var h2cOrigins: Set<String> = []
    /// Jobs taken from the channel, one batch at a time (a reused buffer).
    private var jobBatch: [Job] = []
    /// Results not yet handed to the aggregator, and since when (uptime nanoseconds). They go in
    /// batches: a wake-up of the aggregator per result costs more than the request itself.
    private var unsent: [RequestResult] = []
    private var unsentSince: UInt64 = 0
    /// Results go to the aggregator once this many are waiting, or this long after the first.
    static let flushCount = 256
    static let flushDelay: UInt64 = 10_000_000

    init(workers: [CurlEasy], targets: [CurlTarget]) throws(SetupError) {
        guard let multi = curl_multi_init() else { throw SetupError("libcurl could not make a multi handle") }
        self.multi = multi
        Diagnostics.curlHandles.add(1, ordering: .relaxed)
        self.idle = workers
        self.targets = targets
    }

    deinit {
        for handle in active.keys { curl_multi_remove_handle(multi, handle) }
        curl_multi_cleanup(multi)
        Diagnostics.curlHandles.subtract(1, ordering: .relaxed)
    }

    /// Runs until `jobs` is closed and drained and every transfer has ended, or until cancellation.
    /// Finished transfers' results go to `results`, in batches; their offsets count from `runStart`.
    func run(jobs: Channel<Job>, results: Channel<RequestResult>, cancellation: CancellationToken,
             counters: PipelineCounters, runStart: DispatchTime) {
        self.runStart = runStart.uptimeNanoseconds
        let waker = MultiWaker(multi: multi)
        let wakerID = jobs.makeWakerID()
        let registration = cancellation.onCancel { waker.wake() }
        // Both removals return only once the waker can no longer run: then `multi` may be freed.
        defer {
            cancellation.removeHandler(registration)
            jobs.removeWaker(wakerID)
        }

        var jobsDone = false
        // Every way out hands on what finished; a send that fits is delivered even after a cancel.
        defer { flush(results, cancellation: cancellation) }
        while true {
            // Start a transfer on every idle worker that has a job to do, taking jobs in batches.
            fill: while !jobsDone, !idle.isEmpty, !cancellation.isCancelled {
                if active.isEmpty {
                    // Nothing to drive: hand on what finished, then block until there is work,
                    // the end, or cancellation. First withdraw any poll-waker: a stale one would
                    // take the wake-up meant for this blocked receive.
                    guard flush(results, cancellation: cancellation) else { break fill }
                    jobs.removeWaker(wakerID)
                    guard jobs.receive(into: &jobBatch, limit: idle.count, cancellation: cancellation) else {
                        jobsDone = !cancellation.isCancelled
                        break fill
                    }
                } else {
                    // Transfers to drive: take jobs only if some are ready, else be woken for them.
                    switch jobs.receive(into: &jobBatch, limit: idle.count, orWake: { waker.wake() }, id: wakerID) {
                    case nil: break
                    case .closed: jobsDone = true
                    case .empty, .element: break fill
                    }
                }
                for job in jobBatch { start(job, counters: counters) }
                jobBatch.removeAll(keepingCapacity: true)
            }
            if cancellation.isCancelled {
                abandonActive(counters: counters)
                return
            }
            if active.isEmpty {
                if jobsDone { return }
                continue
            }

            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            let freed = collectFinished(counters: counters)
            let now = DispatchTime.now().uptimeNanoseconds
            if !unsent.isEmpty, unsent.count >= Self.flushCount || now &- unsentSince >= Self.flushDelay {
                guard flush(results, cancellation: cancellation) else {
                    abandonActive(counters: counters)
                    return
                }
            }
            // Workers just freed may have jobs waiting; otherwise sleep until a socket, a job, a
            // cancellation or the results' flush time needs us.
            if freed == 0 || jobsDone, !active.isEmpty {
                let untilFlush = unsent.isEmpty ? 1000 : max(1, Int32((Self.flushDelay &- (now &- unsentSince)) / 1_000_000))
                curl_multi_poll(multi, nil, 0, min(1000, untilFlush), nil)
            }
        }
    }

    /// Hands the unsent results to the aggregator. Returns `false` if cancellation stopped it.
    @discardableResult
    private func flush(_ results: Channel<RequestResult>, cancellation: CancellationToken) -> Bool {
        guard !unsent.isEmpty else { return true }
        defer { unsent.removeAll(keepingCapacity: true) }
        return results.send(contentsOf: unsent, cancellation: cancellation)
    }

    private func start(_ job: Job, counters: PipelineCounters) {
        let worker = idle.removeLast()
        // Targets were all applied once to a probe handle at set-up, so this cannot fail here.
        let target = targets[job.target]
        try? worker.use(target)
        // h2c on a libcurl with broken reuse: the first transfer to an origin connects with prior
        // knowledge; the rest wait for that connection (PIPEWAIT) and multiplex on it.
        worker.prepare(h2cConnectionUp: h2cOrigins.contains(target.origin))
        if h2cReuseIsBroken, worker.usesH2C { h2cOrigins.insert(target.origin) }
        curl_multi_add_handle(multi, worker.handle)
        active[worker.handle] = Transfer(worker: worker, target: job.target, started: DispatchTime.now().uptimeNanoseconds,
                                         due: job.due?.uptimeNanoseconds ?? 0)
        counters.started.add(1, ordering: .relaxed)
    }

    /// Collects every finished transfer's result into `unsent` and returns its worker to the
    /// idle list. Returns how many workers it freed.
    private func collectFinished(counters: PipelineCounters) -> Int {
        var freed = 0
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                  var transfer = active.removeValue(forKey: handle)
            else { continue }
            let worker = transfer.worker
            let code = hit_multi_msg_result(message)
            let offset = Duration.nanoseconds(Int64(transfer.started &- runStart))
            var result = worker.result(code: code, target: transfer.target, offset: offset)
            if !transfer.retried, Self.mayRetry(code: code, result: result, worker: worker) {
                // The server closed a kept-alive connection as the request went out: send it once
                // more, on a fresh connection, as RFC 9112 allows for idempotent requests.
                curl_multi_remove_handle(multi, handle)
                worker.prepare()
                curl_multi_add_handle(multi, handle)
                transfer.retried = true
                active[handle] = transfer
                counters.retried.add(1, ordering: .relaxed)
                continue
            }
            if transfer.due > 0 {
                result.lateness = .nanoseconds(Int64(transfer.started > transfer.due ? transfer.started - transfer.due : 0))
                result.correctedLatency = result.lateness.map { $0 + result.latency }
            }
            if worker.usesH2C, let origin = worker.target?.origin {
                // A failure on a new connection means there is none to reuse: connect afresh.
                if !worker.reusedConnection && !(result.error == nil && result.httpVersion == .http2) {
                    h2cOrigins.remove(origin)
                }
            }
            curl_multi_remove_handle(multi, handle)
            idle.append(worker)
            freed += 1
            if unsent.isEmpty { unsentSince = transfer.started }
            unsent.append(result)
        }
        return freed
    }

    /// Whether a failed transfer died on a reused connection before any response came back, for
    /// a method that may safely be sent twice.
    private static func mayRetry(code: CURLcode, result: RequestResult, worker: CurlEasy) -> Bool {
        guard code == CURLE_GOT_NOTHING || code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR,
              result.status == 0, worker.reusedConnection,
              let method = worker.target?.request.method
        else { return false }
        return ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"].contains(method)
    }

    /// Aborts every transfer in flight: they are counted as abandoned, not as results.
    private func abandonActive(counters: PipelineCounters) {
        for (handle, transfer) in active {
            curl_multi_remove_handle(multi, handle)
            idle.append(transfer.worker)
        }
        counters.abandoned.add(active.count, ordering: .relaxed)
        active.removeAll()
    }
}

/// Wakes a loop blocked in `curl_multi_poll`. `curl_multi_wakeup` is documented as thread-safe,
/// which is what makes this one pointer `@unchecked Sendable`.
private struct MultiWaker: @unchecked Sendable {
    let multi: UnsafeMutableRawPointer

    func wake() {
        curl_multi_wakeup(multi)
    }
}
