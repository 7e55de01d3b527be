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

    /// Spins until CLOCK_MONOTONIC reaches `deadline` (uptime nanoseconds) or `stop` says so;
    /// only for the last few tens of µs, after a timed wait. Returns the time it stopped.
    static func spin(until deadline: UInt64, stop: () -> Bool) -> UInt64 {
        var now = monotonicNanoseconds()
        while now < deadline, !stop() {
            hit_cpu_relax()
            now = monotonicNanoseconds()
        }
        return now
    }

    /// CLOCK_MONOTONIC now, in nanoseconds: `DispatchTime.now().uptimeNanoseconds`, read directly.
    static func monotonicNanoseconds() -> UInt64 {
        UInt64(hit_monotonic_ns())
    }
}
