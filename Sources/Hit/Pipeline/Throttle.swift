import Dispatch

extension Pipeline {
    /// Stage 2, throttle (only with a rate): passes each job on at its place in an absolute
    /// schedule, start + index / rate, so that delays never accumulate as a ticker's do; a late
    /// job goes at once. Closes `out` when done.
    static func throttle(_ input: Channel<Job>, into out: Channel<Job>, rate: Double, cancellation: CancellationToken) {
        defer { out.close() }
        let start = DispatchTime.now().uptimeNanoseconds
        while var job = input.receive(cancellation: cancellation) {
            let due = DispatchTime(uptimeNanoseconds: start + UInt64((Double(job.index) / rate * 1e9).rounded()))
            if cancellation.wait(until: due) { return }
            job.due = due
            guard out.send(job, cancellation: cancellation) else { return }
        }
    }
}
