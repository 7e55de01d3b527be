import CCurlShim
import Dispatch

/// One event-loop thread of the dispatch stage: a set of libcurl multi handles driving a share of
/// the workers' easy handles, so that many workers need few threads.
///
/// libcurl 7.88 walks every connection of a multi handle each time one of its transfers ends, so
/// a loop spreads its workers over multi handles of at most `workersPerMultiHandle` each (each
/// worker always joins the same one, where its connections are kept), all of them waited on in
/// one epoll (`hit_multi_set`, in the C shim). HTTP/2 keeps one handle a loop: its connections
/// are shared by the handle's transfers.
///
/// It takes a job whenever a worker is idle, waits for its sockets (never busy-polling) while
/// transfers run, is woken when a job arrives or the run is cancelled, and then aborts at once.
///
/// The loop is a driver over parts that decide without libcurl or a clock, each tested on its
/// own: `EarlyJobs` (paced jobs taken before they are due), `RampUp` (workers held back under
/// `--ramp-up`), `Pacing` (when to wake, hand on, and give up on a job), `OriginConnections`
/// (which HTTP/2 connection a transfer joins or opens) and `ResultBatch` (when results go to the
/// aggregator). Its extensions carry out the rest: starting jobs (`TransferLoop+Jobs`), HTTP/2
/// connections (`TransferLoop+HTTP2`), finished transfers and the stop (`TransferLoop+Results`).
///
/// In a paced run the throttle releases each job a little before it is due. The loop keeps such
/// jobs, earliest first, each holding a worker; it sleeps in `curl_multi_poll` with a timerfd
/// armed for `Pacing.wakeLead` before the earliest is due, spins until `Pacing.handOffLead`
/// before it, then hands the job to libcurl and drives it at once. libcurl gets the request
/// ready, and the shim's PREREQFUNCTION callback, called just before the write, spins the last
/// few µs until the due time: the request is written on time, never early.
///
/// `@unchecked Sendable`: handed to its thread at start, then used by that thread alone (it owns
/// libcurl handles, which one thread at a time may use).
final class TransferLoop: @unchecked Sendable {
    /// The loop's multi handles (`hit_multi_set`).
    let multis: OpaquePointer
    let targets: [CurlTarget]
    var idle: [CurlEasy]
    /// A transfer in flight: the worker, the job's place in the run and its target, when it was
    /// handed to libcurl and when it was due (uptime nanoseconds; 0 in an unpaced run).
    struct Transfer {
        let worker: CurlEasy
        let index: Int
        let target: Int
        let handedOff: UInt64
        let due: UInt64
        var retried = false
        var role: ConnectionRole
    }
    /// Which connection each HTTP/2 transfer joins or opens, by origin; `originOf[target]` is the
    /// target's origin.
    var connectionPlan: OriginConnections<UnsafeMutableRawPointer>
    let originOf: [Int]
    /// By origin: what the last h2c opener whose first bytes were seen found the server to send.
    /// A server breaks every connection alike, and the bytes of a later one may go unseen.
    var lastWatch: [H2CWatch?]
    /// Requests carried by each connection, counted by the workers' PREREQFUNCTION callback.
    private let connections: OpaquePointer?
    /// Paced jobs taken early and not yet due; each holds one of the idle workers.
    var early = EarlyJobs()
    /// A CLOCK_MONOTONIC timerfd that wakes the poll just before the earliest job is due, and the
    /// deadline it is armed for (0: not armed).
    private var timer: Int32 = -1
    private var timerArmedFor: UInt64 = 0
    /// When the loop wakes for a kept job, hands it to libcurl, and gives up on one.
    var pacing = Pacing()
    /// Nanoseconds this loop's thread spent spinning towards paced requests' due times (its own
    /// spin and the PREREQFUNCTION callbacks'): waiting, not work, in its busy share.
    var spun: Int64 = 0
    var rampUp = RampUp<CurlEasy>()  // under `--ramp-up`, the workers not started yet

    /// Transfers in flight, by easy handle; h2c openers, whose servers' first bytes are kept (`H2CWatch`).
    var active: [UnsafeMutableRawPointer: Transfer] = [:]
    var watched: Set<UnsafeMutableRawPointer> = []
    /// The start of the run, in uptime nanoseconds; set by `run`.
    var runStart: UInt64 = 0
    /// Jobs taken from the channel, one batch at a time (a reused buffer).
    private var jobBatch: [Job] = []
    /// Results not yet handed to the aggregator.
    var unsent = ResultBatch()

    /// Counts each request as it is written, and as it ends (the run's, shared by its loops).
    let meter: SendMeter?
    /// What a response must be to succeed, and this loop's own compiled body pattern.
    let checks: ResponseChecks?
    let bodyPattern: BodyPattern?

