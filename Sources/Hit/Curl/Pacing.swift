/// How far ahead of a paced job's due time its loop wakes and hands it to libcurl (nanoseconds).
struct Pacing: Sendable {
    /// libcurl takes some 25–55 µs from the hand-off to being ready to write on a reused
    /// connection (more on a busy machine); the PREREQFUNCTION callback, just before the write, waits for the rest.
    var handOffLead: UInt64 = 0
    /// The timerfd's wake-up comes some 30 µs late (more on a busy machine); the loop spins from
    /// it to `handOffLead`.
    var wakeLead: UInt64 = 0
    /// Paced, with an end (the stages', or the `-z` deadline): that end plus `cutoffGrace`, in
    /// uptime nanoseconds. A job (due before the end) not started by then is dropped: due while
    /// every worker was busy, it never found one in time.
    var cutoff: UInt64?
    /// How long after the schedule's end a job due before it may still start, late: a loop that
    /// takes the last job a moment after the end (a busy machine) has not run out of workers.
    static let cutoffGrace: UInt64 = 10_000_000
    /// Under `--ramp-up`: the time over which each loop starts its workers, evenly (nanoseconds).
    var rampUp: UInt64 = 0

    init() {}

    /// Whether a job due at `due` is near enough at `now` for the loop to stop sleeping and spin.
    func isTimeToWake(for due: UInt64, now: UInt64) -> Bool {
        due <= now &+ wakeLead
    }

    /// Whether a job due at `due` may be handed to libcurl at `now`.
    func isTimeToHandOff(_ due: UInt64, now: UInt64) -> Bool {
        due <= now &+ handOffLead
    }

    /// Whether a job taken at `now` comes too late to start: past the cut-off.
    func dropsJobs(at now: UInt64) -> Bool {
        cutoff.map { now > $0 } ?? false
    }

    /// For `rate` requests a second. Each lead is at most a quarter of the interval between two
    /// requests, so that the spins (the loop's, then the PREREQFUNCTION callback's) take at most half of it:
    /// some tens of µs per request, never more than half a core.
    init(rate: Double?) {
        guard let rate, rate > 0 else { return }
        let interval = 1e9 / rate
        handOffLead = UInt64(min(60_000, interval / 4))
        wakeLead = handOffLead + UInt64(min(60_000, interval / 4))
    }
}
