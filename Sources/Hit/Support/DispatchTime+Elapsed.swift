import Dispatch

extension DispatchTime {
    /// The time from `start` to this instant on the monotonic clock; zero when `start` is later
    /// (a run stopped while it waited for a start still ahead).
    func elapsed(since start: DispatchTime) -> Duration {
        let end = uptimeNanoseconds, begin = start.uptimeNanoseconds
        return .nanoseconds(Int64(clamping: end > begin ? end - begin : 0))
    }
}
