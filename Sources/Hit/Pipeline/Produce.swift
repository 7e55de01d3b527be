extension Pipeline {
    /// Stage 1, produce: sends `count` jobs (or without end, for `nil`), then closes `out`; stops
    /// early on cancellation. Each job carries its index in the whole run: 0, 1, 2 … in one
    /// process, the shard's stripe (`index`, `index + count` …) in a shard. Its target is the mix's
    /// for that index, so that the shards together send what one process would.
    /// `render`, under templating, makes each job's request from its index and target, here,
    /// ahead of the send path.
    static func produce(_ count: Int?, shard: Shard, mix: TargetMix, into out: Channel<Job>, cancellation: CancellationToken,
                        render: (@Sendable (_ index: Int, _ target: Int) -> RenderedRequest)? = nil) {
        defer { out.close() }
        var local = 0
        while local < count ?? .max {
            let index = shard.globalIndex(local)
            var job = Job(index: index, target: mix.target(at: index))
            job.rendered = render?(index, job.target)
            guard !cancellation.isCancelled, out.send(job, cancellation: cancellation) else { return }
            local += 1
        }
    }
}
