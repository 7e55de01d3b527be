import Synchronization

/// When a connection last read bytes from its socket (uptime nanoseconds): the arrival time of a
/// request head that the HTTP decoder hands on a few µs later.
final class ReadStamp: Sendable {
    let nanoseconds = Atomic<UInt64>(0)
}
