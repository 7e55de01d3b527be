import Synchronization

/// What the target server has seen, for tests to compare with what hit reports.
public final class TargetStats: Sendable {
    private let requests = Atomic<Int>(0)
    private let connections = Atomic<Int>(0)
    private let inFlight = Atomic<Int>(0)
    private let peakInFlight = Atomic<Int>(0)

    public init() {}

    /// Requests whose head arrived.
    public var requestsSeen: Int { requests.load(ordering: .acquiring) }
    /// TCP connections accepted.
    public var connectionsAccepted: Int { connections.load(ordering: .acquiring) }
    /// Requests received and not yet answered (or abandoned by the client), right now.
    public var requestsInFlight: Int { inFlight.load(ordering: .acquiring) }
    /// The most requests that were in flight at once.
    public var maxInFlight: Int { peakInFlight.load(ordering: .acquiring) }

    func connectionAccepted() {
        connections.add(1, ordering: .acquiringAndReleasing)
    }

    func requestBegan() {
        requests.add(1, ordering: .acquiringAndReleasing)
        let now = inFlight.add(1, ordering: .acquiringAndReleasing).newValue
        var peak = peakInFlight.load(ordering: .acquiring)
        while now > peak {
            let (exchanged, original) = peakInFlight.compareExchange(expected: peak, desired: now, ordering: .acquiringAndReleasing)
            if exchanged { break }
            peak = original
        }
    }

    func requestEnded() {
        inFlight.subtract(1, ordering: .acquiringAndReleasing)
    }
}
