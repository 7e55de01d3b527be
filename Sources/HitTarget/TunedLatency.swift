import Synchronization

/// The latency of `/tuned`, set while the server runs (`/tune?delay=MS&tail=MS&share=F`, or
/// `TargetStats.tunedLatency.set`): every request waits `delay`, and a `share` of them (spread
/// evenly: request i is in the tail when ⌊(i+1)·share⌋ > ⌊i·share⌋) `tail` more. So a run can be
/// compared with one against the same URL whose service got slower, in its median or in its tail
/// alone.
public final class TunedLatency: Sendable {
    public struct Setting: Sendable, Equatable {
        public var delayMicroseconds: Int64
        public var tailMicroseconds: Int64
        /// 0 to 1.
        public var tailShare: Double

        public init(delayMicroseconds: Int64 = 0, tailMicroseconds: Int64 = 0, tailShare: Double = 0) {
            self.delayMicroseconds = delayMicroseconds
            self.tailMicroseconds = tailMicroseconds
            self.tailShare = tailShare
        }
    }

    private let state = Mutex<(setting: Setting, served: Int)>((Setting(), 0))

    public init() {}

    public var setting: Setting { state.withLock { $0.setting } }

    /// Replaces the setting; the tail's count starts again.
    public func set(_ setting: Setting) {
        state.withLock { $0 = (setting, 0) }
    }

    /// The wait of the next request, in microseconds.
    public func next() -> Int64 {
        state.withLock { state in
            let index = Double(state.served)
            state.served += 1
            let share = min(max(state.setting.tailShare, 0), 1)
            let inTail = ((index + 1) * share).rounded(.down) > (index * share).rounded(.down)
            return state.setting.delayMicroseconds + (inTail ? state.setting.tailMicroseconds : 0)
        }
    }

    /// Reads `delay=MS&tail=MS&share=F` (any may be left out: 0); `nil` for a malformed query.
    public static func setting(query: Substring) -> Setting? {
        var setting = Setting()
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = Double(parts[1]), value.isFinite, value >= 0 else { return nil }
            switch parts[0] {
            case "delay": setting.delayMicroseconds = Int64(value * 1000)
            case "tail": setting.tailMicroseconds = Int64(value * 1000)
            case "share" where value <= 1: setting.tailShare = value
            default: return nil
            }
        }
        return setting
    }
}
