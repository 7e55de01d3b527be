import CCurlShim
import Dispatch
import DequeModule

/// One event-loop thread of the dispatch stage: a libcurl multi handle driving a share of the
/// workers' easy handles, so that many workers need few threads.
///
/// It takes a job whenever one of its workers is idle, waits in `curl_multi_poll` (never
/// busy-polling) while transfers run, and is woken through `curl_multi_wakeup` when a job arrives
/// or the run is cancelled; on cancellation it aborts its transfers at once.
///
/// In a paced run the throttle releases each job a little before it is due. The loop keeps such
/// jobs, earliest first, each holding a worker; it sleeps in `curl_multi_poll` with a timerfd
/// armed for `Pacing.wakeLead` before the earliest is due, spins until `Pacing.handOffLead`
/// before it, then hands the job to libcurl and drives it at once. libcurl gets the request
/// ready, and the shim's PREREQFUNCTION callback, called just before the write, spins the last few µs until the due time: the
/// request is written on time, never early.
///
/// With HTTP/2 the loop decides when a connection to an origin is opened: one transfer at a time
/// opens one (an opener); the others are followers, which multiplex on a connection that is open,
/// or wait for the one opening, and may not open one themselves. A follower that finds every
/// connection full (the server's stream limit, or `--streams`) is refused a socket before anything
/// is sent; it then becomes the next opener, or waits until the opener's connection is up. So
/// connections fill up to the limit before another opens, a GOAWAY or a restarted server costs
/// the requests in flight and then one new connection, and h2c connections are always opened
/// with prior knowledge.
/// `@unchecked Sendable`: handed to its thread at start, then used by that thread alone.
final class TransferLoop: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    private let targets: [CurlTarget]
    private var idle: [CurlEasy]
    /// A transfer in flight: the worker, the job's place in the run and its target, when it was
    /// handed to libcurl and when it was due (uptime nanoseconds; 0 in an unpaced run).
    private struct Transfer {
        let worker: CurlEasy
        let index: Int
        let target: Int
        let handedOff: UInt64
        let due: UInt64
        var retried = false
        var role: CurlEasy.Role
    }
    /// What the loop knows of one origin's HTTP/2 connections.
    private struct Origin {
        /// The opener whose connection is not up yet: followers wait for it.
        var opening: UnsafeMutableRawPointer?
        /// Followers refused a socket while a connection was opening, waiting for it.
        var parked: [UnsafeMutableRawPointer] = []
        /// Whether a transfer has opened a connection to it in this loop.
        var opened = false
        /// Whether it answered a request for HTTP/2 in HTTP/1.1 (a TLS server without h2 in ALPN):
        /// then transfers connect as for HTTP/1.1.
        var fellBack = false
        /// What the last h2c opener whose first bytes were seen found the server to send: a
        /// server breaks every connection alike, and the bytes of a later one may go unseen.
        var lastWatch: H2CWatch?
    }
    /// By origin; `originOf[target]` is the target's.
    private var origins: [Origin]
    private let originOf: [Int]
    /// Whether HTTP/2 transfers share connections (-h2 with keep-alive).
    private let multiplexing: Bool
    /// Requests carried by each connection, counted by the workers' PREREQFUNCTION callback.
    private let connections: OpaquePointer?
    /// Paced jobs taken early and not yet due, earliest first; each holds one of the idle workers.
    private var early: Deque<Job> = []
    /// A CLOCK_MONOTONIC timerfd that wakes the poll just before the earliest job is due, and the
    /// deadline it is armed for (0: not armed).
    private var timer: Int32 = -1
    private var timerArmedFor: UInt64 = 0
    /// When the loop wakes for a kept job and when it hands it to libcurl.
    private var pacing = Pacing()
    /// Nanoseconds this loop's thread spent spinning towards paced requests' due times (its own
    /// spin and the PREREQFUNCTION callbacks'): waiting, not work, in its busy share.
    private var spun: Int64 = 0
    /// Under `--ramp-up`, the workers not started yet and when each starts (uptime nanoseconds),
    /// earliest first.
    private var dormant: Deque<(at: UInt64, worker: CurlEasy)> = []

    /// Transfers in flight, by easy handle.
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]
    /// h2c openers, whose servers' first bytes are kept (see `H2CWatch`).
    private var watched: Set<UnsafeMutableRawPointer> = []
    /// The start of the run, in uptime nanoseconds; set by `run`.
    private var runStart: UInt64 = 0
    /// Jobs taken from the channel, one batch at a time (a reused buffer).
    private var jobBatch: [Job] = []
    /// Results not yet handed to the aggregator, and since when (uptime nanoseconds). They go in
    /// batches: a wake-up of the aggregator per result costs more than the request itself.
    private var unsent: [RequestResult] = []
    private var unsentSince: UInt64 = 0
    /// Results go to the aggregator once this many are waiting, or this long after the first.
    static let flushCount = 256
    static let flushDelay: UInt64 = 10_000_000

    /// Counts each request as it is written, and as it ends (the run's, shared by its loops).
    private let meter: SendMeter?

    /// `connectionsPerOrigin`: this loop's share of `--connections`, if given; `meter`: the run's
    /// send meter.
    init(workers: [CurlEasy], targets: [CurlTarget], client: ClientOptions, connectionsPerOrigin: Int? = nil,
         meter: SendMeter? = nil) throws(SetupError) {
        guard let multi = curl_multi_init() else { throw SetupError("libcurl could not make a multi handle") }
        self.multi = multi
        Diagnostics.curlHandles.add(1, ordering: .relaxed)
        self.idle = workers
        self.targets = targets
        var originIndex: [String: Int] = [:]
        originOf = targets.map { target in
            if let index = originIndex[target.origin] { return index }
            originIndex[target.origin] = originIndex.count
            return originIndex.count - 1
        }
        origins = Array(repeating: Origin(), count: originIndex.count)
        multiplexing = client.httpVersion == .http2 && client.keepAlive
        connections = hit_connection_table_create()
        self.meter = meter
        for worker in workers {
            worker.stamps.pointee.connections = connections
            worker.stamps.pointee.meter = meter?.pointer
        }
        // libcurl keeps 4 idle connections per easy handle in the multi, and closes the oldest
        // beyond that; workers waiting for a job are not in the multi, so that count would shrink
        // in a paced run and close connections a worker is about to reuse. Every worker may need
        // its own.
        _ = hit_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(workers.count, 1))
        if client.httpVersion == .http2 {
            // libcurl's own cap is 100 streams a connection: without --streams the server's is the one.
            _ = hit_multi_setopt_long(multi, CURLMOPT_MAX_CONCURRENT_STREAMS, client.streamsPerConnection ?? Self.unlimitedStreams)
            if let connectionsPerOrigin {
                _ = hit_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, connectionsPerOrigin)
            }
        }
    }

    /// Streams a connection may carry at once when the server alone sets the limit.
    static let unlimitedStreams = 1 << 20

    deinit {
        for handle in active.keys { curl_multi_remove_handle(multi, handle) }
        curl_multi_cleanup(multi)
        for worker in idle {
            worker.stamps.pointee.connections = nil
            worker.stamps.pointee.meter = nil
        }
        hit_connection_table_destroy(connections)
        Diagnostics.curlHandles.subtract(1, ordering: .relaxed)
    }

    /// Runs until `jobs` is closed and drained and every transfer has ended, or until cancellation.
    /// Finished transfers' results go to `results`, in batches; their offsets count from `runStart`.
    /// `pacing`: in a paced run, how long before each job's due time to wake, and to hand it on.
    func run(jobs: Channel<Job>, results: Channel<RequestResult>, cancellation: CancellationToken,
             counters: PipelineCounters, runStart: DispatchTime, pacing: Pacing = Pacing()) {
        self.runStart = runStart.uptimeNanoseconds
        self.pacing = pacing
        if pacing.rampUp > 0, idle.count > 1 {
            // The first worker at once, the k-th of n at k/n of the ramp.
            let count = UInt64(idle.count)
            for (k, worker) in idle.enumerated().dropFirst() {
                dormant.append((self.runStart &+ pacing.rampUp / count * UInt64(k), worker))
            }
            idle = [idle[0]]
        }
        timer = hit_timerfd_create()
        let cpuAtStart = hit_thread_cpu_demand_ns(), wallAtStart = hit_monotonic_ns()
        spun = 0
        defer {
            let wall = hit_monotonic_ns() - wallAtStart
            if wall > 0 {
                let busy = Double(max(0, hit_thread_cpu_demand_ns() - cpuAtStart - spun)) / Double(wall)
                counters.loopBusy.withLock { $0.append(min(1, busy)) }
            }
            if timer >= 0 { _ = hit_close(timer) }
            timer = -1
            early.removeAll()
            idle += dormant.map(\.worker)
            dormant.removeAll()
        }
        PreciseWait.withMinimalTimerSlack {
            drive(jobs: jobs, results: results, cancellation: cancellation, counters: counters)
        }
    }

    private func drive(jobs: Channel<Job>, results: Channel<RequestResult>, cancellation: CancellationToken,
                       counters: PipelineCounters) {
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
            wakeDormantWorkers()
            // Take a job for every idle worker not already held by an early job, in batches.
            fill: while !jobsDone, idle.count > early.count, !cancellation.isCancelled {
                let room = idle.count - early.count
                if active.isEmpty && early.isEmpty {
                    // Nothing to drive: hand on what finished, then block until there is work,
                    // the end, or cancellation. First withdraw any poll-waker: a stale one would
                    // take the wake-up meant for this blocked receive.
                    guard flush(results, cancellation: cancellation) else { break fill }
                    jobs.removeWaker(wakerID)
                    guard jobs.receive(into: &jobBatch, limit: room, cancellation: cancellation) else {
                        jobsDone = !cancellation.isCancelled
                        break fill
                    }
                } else {
                    // Transfers to drive or jobs to wait for: take jobs only if some are ready,
                    // else be woken for them.
                    switch jobs.receive(into: &jobBatch, limit: room, orWake: { waker.wake() }, id: wakerID) {
                    case nil: break
                    case .closed: jobsDone = true
                    case .empty, .element: break fill
                    }
                }
                for job in jobBatch {
                    if let cutoff = pacing.cutoff, PreciseWait.monotonicNanoseconds() > cutoff {
                        counters.dropped.add(1, ordering: .relaxed)  // due before the end, and no worker was free in time
                    } else if job.due == nil {
                        start(job, counters: counters)
                    } else {
                        keepUntilDue(job)
                    }
                }
                jobBatch.removeAll(keepingCapacity: true)
            }
            if cancellation.isCancelled {
                endAtCancellation(counters: counters)
                return
            }
            startDueJobs(counters: counters, cancellation: cancellation)
            if cancellation.isCancelled {
                endAtCancellation(counters: counters)
                return
            }
            if active.isEmpty && early.isEmpty {
                if jobsDone { return }
                continue
            }

            var freed = 0
            if !active.isEmpty {
                var running: Int32 = 0
                if !watched.isEmpty { watchOpeners() }
                curl_multi_perform(multi, &running)
                if openingCount > 0 { releaseFollowersOfOpenConnections() }
                freed = collectFinished(counters: counters)
            }
            let now = DispatchTime.now().uptimeNanoseconds
            if !unsent.isEmpty, unsent.count >= Self.flushCount || now &- unsentSince >= Self.flushDelay {
                guard flush(results, cancellation: cancellation) else {
                    endAtCancellation(counters: counters)
                    return
                }
            }
            // The last transfers just ended and no job is left: done now, not after a wait with
            // nothing to wait for (which held the run's end up to a second).
            if jobsDone && active.isEmpty && early.isEmpty { return }
            // Workers just freed may have jobs waiting; otherwise sleep until a socket, a job, a
            // cancellation, the next due job or the results' flush time needs us.
            if freed == 0 || jobsDone {
                let untilFlush = unsent.isEmpty ? 1000 : max(1, Int32((Self.flushDelay &- (now &- unsentSince)) / 1_000_000))
                let untilWorker = dormant.first.map { $0.at > now ? Int32(min(1000, ($0.at - now) / 1_000_000 + 1)) : 0 } ?? 1000
                wait(timeoutMilliseconds: min(1000, untilFlush, untilWorker))
            }
        }
    }

    /// Under `--ramp-up`, makes the workers whose start has come idle, ready for jobs.
    private func wakeDormantWorkers() {
        guard let first = dormant.first else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard first.at <= now else { return }
        while let next = dormant.first, next.at <= now { idle.append(dormant.removeFirst().worker) }
    }

    /// Keeps a paced job until it is due, in order of due time (jobs mostly come in that order).
    private func keepUntilDue(_ job: Job) {
        let due = job.due?.uptimeNanoseconds ?? 0
        var position = early.endIndex
        while position > early.startIndex, (early[position - 1].due?.uptimeNanoseconds ?? 0) > due { position -= 1 }
        early.insert(job, at: position)
    }

    /// Hands every kept job due within `pacing.handOffLead` to libcurl, and drives them at once;
    /// each one's write waits in the PREREQFUNCTION callback for its due time. If the earliest is due
    /// within `pacing.wakeLead`, spins until it can be handed on (tens of µs at most).
    private func startDueJobs(counters: PipelineCounters, cancellation: CancellationToken) {
        guard let first = early.first?.due?.uptimeNanoseconds else { return }
        var now = PreciseWait.monotonicNanoseconds()
        guard first <= now &+ pacing.wakeLead else { return }
        let spinFrom = now
        while now &+ pacing.handOffLead < first {
            if cancellation.isCancelled { return }
            PreciseWait.relax()
            now = PreciseWait.monotonicNanoseconds()
        }
        spun += Int64(bitPattern: now &- spinFrom)
        while let due = early.first?.due?.uptimeNanoseconds, due <= now &+ pacing.handOffLead {
            start(early.removeFirst(), counters: counters)
        }
        perform()
    }

    private func perform() {
        var running: Int32 = 0
        if !watched.isEmpty { watchOpeners() }
        curl_multi_perform(multi, &running)
    }

    /// Sleeps in `curl_multi_poll` until a socket, a wake-up (a job, cancellation) or the
    /// timeout; with a job kept for later, also until just before it is due (the timerfd: the
    /// poll's own timeout counts in milliseconds).
    private func wait(timeoutMilliseconds: Int32) {
        var extra: Int32 = -1
        if timer >= 0, let due = early.first?.due?.uptimeNanoseconds {
            let wakeAt = due &- pacing.wakeLead
            if wakeAt <= PreciseWait.monotonicNanoseconds() { return }
            if timerArmedFor != wakeAt {
                _ = hit_timerfd_arm(timer, Int64(wakeAt))
                timerArmedFor = wakeAt
            }
            extra = timer
        }
        var fired: Int32 = 0
        hit_multi_poll(multi, extra, timeoutMilliseconds, &fired)
        if fired != 0 { hit_timerfd_drain(timer) }
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
        try? worker.use(targets[job.target])
        worker.stamps.pointee.counted = 0  // a new request: counted once it is written
        worker.prepare()
        // A paced request is written no earlier than it is due: the PREREQFUNCTION callback waits for it.
        worker.stamps.pointee.not_before_ns = Int64(job.due?.uptimeNanoseconds ?? 0)
        let role = role(for: job.target)
        active[worker.handle] = Transfer(worker: worker, index: job.index, target: job.target,
                                         handedOff: PreciseWait.monotonicNanoseconds(),
                                         due: job.due?.uptimeNanoseconds ?? 0, role: role ?? .follower)
        counters.started.add(1, ordering: .relaxed)
        if idle.isEmpty, dormant.isEmpty { counters.allBusy.store(true, ordering: .relaxed) }
        guard let role else {
            // A connection to the origin is opening: wait for it, outside libcurl.
            origins[originOf[job.target]].parked.append(worker.handle)
            return
        }
        if role == .opener { opening(worker.handle, to: originOf[job.target]) }
        worker.take(role)
        curl_multi_add_handle(multi, worker.handle)
    }

    // MARK: - HTTP/2 connections

    /// Origins with an opener whose connection is not up yet.
    private var openingCount = 0

    /// How a new transfer to `target` gets its connection; `nil` when it must wait for the
    /// connection opening to its origin. Followers are handed to libcurl only once that connection
    /// has shown it speaks HTTP/2: libcurl 7.88 would put them on an h2c connection as soon as its
    /// preface is sent, and a stream on one that the server then closes may never end.
    private func role(for target: Int) -> CurlEasy.Role? {
        let origin = origins[originOf[target]]
        guard multiplexing, !origin.fellBack else { return .any }
        if origin.opening != nil { return nil }
        return origin.opened ? .follower : .opener
    }

    private func opening(_ handle: UnsafeMutableRawPointer, to origin: Int) {
        if origins[origin].opening == nil { openingCount += 1 }
        origins[origin].opening = handle
        origins[origin].opened = true
        if let transfer = active[handle], !targets[transfer.target].request.isHTTPS {
            watched.insert(handle)
            transfer.worker.gate.pointee.keep_first_bytes = 1
        }
    }

    /// Keeps the bytes waiting on each h2c opener's connection before libcurl reads them (as the
    /// progress callback does within libcurl), until the response has begun.
    private func watchOpeners() {
        for handle in watched {
            guard let worker = active[handle]?.worker, worker.headerBudget.pointee.received == 0 else {
                active[handle]?.worker.gate.pointee.keep_first_bytes = 0
                watched.remove(handle)
                continue
            }
            hit_socket_gate_keep(worker.gate)
        }
    }

    /// Ends the wait for `origin`'s opener: its connection is up (or it failed, `connected` false).
    /// Waiting followers go to libcurl again: on a connection that is up they multiplex; if it
    /// failed, the first becomes the next opener and the others keep waiting for it.
    private func openerDone(origin index: Int, connected: Bool) {
        guard origins[index].opening != nil else { return }
        origins[index].opening = nil
        openingCount -= 1
        guard !origins[index].parked.isEmpty else { return }
        if connected || origins[index].fellBack {
            let parked = origins[index].parked
            origins[index].parked.removeAll()
            for handle in parked { resume(handle, as: origins[index].fellBack ? .any : .follower) }
        } else {
            let next = origins[index].parked.removeFirst()
            opening(next, to: index)
            resume(next, as: .opener)
        }
    }

    /// Releases the followers waiting on every opener whose connection has shown what it speaks:
    /// over TLS once the request is being written (ALPN has said whether it multiplexes); over
    /// h2c once the server has answered the connection preface (its SETTINGS come first, before
    /// any response: the kernel's count of bytes received on the connection says so even after
    /// libcurl read them), or the response's head has begun. A server that stalls its responses
    /// then still gets every stream the connection allows, not one at a time.
    private func releaseFollowersOfOpenConnections() {
        for index in origins.indices {
            guard let handle = origins[index].opening, let transfer = active[handle] else { continue }
            let worker = transfer.worker
            let written = worker.stamps.pointee.written_ns != 0
            let shown = targets[transfer.target].request.isHTTPS ? written
                : worker.headerBudget.pointee.received > 0 || (written && hit_socket_bytes_received(worker.gate.pointee.socket) > 0)
            if shown { openerDone(origin: index, connected: true) }
        }
    }

    /// Hands a transfer that has not been sent back to libcurl, in `role`.
    private func resume(_ handle: UnsafeMutableRawPointer, as role: CurlEasy.Role) {
        guard let transfer = active[handle] else { return }
        let worker = transfer.worker
        worker.prepare()
        if watched.contains(handle) { worker.gate.pointee.keep_first_bytes = 1 }
        worker.stamps.pointee.not_before_ns = Int64(transfer.due)
        worker.take(role)
        active[handle]?.role = role
        curl_multi_add_handle(multi, handle)
    }

    /// A follower that was refused a socket: every connection to its origin was full (or gone).
    /// It opens the next connection, or waits for the one opening.
    private func refused(_ handle: UnsafeMutableRawPointer, transfer: Transfer) {
        curl_multi_remove_handle(multi, handle)
        let index = originOf[transfer.target]
        if origins[index].opening == nil {
            opening(handle, to: index)
            resume(handle, as: .opener)
        } else {
            origins[index].parked.append(handle)
        }
    }

    /// Collects every finished transfer's result into `unsent` and returns its worker to the
    /// idle list. Returns how many workers it freed.
    private func collectFinished(counters: PipelineCounters) -> Int {
        var freed = 0
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                  var transfer = active[handle]
            else { continue }
            let worker = transfer.worker
            if worker.gate.pointee.refused != 0 {
                refused(handle, transfer: transfer)
                continue
            }
            active[handle] = nil
            let watch = watched.remove(handle).map { _ in
                H2CWatch(firstBytes: worker.serversFirstBytes, sentNothing: worker.serverSentNothing)
            }
            let code = hit_multi_msg_result(message)
            var result = worker.result(code: code, target: transfer.target)
            worker.fitBuffer(toReceived: result.wireBytesReceived)
            if transfer.role == .opener { opened(result: &result, handle: handle, target: transfer.target, watch: watch) }
            if !transfer.retried, Self.mayRetry(code: code, result: result, worker: worker) {
                // The server closed a kept-alive connection as the request went out: send it once
                // more, on a fresh connection, as RFC 9112 allows for idempotent requests.
                transfer.retried = true
                active[handle] = transfer
                curl_multi_remove_handle(multi, handle)
                resume(handle, as: transfer.role)
                counters.retried.add(1, ordering: .relaxed)
                continue
            }
            place(&result, transfer: transfer, stamps: worker.stamps.pointee)
            spun += worker.stamps.pointee.held_ns
            if worker.stamps.pointee.counted != 0 { meter?.ended() }  // counted only with a meter
            curl_multi_remove_handle(multi, handle)
            idle.append(worker)
            freed += 1
            if unsent.isEmpty { unsentSince = transfer.handedOff }
            unsent.append(result)
        }
        return freed
    }

    /// What an opener's end says about its origin: whether it answered in HTTP/1.1 though HTTP/2
    /// was asked for (ALPN without h2), and, for h2c, whether it speaks HTTP/2 at all: an h2c
    /// request that failed is `no-h2c` only if the server's first bytes were not HTTP/2's
    /// (`watch`); one that spoke HTTP/2 and then reset the stream, sent GOAWAY or broke the
    /// framing is named for what it did.
    private func opened(result: inout RequestResult, handle: UnsafeMutableRawPointer, target: Int, watch: H2CWatch?) {
        let index = originOf[target]
        if result.status > 0, let version = result.httpVersion, version < .http2 { origins[index].fellBack = true }
        if let error = result.error, result.status == 0, result.phases.connect != nil,
           error.kind == .reset || error.kind == .protocolError, targets[target].request.isHTTPS == false,
           !Self.isStreamError(error) {  // a reset stream needs no naming: only HTTP/2 resets one
            if let watch, watch.answer != nil { origins[index].lastWatch = watch }
            // A connection's own bytes say what it was; unseen ones are read as the origin's last
            // seen ones said, else said to be unseen.
            let knows = watch.map { $0.answer != nil || $0.sentNothing } ?? false
            // With nothing seen, the error stays libcurl's: a reset with no bytes is not evidence of
            // an HTTP/1.1 server (a server restarting resets the connections it had accepted).
            if let named = (knows ? watch : origins[index].lastWatch ?? watch)?.error(for: error) {
                result.error = named
            }
        }
        if origins[index].opening == handle { openerDone(origin: index, connected: result.status > 0) }
    }

    /// Places a result in the run: its index, when it was written (else handed off) and, if paced,
    /// when it was due, how late it was written and its corrected latency, all on one clock from
    /// `runStart`. Corrected latency runs from due to the moment libcurl ended the transfer.
    private func place(_ result: inout RequestResult, transfer: Transfer, stamps: hit_transfer_stamps) {
        result.index = transfer.index
        let written = stamps.written_ns > 0 ? UInt64(stamps.written_ns) : transfer.handedOff
        result.offset = .nanoseconds(Int64(bitPattern: written &- runStart))
        guard transfer.due > 0 else { return }
        let due = transfer.due
        result.due = .nanoseconds(Int64(bitPattern: due &- runStart))
        result.lateness = .nanoseconds(written > due ? Int64(written - due) : 0)
        let ended = stamps.ended_ns > 0 ? UInt64(stamps.ended_ns) : PreciseWait.monotonicNanoseconds()
        result.correctedLatency = max(result.latency, .nanoseconds(ended > due ? Int64(ended - due) : 0))
    }

    /// Whether libcurl's words for an error say that a stream was reset: only a server that speaks
    /// HTTP/2 resets one.
    static func isStreamError(_ error: TransferError) -> Bool {
        error.message.contains("was not closed cleanly") || error.message.contains("Stream error in the HTTP/2 framing layer")
            || error.message.hasPrefix("the server reset stream")
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

    /// At cancellation (a stop, or the deadline): collects the transfers that have ended meanwhile
    /// (a response that came in as the run ended is a result, not an abort), then aborts the rest.
    private func endAtCancellation(counters: PipelineCounters) {
        if !active.isEmpty {
            perform()
            _ = collectFinished(counters: counters)
        }
        abandonActive(counters: counters)
    }

    /// Aborts every transfer in flight. One whose request was written is counted as abandoned,
    /// not as a result; one not written yet (waiting for its connection, or for its due time) was
    /// never sent, and no longer counts as started.
    private func abandonActive(counters: PipelineCounters) {
        var written = 0
        for (handle, transfer) in active {
            curl_multi_remove_handle(multi, handle)
            let stamps = transfer.worker.stamps.pointee
            if stamps.counted != 0 || stamps.written_ns != 0 {
                written += 1
                if stamps.counted != 0 { meter?.ended() }
            }
            idle.append(transfer.worker)
        }
        counters.abandoned.add(written, ordering: .relaxed)
        counters.started.subtract(active.count - written, ordering: .relaxed)
        active.removeAll()
        watched.removeAll()
        early.removeAll()
        for index in origins.indices {
            origins[index].opening = nil
            origins[index].parked.removeAll()
        }
        openingCount = 0
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
