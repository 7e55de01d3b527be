import DequeModule

/// Under `--ramp-up`, an event loop's workers that have not started yet and when each starts:
/// the first at once, the k-th of n at k/n of the ramp.
struct RampUp<Worker> {
    private var dormant: Deque<(at: UInt64, worker: Worker)> = []

    /// When each of `count` workers starts, from `start` over `duration` (uptime nanoseconds).
    static func starts(of count: Int, from start: UInt64, over duration: UInt64) -> [UInt64] {
        guard count > 0 else { return [] }
        let step = duration / UInt64(count)
        return (0..<count).map { start &+ step * UInt64($0) }
    }

    init() {}

    /// Holds back all of `workers` but the first, which it returns, each until its start.
    init(_ workers: [Worker], from start: UInt64, over duration: UInt64) {
        for (at, worker) in zip(Self.starts(of: workers.count, from: start, over: duration), workers).dropFirst() {
            dormant.append((at, worker))
        }
    }

    var isEmpty: Bool { dormant.isEmpty }

    /// When the next one starts.
    var nextStart: UInt64? { dormant.first?.at }

    /// The workers whose start has come by `now`, in order, taken out.
    mutating func started(by now: UInt64) -> [Worker] {
        var started: [Worker] = []
        while let next = dormant.first, next.at <= now { started.append(dormant.removeFirst().worker) }
        return started
    }

    /// Every worker still held back, taken out.
    mutating func removeAll() -> [Worker] {
        defer { dormant.removeAll() }
        return dormant.map(\.worker)
    }
}
