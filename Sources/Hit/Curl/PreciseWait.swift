import CCurlShim

/// Waiting to the microsecond on Linux, for the threads that keep the schedule. (It lives beside
/// libcurl because the C shim is hit's one door to C.)
///
/// Every timed sleep of a thread (futex, poll, nanosleep) may end up to the thread's timer slack
/// late, 50 µs by default; a pacing thread asks for 1 ns instead, for as long as it runs.
enum PreciseWait {
    /// Runs `body` with the calling thread's timer slack at 1 ns, then restores it (stage threads
    /// come from a shared pool).
    static func withMinimalTimerSlack<T>(_ body: () throws -> T) rethrows -> T {
        let previous = hit_timer_slack_ns()
        _ = hit_set_timer_slack_ns(1)
        defer { if previous > 0 { _ = hit_set_timer_slack_ns(UInt(previous)) } }
        return try body()
    }

    /// Tells the CPU that this thread is spinning (x86 `pause`).
    static func relax() {
        hit_cpu_relax()
    }

    /// CLOCK_MONOTONIC now, in nanoseconds: `DispatchTime.now().uptimeNanoseconds`, read directly.
    static func monotonicNanoseconds() -> UInt64 {
        UInt64(hit_monotonic_ns())
    }
}
