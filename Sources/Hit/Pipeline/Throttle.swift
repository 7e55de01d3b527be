import Dispatch

extension Pipeline {
    /// How long before its due time the throttle releases a job. The dispatch loop that takes it
    /// keeps it until it is due and then writes it at once: a hand-off between threads at the due
    /// time itself would make every request tens of µs late.
    static let releaseLead: UInt64 = 1_000_000

    /// Stage 2, throttle (only with a rate or stages): gives each job its place in an absolute
    /// schedule, `runStart + schedule.due(index)` (`index / rate` at a constant rate), so that
    /// delays never accumulate as a ticker's do, and passes it on `releaseLead` before that (a late
    /// job goes at once). The channel's capacity bounds how many jobs are released ahead. Stops at
    /// the schedule's end. Closes `out` when done. Returns whether it released every job it was
    /// given (its input closed, not cancelled).
    @discardableResult
    static func throttle(_ input: Channel<Job>, into out: Channel<Job>, schedule: ArrivalSchedule, runStart: DispatchTime,
                         cancellation: CancellationToken) -> Bool {
        defer { out.close() }
        let start = runStart.uptimeNanoseconds
        return PreciseWait.withMinimalTimerSlack {
            while var job = input.receive(cancellation: cancellation) {
                guard let offset = schedule.dueSeconds(Double(job.index)) else { return false }
                let due = start + UInt64((offset * 1e9).rounded())
                let release = max(start, due >= releaseLead ? due - releaseLead : 0)
                if cancellation.wait(until: DispatchTime(uptimeNanoseconds: release)) { return false }
                job.due = DispatchTime(uptimeNanoseconds: due)
                guard out.send(job, cancellation: cancellation) else { return false }
            }
            return !cancellation.isCancelled
        }
    }
}
