import CCurlShim

extension TransferLoop {
    /// A job taken from the channel: dropped if the schedule's end has passed (it was due before
    /// the end, and no worker was free in time), kept until due if paced, else started.
    func take(_ job: Job, counters: PipelineCounters) {
        if pacing.dropsJobs(at: PreciseWait.monotonicNanoseconds()) {
            counters.dropped.add(1, ordering: .relaxed)
        } else if job.due == nil {
            start(job, counters: counters)
        } else {
            early.keep(job)
        }
    }

    /// Hands every kept job due within `pacing.handOffLead` to libcurl, and drives them at once;
    /// each one's write waits in the PREREQFUNCTION callback for its due time. If the earliest is
    /// due within `pacing.wakeLead`, spins until it can be handed on (tens of µs at most).
    func startDueJobs(counters: PipelineCounters, cancellation: CancellationToken) {
        guard let first = early.firstDue else { return }
        var now = PreciseWait.monotonicNanoseconds()
        guard pacing.isTimeToWake(for: first, now: now) else { return }
        let spinFrom = now
        while !pacing.isTimeToHandOff(first, now: now) {
            if cancellation.isCancelled { return }
            PreciseWait.relax()
            now = PreciseWait.monotonicNanoseconds()
        }
        spun += Int64(bitPattern: now &- spinFrom)
        while let job = early.next(dueBy: now &+ pacing.handOffLead) { start(job, counters: counters) }
        perform()
    }

    /// Gives `job` an idle worker and hands it to libcurl, or parks it until its origin's HTTP/2
    /// connection is up.
    func start(_ job: Job, counters: PipelineCounters) {
        let worker = idle.removeLast()
        // Targets were all applied once to a probe handle at set-up, so this cannot fail here.
        try? worker.use(targets[job.target])
        if let rendered = job.rendered { worker.apply(rendered, of: targets[job.target]) }
        worker.stamps.pointee.counted = 0  // a new request: counted once it is written
        worker.prepare()
        // A paced request is written no earlier than it is due: the PREREQFUNCTION callback waits for it.
        worker.stamps.pointee.not_before_ns = Int64(job.due?.uptimeNanoseconds ?? 0)
        let origin = originOf[job.target]
        let role = connectionPlan.start(worker.handle, origin: origin)
        active[worker.handle] = Transfer(worker: worker, index: job.index, target: job.target,
                                         handedOff: PreciseWait.monotonicNanoseconds(),
                                         due: job.due?.uptimeNanoseconds ?? 0, role: role ?? .follower)
        counters.started.add(1, ordering: .relaxed)
        if idle.isEmpty, rampUp.isEmpty { counters.allBusy.store(true, ordering: .relaxed) }
        // Without a role it waits, outside libcurl, for the connection opening to its origin.
        guard let role else { return }
        if role == .opener { watchIfH2C(worker.handle) }
        worker.reportProgress(job.due != nil || watched.contains(worker.handle))
        worker.take(role)
        hit_multi_set_add(multis, worker.multiSlot, worker.handle)
    }
}