    /// `connectionsPerOrigin`: this loop's share of `--connections`, if given; `meter`: the run's
    /// send meter.
    init(workers: [CurlEasy], targets: [CurlTarget], client: ClientOptions, connectionsPerOrigin: Int? = nil,
         meter: SendMeter? = nil, checks: ResponseChecks? = nil) throws(SetupError) {
        self.checks = checks
        do {
            bodyPattern = try checks?.bodyPattern.map { pattern throws(ResponseChecks.Problem) in try BodyPattern(pattern) }
        } catch {
            throw SetupError("the body check: \(error)")
        }
        let multiplexing = client.httpVersion.multiplexes
        let handles = Self.multiHandles(workers: workers.count, multiplexing: multiplexing)
        guard let multis = hit_multi_set_create(Int32(handles)) else { throw SetupError("libcurl could not make a multi handle") }
        self.multis = multis
        Diagnostics.curlHandles.add(handles, ordering: .relaxed)
        self.idle = workers
        self.targets = targets
        var originIndex: [String: Int] = [:]
        originOf = targets.map { target in
            if let index = originIndex[target.origin] { return index }
            originIndex[target.origin] = originIndex.count
            return originIndex.count - 1
        }
        connectionPlan = OriginConnections(origins: originIndex.count, multiplexing: multiplexing && client.keepAlive)
        lastWatch = Array(repeating: nil, count: originIndex.count)
        connections = hit_connection_table_create()
        self.meter = meter
        // Worker i joins handle i × handles / workers: the handles' shares differ by one at most.
        for (index, worker) in workers.enumerated() {
            worker.stamps.pointee.connections = connections
            worker.stamps.pointee.meter = meter?.pointer
            worker.multiSlot = Int32(index * handles / workers.count)
        }
        // libcurl keeps 4 idle connections per easy handle in the multi, and closes the oldest
        // beyond that; workers waiting for a job are not in the multi, so that count would shrink
        // in a paced run and close connections a worker is about to reuse. Every worker may need
        // its own.
        var shares = Array(repeating: 0, count: handles)
        for worker in workers { shares[Int(worker.multiSlot)] += 1 }
        for (slot, share) in shares.enumerated() {
            _ = hit_multi_setopt_long(hit_multi_set_handle(multis, Int32(slot)), CURLMOPT_MAXCONNECTS, max(share, 1))
        }
        if multiplexing {
            let multi = hit_multi_set_handle(multis, 0)
            // libcurl's own cap is 100 streams a connection: without --streams the server's is the one.
            _ = hit_multi_setopt_long(multi, CURLMOPT_MAX_CONCURRENT_STREAMS, client.streamsPerConnection ?? Self.unlimitedStreams)
            if let connectionsPerOrigin {
                _ = hit_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, connectionsPerOrigin)
            }
        }
    }

    deinit {
        for (handle, transfer) in active { hit_multi_set_remove(multis, transfer.worker.multiSlot, handle) }
        Diagnostics.curlHandles.subtract(Int(hit_multi_set_count(multis)), ordering: .relaxed)
        hit_multi_set_destroy(multis)
        for worker in idle {
            worker.stamps.pointee.connections = nil
            worker.stamps.pointee.meter = nil
        }
        hit_connection_table_destroy(connections)
    }

    /// Runs until `jobs` is closed and drained and every transfer has ended, or until cancellation.
    /// Finished transfers' results go to `results`, in batches; their offsets count from `runStart`.
    /// `pacing`: in a paced run, how long before each job's due time to wake, and to hand it on.
    func run(jobs: Channel<Job>, results: Channel<RequestResult>, cancellation: CancellationToken,
             counters: PipelineCounters, runStart: DispatchTime, pacing: Pacing = Pacing()) {
        self.runStart = runStart.uptimeNanoseconds
        self.pacing = pacing
        if pacing.rampUp > 0, idle.count > 1 {
            rampUp = RampUp(idle, from: self.runStart, over: pacing.rampUp)
            idle = [idle[0]]
        }
        timer = hit_timerfd_create()
        let cpuAtStart = hit_thread_cpu_demand_ns(), wallAtStart = hit_monotonic_ns()
        spun = 0
        defer {
            let wall = hit_monotonic_ns() - wallAtStart
            if wall >= GeneratorLoad.shortestMeasured.nanoseconds {
                let busy = Double(max(0, hit_thread_cpu_demand_ns() - cpuAtStart - spun)) / Double(wall)
                counters.loopBusy.withLock { $0.append(min(1, busy)) }
            }
            if timer >= 0 { _ = hit_close(timer) }
            timer = -1
            early.removeAll()
            idle += rampUp.removeAll()
        }
        PreciseWait.withMinimalTimerSlack {
            drive(jobs: jobs, results: results, cancellation: cancellation, counters: counters)
        }
    }

    /// The loop: take jobs for idle workers, hand on those due, drive the transfers, hand on
    /// results, sleep until something needs it.
    private func drive(jobs: Channel<Job>, results: Channel<RequestResult>, cancellation: CancellationToken,
                       counters: PipelineCounters) {
        let waker = MultiWaker(multis: multis)
        let wakerID = jobs.makeWakerID()
        let registration = cancellation.onCancel { waker.wake() }
        // Both removals return only once the waker can no longer run: then the handles may be freed.
        defer {
            cancellation.removeHandler(registration)
            jobs.removeWaker(wakerID)
        }
        var jobsDone = false
        // Every way out hands on what finished; a send that fits is delivered even after a cancel.
        defer { flush(results, cancellation: cancellation) }
        while true {
            idle += rampUp.started(by: DispatchTime.now().uptimeNanoseconds)
            if !jobsDone {
                jobsDone = takeJobs(from: jobs, waker: waker, wakerID: wakerID, results: results,
                                    cancellation: cancellation, counters: counters)
            }
            if !cancellation.isCancelled { startDueJobs(counters: counters, cancellation: cancellation) }
            if cancellation.isCancelled {
                endAtCancellation(counters: counters)
                return
            }
            if active.isEmpty && early.isEmpty {
                if jobsDone { return }
                continue
            }
            let freed = active.isEmpty ? 0 : driveTransfers(counters: counters)
            let now = DispatchTime.now().uptimeNanoseconds
            if unsent.isDue(now: now), !flush(results, cancellation: cancellation) {
                endAtCancellation(counters: counters)
                return
            }
            // The last transfers just ended and no job is left: done now, not after a wait with
            // nothing to wait for (which held the run's end up to a second).
            if jobsDone && active.isEmpty && early.isEmpty { return }
            // Workers just freed may have jobs waiting; otherwise sleep until a socket, a job, a
            // cancellation, the next due job or the results' flush time needs us.
            if freed == 0 || jobsDone { wait(timeoutMilliseconds: pollTimeout(now: now)) }
        }
    }

    /// Takes a job for every idle worker not already held by an early job, in batches: blocks for
    /// them when there is nothing else to do, else takes only those ready. Returns whether the
    /// jobs have ended (the channel closed and drained).
    private func takeJobs(from jobs: Channel<Job>, waker: MultiWaker, wakerID: Channel<Job>.WakerID, results: Channel<RequestResult>,
                          cancellation: CancellationToken, counters: PipelineCounters) -> Bool {
        while idle.count > early.count, !cancellation.isCancelled {
            let room = idle.count - early.count
            if active.isEmpty && early.isEmpty {
                // Nothing to drive: hand on what finished, then block until there is work, the
                // end, or cancellation. First withdraw any poll-waker: a stale one would take the
                // wake-up meant for this blocked receive.
                guard flush(results, cancellation: cancellation) else { return false }
                jobs.removeWaker(wakerID)
                guard jobs.receive(into: &jobBatch, limit: room, cancellation: cancellation) else {
                    return !cancellation.isCancelled
                }
            } else {
                // Transfers to drive or jobs to wait for: take jobs only if some are ready, else
                // be woken for them.
                switch jobs.receive(into: &jobBatch, limit: room, orWake: { waker.wake() }, id: wakerID) {
                case nil: break
                case .closed: return true
                case .empty, .element: return false
                }
            }
            for job in jobBatch { take(job, counters: counters) }
            jobBatch.removeAll(keepingCapacity: true)
        }
        return false
    }

    /// Drives the transfers in flight once and collects those that ended; how many workers it freed.
    private func driveTransfers(counters: PipelineCounters) -> Int {
        perform()
        if connectionPlan.openingCount > 0 { releaseFollowersOfOpenConnections() }
        return collectFinished(counters: counters)
    }

    func perform() {  // h2c openers' first bytes are peeked before libcurl reads them
        if !watched.isEmpty { watchOpeners() }
        hit_multi_set_perform(multis)
    }

    /// How long the poll may sleep: until the results' flush time or the next worker's start
    /// under `--ramp-up`, at most a second.
    private func pollTimeout(now: UInt64) -> Int32 {
        let untilWorker = rampUp.nextStart.map { $0 > now ? Int32(min(1000, ($0 - now) / 1_000_000 + 1)) : 0 } ?? 1000
        return min(unsent.millisecondsUntilDue(now: now), untilWorker)
    }

    /// Sleeps in `hit_multi_set_poll` (`curl_multi_poll`, or one epoll for many handles) until a
    /// socket, a wake-up (a job, cancellation) or the timeout; with a job kept for later, also until
    /// just before it is due (the timerfd: the poll's own timeout counts in milliseconds).
    private func wait(timeoutMilliseconds: Int32) {
        var extra: Int32 = -1
        if timer >= 0, let due = early.firstDue {
            let wakeAt = due &- pacing.wakeLead
            if wakeAt <= PreciseWait.monotonicNanoseconds() { return }
            if timerArmedFor != wakeAt {
                _ = hit_timerfd_arm(timer, Int64(wakeAt))
                timerArmedFor = wakeAt
            }
            extra = timer
        }
        var fired: Int32 = 0
        hit_multi_set_poll(multis, extra, timeoutMilliseconds, &fired)
        if fired != 0 { hit_timerfd_drain(timer) }
    }

    /// Hands the unsent results to the aggregator. Returns `false` if cancellation stopped it.
    @discardableResult
    private func flush(_ results: Channel<RequestResult>, cancellation: CancellationToken) -> Bool {
        guard !unsent.isEmpty else { return true }
        defer { unsent.removeAll() }
        return results.send(contentsOf: unsent.results, cancellation: cancellation)
    }
}
