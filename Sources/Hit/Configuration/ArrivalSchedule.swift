#if canImport(Glibc)
import Glibc
#endif

/// When each request of an open-model run is due: at a constant rate (`-rps`), or along linear
/// stages of rate (`--stages`).
///
/// Request *i* is due at the time *t* when the integral of the rate from the start reaches *i*:
/// request 0 at the start, request *i* at *i* / rate under a constant rate. Along a linear piece
/// that starts at rate *a*, ends at rate *b* after *D* seconds and begins with *C* requests behind
/// it, *C* + *a*τ + (*b* − *a*)τ²/2*D* = *i* is solved in closed form for τ. So the schedule never
/// drifts, and lateness, dropped requests and corrected latency mean what they mean under a
/// constant rate.
public struct ArrivalSchedule: Sendable, Equatable {
    /// The linear pieces, in order; the last is open-ended for a constant rate.
    public let pieces: [Piece]

    public struct Piece: Sendable, Equatable {
        /// Seconds from the start of the run.
        public let start: Double
        public let duration: Double
        /// Requests per second at its start and at its end.
        public let from: Double
        public let to: Double
        /// The requests due before it: the integral of the rate up to its start.
        public let before: Double

        /// The integral of the rate over the whole piece.
        var area: Double { (from + to) / 2 * duration }
    }

    /// `rate` requests a second, for ever.
    public init(rate: Double) {
        pieces = [Piece(start: 0, duration: .infinity, from: rate, to: rate, before: 0)]
    }

    /// Along `stages`, from `initialRate` (the `-rps` given with them, else 0).
    public init(stages: [Stage], initialRate: Double = 0) {
        var pieces: [Piece] = []
        var start = 0.0, before = 0.0, rate = initialRate
        for stage in stages {
            let piece = Piece(start: start, duration: stage.duration.seconds, from: rate, to: stage.target, before: before)
            pieces.append(piece)
            start += piece.duration
            before += piece.area
            rate = stage.target
        }
        self.pieces = pieces
    }

    /// Whether it ends (stages do; a constant rate does not).
    public var end: Duration? {
        guard let last = pieces.last, last.duration.isFinite else { return nil }
        return Duration(secondsValue: last.start + last.duration)
    }

    /// The requests it schedules in all: those due before its end, ⌈integral⌉; `nil` without an end.
    public var totalRequests: Int? {
        guard let last = pieces.last, last.duration.isFinite else { return nil }
        let area = last.before + last.area
        // A rate the options refuse (NaN, infinite, negative) schedules nothing, and never traps.
        guard area > 0 else { return 0 }
        return Int(min(area.rounded(.up), Double(Int.max / 2)))
    }

    /// The highest rate it reaches.
    public var peakRate: Double {
        pieces.map { max($0.from, $0.to) }.max() ?? 0
    }

    /// The rate at `time` from the start (0 after the end).
    public func rate(at time: Duration) -> Double {
        let t = time.seconds
        guard let piece = pieces.last(where: { $0.start <= t }), t < piece.start + piece.duration else { return 0 }
        guard piece.duration.isFinite else { return piece.from }
        return piece.from + (piece.to - piece.from) * (t - piece.start) / piece.duration
    }

    /// The integral of the rate from the start to `time`: how many requests are due by then.
    public func integral(at time: Duration) -> Double {
        let t = time.seconds
        guard let piece = pieces.last(where: { $0.start <= t }) else { return 0 }
        guard piece.duration.isFinite else { return piece.before + piece.from * (t - piece.start) }
        let tau = min(t - piece.start, piece.duration)
        return piece.before + piece.from * tau + (piece.to - piece.from) * tau * tau / (2 * piece.duration)
    }

    /// When request `index` is due, from the start; `nil` when it lies beyond the end.
    public func due(_ index: Int) -> Duration? {
        dueSeconds(Double(index)).flatMap { Duration(secondsValue: $0) }
    }

    /// Requests due by `time`: those whose due time is at or before it.
    public func count(dueBy time: Duration) -> Int {
        let integral = integral(at: time)
        let count = Int(min(integral.rounded(.down), Double(Int.max / 2))) + 1
        return min(count, totalRequests ?? .max)
    }

    /// How many requests are due strictly before `time`: those a run cut off at `time` (`-z`)
    /// had to send. One due at `time` itself (to rounding) races the deadline and is not owed.
    public func count(dueBefore time: Duration) -> Int {
        let integral = integral(at: time)
        let count = (integral - integral * 1e-12 - 1e-9).rounded(.up)
        return Swift.max(0, Swift.min(Int(Swift.min(count, Double(Int.max / 2))), totalRequests ?? .max))
    }

    func dueSeconds(_ index: Double) -> Double? {
        guard index >= 0 else { return nil }
        for piece in pieces {
            let need = index - piece.before
            guard piece.duration.isFinite else {
                if need <= 0 { return piece.start }
                return piece.from > 0 ? piece.start + need / piece.from : nil
            }
            guard need < piece.area else { continue }  // the integral reaches it in a later piece
            if need <= 0 { return piece.start }
            let slope = (piece.to - piece.from) / piece.duration  // requests per second, per second
            let tau: Double
            if abs(slope) * piece.duration < 1e-9 * max(1, piece.from) {
                tau = need / piece.from
            } else {
                // a·τ + slope·τ²/2 = need, solved without cancellation: τ = 2·need / (a + √(a² + 2·slope·need)).
                let discriminant = max(0, piece.from * piece.from + 2 * slope * need)
                tau = 2 * need / (piece.from + discriminant.squareRoot())
            }
            return piece.start + min(tau, piece.duration)
        }
        return nil
    }
}
