extension Pipeline {
    /// Stage 1, produce: sends jobs 0..<count (or without end, for `nil`), round-robin over the
    /// targets, then closes `out`; stops early on cancellation.
    static func produce(_ count: Int?, targets: Int, into out: Channel<Job>, cancellation: CancellationToken) {
        defer { out.close() }
        var index = 0
        while index < count ?? .max {
            let job = Job(index: index, target: index % targets)
            guard !cancellation.isCancelled, out.send(job, cancellation: cancellation) else { return }
            index += 1
        }
    }
}
