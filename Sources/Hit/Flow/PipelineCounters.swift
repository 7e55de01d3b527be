import Synchronization

/// Counters the stages update and the pipeline reports.
final class PipelineCounters: Sendable {
    let liveStages = Atomic<Int>(0)
    let started = Atomic<Int>(0)
    let abandoned = Atomic<Int>(0)
    let retried = Atomic<Int>(0)
    /// Paced: jobs due before the schedule's end that found no free worker by then.
    let dropped = Atomic<Int>(0)
    /// Whether the throttle released every job due before the deadline, which ended the schedule.
    let cutAtDeadline = Atomic<Bool>(false)
    /// Whether a loop ever had every one of its workers busy.
    let allBusy = Atomic<Bool>(false)
    /// Each loop's busy share of its running time, as it returns (see `GeneratorLoad.loopBusy`).
    let loopBusy = Mutex<[Double]>([])
}
