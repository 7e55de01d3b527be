import Dispatch
import Synchronization

/// A service of known capacity, for `/capacity/{slots}/{ms}`: `slots` requests are served at once,
/// each for `ms` milliseconds, and the rest queue, first come first served. Its capacity is
/// `slots × 1000 / ms` requests a second; below it a request takes `ms`, above it the queue (and
/// the latency) grows for as long as the overload lasts.
public final class ServiceSlots: Sendable {
    /// For each (slots, ms): when each slot is next free, in uptime nanoseconds.
    private let freeAt = Mutex<[Key: [UInt64]]>([:])

    private struct Key: Hashable {
        let slots: Int
        let milliseconds: Int
    }

    public init() {}

    /// Takes the slot that frees first for a request arriving now; returns how long until its
    /// response is due (the wait for the slot plus the service), in nanoseconds.
    public func admit(slots: Int, milliseconds: Int) -> UInt64 {
        let now = DispatchTime.now().uptimeNanoseconds
        let service = UInt64(milliseconds) * 1_000_000
        return freeAt.withLock { table in
            let key = Key(slots: slots, milliseconds: milliseconds)
            var slotsFree = table[key] ?? Array(repeating: 0, count: slots)
            let slot = slotsFree.indices.min { slotsFree[$0] < slotsFree[$1] } ?? 0
            let start = max(now, slotsFree[slot])
            slotsFree[slot] = start + service
            table[key] = slotsFree
            return start + service - now
        }
    }
}
