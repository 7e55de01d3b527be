import CCurlShim

/// Counts a run's requests at the moment each is written to its connection (libcurl's
/// PREREQFUNCTION, after any wait for the due time): in all, by the timeline interval in which
/// each was written, and those written and not yet ended.
///
/// The timeline reads its `sent` and `inFlight` here, so that a request counts in the interval in
/// which it went out (not when it was handed to libcurl, up to a pacing lead earlier), and in
/// flight means on the wire: never more than the workers (or, with HTTP/2, the streams).
///
/// `@unchecked Sendable`: the C meter's counters are atomics, written by every event loop's
/// callbacks and read by the timeline's timer; its origin is set once, before any stage starts.
final class SendMeter: @unchecked Sendable {
    let pointer: OpaquePointer

    init(interval: Duration) throws(SetupError) {
        guard let pointer = hit_send_meter_create(interval.nanoseconds) else {
            throw SetupError("out of memory for the run's send counters")
        }
        self.pointer = pointer
    }

    deinit {
        hit_send_meter_destroy(pointer)
    }

    /// Sets the run's origin: call before any stage starts.
    func start(at runStart: UInt64) {
        hit_send_meter_start(pointer, Int64(bitPattern: runStart))
    }

    /// Requests written so far.
    var written: Int { Int(hit_send_meter_written(pointer)) }
    /// Requests written and not yet ended.
    var inFlight: Int { max(0, Int(hit_send_meter_in_flight(pointer))) }

    /// Reads and clears the requests written in interval `index` (from 0 at the run's start).
    func take(interval index: Int) -> Int {
        Int(hit_send_meter_take(pointer, Int64(index)))
    }

    /// How many intervals back the meter keeps counts: an interval must be taken before the run is
    /// this many intervals further on.
    static let keptIntervals = Int(HIT_SEND_METER_SLOTS)

    /// One written request has ended.
    func ended() {
        hit_send_meter_ended(pointer)
    }

    /// Counts one request written at `moment` (uptime nanoseconds), as the transfers' callback does.
    func countWrite(at moment: UInt64) {
        hit_send_meter_count_write(pointer, Int64(bitPattern: moment))
    }
}
